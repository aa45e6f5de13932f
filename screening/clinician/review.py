"""What the clinician's pages show of one submission, gathered from the stored answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import rules
from ..models import Submission
from ..questionnaire.catalogue import MEDICATIONS
from ..questionnaire.schema import QUESTIONS_BY_PATH, TRIAL_OUTCOME
from ..summary import answer_sections, evidence_text, path_label, score_rows

ADEQUACY_LABELS = {
    "adequate": "Adequate",
    "inadequate": "Not adequate",
    "undetermined": "Undetermined (dose or duration not given)",
    "not_tolerated": "Not tolerated",
}
CLASS_LABELS = {
    "ssri": "SSRI",
    "tca_sri": "TCA (SRI)",
    "snri": "SNRI",
    "tca": "TCA",
    "maoi": "MAOI",
    "other_antidepressant": "Other antidepressant",
}
OWN_WORDS = ("conditions.other_text", "medical.other_medications_text", "notes")


@dataclass(frozen=True)
class TrialRow:
    number: int
    medication: str
    drug_class: str
    dose: str
    weeks: str
    outcome: str
    current: str
    adequacy: str
    rule: str


def trial_rows(trials: list[dict[str, Any]], thresholds: rules.Thresholds) -> list[TrialRow]:
    """Each medication trial with its adequacy per FLAGS.md (SRI rule for SRIs)."""
    rows = []
    for number, trial in enumerate(trials, start=1):
        medication = MEDICATIONS[trial["medication"]]
        kind = "sri" if medication.is_sri else "antidepressant"
        adequacy = rules.trial_adequacy(trial, thresholds, kind=kind)
        target = thresholds.ocd_target_doses.get(medication.key)
        if kind == "sri":
            rule = f"SRI: ≥ {thresholds.adequate_sri_weeks} weeks" + (
                f" and ≥ {target:g} mg/day" if target else ""
            )
        else:
            rule = f"Antidepressant: ≥ {thresholds.adequate_antidepressant_weeks} weeks"
        dose = trial.get("max_daily_dose_mg")
        weeks = trial.get("duration_weeks")
        rows.append(
            TrialRow(
                number=number,
                medication=medication.label,
                drug_class=CLASS_LABELS[medication.drug_class],
                dose="not given" if dose is None else f"{dose:g} mg",
                weeks="not given" if weeks is None else str(weeks),
                outcome=TRIAL_OUTCOME.choice_label(trial["outcome"]),
                current="Yes" if trial.get("current") else "No",
                adequacy=ADEQUACY_LABELS[adequacy],
                rule=rule,
            )
        )
    return rows


def flag_views(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored flags with their evidence in words."""
    return [
        {
            **flag,
            "evidence_rows": [
                (path_label(e["path"]), evidence_text(e["path"], e["value"]))
                for e in flag["evidence"]
            ],
        }
        for flag in flags
    ]


def current_rules_flags(submission: Submission, thresholds: rules.Thresholds) -> list | None:
    """The current rules' flags when the stored ones came from another rules version."""
    if submission.rules_version == rules.RULES_VERSION:
        return None
    evaluation = rules.evaluate(submission.answers, submission.created_at.date(), thresholds)
    return flag_views([flag.to_dict() for flag in evaluation.flags])


def own_words(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Free text the patient wrote, labelled."""
    found = []
    for path in OWN_WORDS:
        section, _, key = path.partition(".")
        value = answers.get(section, {}).get(key) if key else answers.get(section)
        if value:
            found.append((QUESTIONS_BY_PATH[path].short, value))
    return found


def submission_context(submission: Submission, thresholds: rules.Thresholds) -> dict[str, Any]:
    """Everything the submission page and the visit summary show."""
    answers = submission.answers
    return {
        "flags": flag_views(submission.flags),
        "current_flags": current_rules_flags(submission, thresholds),
        "scores": score_rows(submission.scores),
        "trials": trial_rows(answers.get("medication_trials") or [], thresholds),
        "sections": answer_sections(answers, items=True),
        "brief_sections": answer_sections(answers, items=False, brief=True),
        "own_words": own_words(answers),
        "patient_name": answers.get("contact", {}).get("full_name"),
        "date_of_birth": answers.get("about", {}).get("date_of_birth"),
    }
