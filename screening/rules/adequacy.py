"""Whether a medication trial was adequate (FLAGS.md definitions); the review page uses it too."""

from __future__ import annotations

from ..questionnaire.catalogue import MEDICATIONS
from .thresholds import Thresholds

FAILED_OUTCOMES = frozenset({"partial", "no_change", "worse"})


def trial_adequacy(trial: dict, thresholds: Thresholds, *, kind: str) -> str:
    """adequate, inadequate, undetermined or not_tolerated for an "sri" or "antidepressant" trial.

    Stopped for side effects: not tolerated, whatever else is known. An SRI whose medication has
    no OCD target dose in the thresholds is undetermined, like a missing dose: the dose criterion
    cannot be judged (and no target is invented).
    """
    if kind not in ("sri", "antidepressant"):
        raise ValueError(f"unknown trial kind: {kind!r}")
    if trial.get("outcome") == "side_effects":
        return "not_tolerated"
    weeks = trial.get("duration_weeks")
    if kind == "antidepressant":
        if weeks is None:
            return "undetermined"
        return "adequate" if weeks >= thresholds.adequate_antidepressant_weeks else "inadequate"
    dose = trial.get("max_daily_dose_mg")
    target = thresholds.ocd_target_doses.get(trial.get("medication"))
    if weeks is None or dose is None or target is None:
        return "undetermined"
    adequate = weeks >= thresholds.adequate_sri_weeks and dose >= target
    return "adequate" if adequate else "inadequate"


def is_sri(trial: dict) -> bool:
    medication = MEDICATIONS.get(trial.get("medication"))
    return medication is not None and medication.is_sri
