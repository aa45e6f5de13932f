"""What the rules tests share: the worked example, changes to it, thresholds, FLAGS.md order."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from screening.rules import (
    Flag,
    Thresholds,
    flags_for,
)

AS_OF = date(2026, 11, 21)
DEFAULT = Thresholds()
WORKED_EXAMPLE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "worked_example.json").read_text()
)
# fmt: off
TABLE_ORDER = (  # FLAGS.md table order
    "suicide_risk", "mania_or_psychosis_now", "vascular_history", "ketamine_allergy", "pregnancy",
    "under_18", "blood_pressure", "bp_unknown", "substance_use", "cardiovascular_history",
    "psychosis_history", "bipolar", "sedating_medication", "pressor_medication", "other_medical",
    "severe_depression_score", "not_determined", "sri_trials", "erp_course",
    "antidepressant_trials", "off_label", "answer_conflict", "cost_concern", "transport",
    "schedule", "outside_service_area",
)
SOURCES = {
    "spravato_pi", "apa_ketamine_2017", "apa_ocd_2007", "rodriguez_2013", "bloch_2012",
    "diazgranados_2010", "phq9", "gad7", "pcl5", "clinic_policy",
}
# fmt: on
ALL_FLAG_IDS = set(TABLE_ORDER)


def changed(changes: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the worked example with answers replaced, e.g. {"symptoms.phq9[8]": 1}."""
    doc = copy.deepcopy(WORKED_EXAMPLE if base is None else base)
    for path, value in changes.items():
        parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
        node = doc
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = copy.deepcopy(value)
    return doc


def trial(
    medication: str, dose: float | None, weeks: int | None, outcome: str = "no_change"
) -> dict[str, Any]:
    return {
        "medication": medication,
        "max_daily_dose_mg": dose,
        "duration_weeks": weeks,
        "outcome": outcome,
        "current": False,
    }


def levels(doc: dict[str, Any], thresholds: Thresholds = DEFAULT, as_of: date = AS_OF) -> dict:
    return {f.id: f.level for f in flags_for(doc, as_of, thresholds)}


def the_flag(doc: dict[str, Any], flag_id: str, thresholds: Thresholds = DEFAULT) -> Flag:
    found = [f for f in flags_for(doc, AS_OF, thresholds) if f.id == flag_id]
    assert len(found) == 1, f"{flag_id} not raised exactly once"
    return found[0]


def with_total(total: int, items: int, top: int) -> list[int]:
    """Item scores adding up to total, filled from the first item."""
    scores = []
    for _ in range(items):
        scores.append(min(top, total - sum(scores)))
    assert sum(scores) == total
    return scores


NO_READING = {"medical.bp_systolic": None, "medical.bp_diastolic": None, "medical.bp_when": None}
PLAN = {"symptoms.phq9[8]": 1, "safety.suicide_plan_or_intent": "yes"}
NO_PLAN = {"symptoms.phq9[8]": 1, "safety.suicide_plan_or_intent": "no"}
OCD_ONE_SRI = {"medication_trials": [trial("sertraline", 200, 14, "partial")]}
DEPRESSION = {"conditions.primary_concern": "depression"}


def bp(systolic: int, diastolic: int, when: str = "this_month") -> dict[str, Any]:
    return {
        "medical.bp_systolic": systolic,
        "medical.bp_diastolic": diastolic,
        "medical.bp_when": when,
    }


CARDIO = ("stroke", "heart_attack", "heart_failure", "heart_rhythm", "heart_valve")
CARDIO += ("brain_injury", "hypertensive_crisis")
OTHER_MEDICAL = ("seizures", "liver_disease", "bladder_problems", "thyroid_untreated")
OTHER_MEDICAL += ("glaucoma", "sleep_apnea")
NOT_DETERMINED = (
    ("about.pregnancy", "prefer_not_to_say"),
    ("safety.suicide_attempt_history", "prefer_not_to_say"),
    ("safety.psychosis_history", "unsure"),
    ("safety.psychosis_current", "unsure"),
    ("safety.mania_history", "unsure"),
    ("safety.mania_current", "unsure"),
    ("safety.substance_use", "prefer_not_to_say"),
    ("safety.ketamine_misuse", "prefer_not_to_say"),
    ("medical.ketamine_allergy", "unsure"),
)
ERP_NOT_TRIED = {"therapy.erp_sessions": None, "therapy.erp_specialist": None}
CURRENT_MAOI = {**trial("phenelzine", 60, 10), "current": True}
TWO_NON_SRI = {
    "medication_trials": [trial("venlafaxine", 150, 6, "worse"), trial("bupropion", None, 8)]
}
TRIALS_6_WEEKS = {
    "medication_trials[0].duration_weeks": 6,
    "medication_trials[1].duration_weeks": 6,
}
