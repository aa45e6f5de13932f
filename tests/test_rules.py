"""The clinical flag rules (FLAGS.md) and scores, tested as pure functions without an app."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from screening.questionnaire.schema import MEDICATIONS
from screening.rules import (
    LEVEL_RANK,
    LEVELS,
    RULES_VERSION,
    Evaluation,
    Evidence,
    Flag,
    Thresholds,
    age_on,
    evaluate,
    flags_for,
    scores_for,
    trial_adequacy,
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

# FLAGS.md, row by row: flag id -> (case, answers changed from the worked example, level or None).
# The worked example itself raises only off_label and cost_concern.
FLAG_TABLE: dict[str, list[tuple[str, dict[str, Any], str | None]]] = {
    "suicide_risk": [
        ("item9-1-plan-yes", PLAN, "urgent"),
        ("item9-3-plan-yes", {**PLAN, "symptoms.phq9[8]": 3}, "urgent"),
        ("urgent-beats-high", {**PLAN, "safety.suicide_attempt_history": "within_year"}, "urgent"),
        ("item9-1-plan-no", NO_PLAN, "high"),
        ("attempt-within-year", {"safety.suicide_attempt_history": "within_year"}, "high"),
        (
            "high-beats-review",
            {**NO_PLAN, "safety.suicide_attempt_history": "more_than_year"},
            "high",
        ),
        ("attempt-over-a-year", {"safety.suicide_attempt_history": "more_than_year"}, "review"),
        ("attempt-withheld", {"safety.suicide_attempt_history": "prefer_not_to_say"}, None),
        ("item9-0-never", {}, None),
    ],
    "mania_or_psychosis_now": [
        ("mania-now", {"safety.mania_current": "yes"}, "urgent"),
        ("psychosis-now", {"safety.psychosis_current": "yes"}, "urgent"),
        ("mania-now-unsure", {"safety.mania_current": "unsure"}, None),
        ("psychosis-now-unsure", {"safety.psychosis_current": "unsure"}, None),
        ("history-only", {"safety.mania_history": "yes", "safety.psychosis_history": "yes"}, None),
    ],
    "vascular_history": [
        *[(c, {"medical.conditions": [c]}, "high") for c in ("aneurysm", "avm", "brain_bleed")],
        ("stroke", {"medical.conditions": ["stroke"]}, None),
    ],
    "ketamine_allergy": [
        ("yes", {"medical.ketamine_allergy": "yes"}, "high"),
        ("unsure", {"medical.ketamine_allergy": "unsure"}, None),
        ("no", {}, None),
    ],
    "pregnancy": [
        *[(p, {"about.pregnancy": p}, "high") for p in ("pregnant", "planning", "breastfeeding")],
        ("none", {"about.pregnancy": "none"}, None),
        ("withheld", {"about.pregnancy": "prefer_not_to_say"}, None),
        ("not-asked", {"about.sex_at_birth": "male", "about.pregnancy": None}, None),
    ],
    "under_18": [
        ("age-17", {"about.date_of_birth": "2008-11-22"}, "high"),
        ("18th-birthday", {"about.date_of_birth": "2008-11-21"}, None),
    ],
    "blood_pressure": [
        ("180-systolic", bp(180, 100), "high"),
        ("110-diastolic", bp(150, 110), "high"),
        ("180-110", bp(180, 110), "high"),
        ("179-109", bp(179, 109), "review"),
        ("179-systolic", bp(179, 100), "review"),
        ("109-diastolic", bp(170, 109), "review"),
        ("140-90", bp(140, 90), "review"),
        ("140-systolic", bp(140, 80), "review"),
        ("90-diastolic", bp(130, 90), "review"),
        ("139-89", bp(139, 89), None),
        ("139-systolic", bp(139, 80), None),
        ("89-diastolic", bp(120, 89), None),
        ("139-89-longer", bp(139, 89, "longer"), "info"),
        ("within-6-months", bp(124, 78, "within_6_months"), None),
        ("review-beats-info", bp(150, 95, "longer"), "review"),
        ("high-beats-info", bp(185, 95, "longer"), "high"),
        ("no-reading", NO_READING, None),
    ],
    "bp_unknown": [
        ("hypertension-yes", {**NO_READING, "medical.hypertension": "yes"}, "review"),
        ("hypertension-unsure", {**NO_READING, "medical.hypertension": "unsure"}, "review"),
        ("hypertension-no", NO_READING, "info"),
        ("reading-given", {"medical.hypertension": "yes"}, None),
    ],
    "substance_use": [
        ("ketamine-misuse", {"safety.ketamine_misuse": "yes"}, "high"),
        (
            "high-beats-review",
            {"safety.ketamine_misuse": "yes", "safety.substance_use": "current"},
            "high",
        ),
        ("current", {"safety.substance_use": "current"}, "review"),
        ("past", {"safety.substance_use": "past"}, "review"),
        ("use-withheld", {"safety.substance_use": "prefer_not_to_say"}, None),
        ("misuse-withheld", {"safety.ketamine_misuse": "prefer_not_to_say"}, None),
        ("never", {}, None),
    ],
    "cardiovascular_history": [
        *[(c, {"medical.conditions": [c]}, "review") for c in CARDIO],
        ("seizures", {"medical.conditions": ["seizures"]}, None),
    ],
    "psychosis_history": [
        ("ever", {"safety.psychosis_history": "yes"}, "review"),
        ("family", {"safety.family_psychosis": "yes"}, "review"),
        ("ever-unsure", {"safety.psychosis_history": "unsure"}, None),
        ("family-unsure", {}, None),
    ],
    "bipolar": [
        ("diagnosed", {"conditions.diagnosed": ["ocd", "bipolar"]}, "review"),
        ("suspected", {"conditions.suspected": ["bipolar"]}, "review"),
        ("primary", {"conditions.primary_concern": "bipolar_depression"}, "review"),
        ("mania-history", {"safety.mania_history": "yes"}, "review"),
        ("mania-history-unsure", {"safety.mania_history": "unsure"}, None),
        ("none", {}, None),
    ],
    "sedating_medication": [
        *[
            (m, {"medical.current_medications": [m]}, "review")
            for m in ("benzodiazepine", "opioid", "sleep_medication")
        ],
        ("stimulant", {"medical.current_medications": ["stimulant"]}, None),
    ],
    "pressor_medication": [
        ("stimulant", {"medical.current_medications": ["stimulant"]}, "review"),
        ("maoi", {"medical.current_medications": ["maoi"]}, "review"),
        ("current-maoi-trial", {"medication_trials[1]": CURRENT_MAOI}, "review"),
        ("past-maoi-trial", {"medication_trials[1]": trial("tranylcypromine", 30, 10)}, None),
        ("current-ssri-trial", {}, None),
    ],
    "other_medical": [
        *[(c, {"medical.conditions": [c]}, "review") for c in OTHER_MEDICAL],
        ("stroke", {"medical.conditions": ["stroke"]}, None),
    ],
    "severe_depression_score": [
        ("phq9-20", {"symptoms.phq9": with_total(20, 9, 3)}, "review"),
        ("phq9-19", {"symptoms.phq9": with_total(19, 9, 3)}, None),
    ],
    "not_determined": [
        *[(path, {path: value}, "review") for path, value in NOT_DETERMINED],
        ("family-psychosis-unsure-not-listed", {}, None),
        ("hypertension-unsure-not-listed", {**NO_READING, "medical.hypertension": "unsure"}, None),
        ("sex-at-birth-withheld-not-listed", {"about.sex_at_birth": "prefer_not_to_say"}, None),
    ],
    "sri_trials": [
        ("two-failed-adequate", {}, None),
        ("one-failed-adequate", OCD_ONE_SRI, "info"),
        ("none", {"medication_trials": []}, "info"),
        ("8-weeks", {"medication_trials[1].duration_weeks": 8}, None),
        ("7-weeks", {"medication_trials[1].duration_weeks": 7}, "info"),
        ("at-target", {"medication_trials[1].max_daily_dose_mg": 40}, None),
        ("below-target", {"medication_trials[1].max_daily_dose_mg": 39.5}, "info"),
        ("no-dose", {"medication_trials[1].max_daily_dose_mg": None}, "info"),
        ("helped-is-not-failed", {"medication_trials[1].outcome": "helped"}, "info"),
        ("worse-is-failed", {"medication_trials[1].outcome": "worse"}, None),
        ("not-tolerated", {"medication_trials[1].outcome": "side_effects"}, "info"),
        ("snri-not-counted", {"medication_trials[1]": trial("venlafaxine", 225, 12)}, "info"),
        ("clomipramine-counts", {"medication_trials[1]": trial("clomipramine", 100, 8)}, None),
        ("not-ocd-primary", {**DEPRESSION, **OCD_ONE_SRI}, None),
    ],
    "erp_course": [
        ("16-sessions", {}, None),
        ("12-sessions", {"therapy.erp_sessions": 12}, None),
        ("11-sessions", {"therapy.erp_sessions": 11}, "info"),
        ("completed-sessions-unknown", {"therapy.erp_sessions": None}, None),
        ("started", {"therapy.erp": "started"}, "info"),
        ("never", {**ERP_NOT_TRIED, "therapy.erp": "never"}, "info"),
        ("unsure", {**ERP_NOT_TRIED, "therapy.erp": "unsure"}, "info"),
        ("not-ocd-primary", {**DEPRESSION, **ERP_NOT_TRIED, "therapy.erp": "never"}, None),
    ],
    "antidepressant_trials": [
        ("two-failed-adequate", DEPRESSION, None),
        ("one-failed-adequate", {**DEPRESSION, **OCD_ONE_SRI}, "info"),
        ("6-weeks", {**DEPRESSION, **TRIALS_6_WEEKS}, None),
        ("5-weeks", {**DEPRESSION, "medication_trials[1].duration_weeks": 5}, "info"),
        ("no-duration", {**DEPRESSION, "medication_trials[1].duration_weeks": None}, "info"),
        ("dose-not-judged", {**DEPRESSION, "medication_trials[0].max_daily_dose_mg": 25}, None),
        ("non-sri-counts", {**DEPRESSION, **TWO_NON_SRI}, None),
        (
            "bipolar-depression",
            {"conditions.primary_concern": "bipolar_depression", **OCD_ONE_SRI},
            "info",
        ),
        ("not-for-ocd-primary", OCD_ONE_SRI, None),
    ],
    "off_label": [
        ("ocd", {}, "info"),
        ("depression", DEPRESSION, None),
        *[
            (p, {"conditions.primary_concern": p}, "info")
            for p in ("bipolar_depression", "ptsd", "anxiety", "other")
        ],
    ],
    "answer_conflict": [
        ("bipolar-no-mania", {"conditions.diagnosed": ["bipolar"]}, "info"),
        (
            "bipolar-mania",
            {"conditions.diagnosed": ["bipolar"], "safety.mania_history": "yes"},
            None,
        ),
        (
            "bipolar-mania-unsure",
            {"conditions.diagnosed": ["bipolar"], "safety.mania_history": "unsure"},
            None,
        ),
        ("bipolar-suspected", {"conditions.suspected": ["bipolar"]}, None),
        ("erp-completed-5", {"therapy.erp_sessions": 5}, "info"),
        ("erp-completed-6", {"therapy.erp_sessions": 6}, None),
        ("erp-completed-null", {"therapy.erp_sessions": None}, None),
        ("erp-started-3", {"therapy.erp": "started", "therapy.erp_sessions": 3}, None),
    ],
    "cost_concern": [
        ("some", {}, "info"),
        ("major", {"practical.cost_concern": "major"}, "info"),
        ("none", {"practical.cost_concern": "none"}, None),
        (
            "payment-unsure",
            {"practical.cost_concern": "none", "practical.payment": "unsure"},
            "info",
        ),
    ],
    "transport": [
        ("no", {"practical.has_driver": "no"}, "info"),
        ("unsure", {"practical.has_driver": "unsure"}, "info"),
        ("yes", {}, None),
    ],
    "schedule": [
        ("no", {"practical.schedule_ok": "no"}, "info"),
        ("unsure", {"practical.schedule_ok": "unsure"}, "info"),
        ("yes", {}, None),
    ],
    # outside_service_area depends on the thresholds only: test_served_regions_*.
}
FLAG_ROWS = [
    pytest.param(changes, flag_id, level, id=f"{flag_id}:{case}")
    for flag_id, rows in FLAG_TABLE.items()
    for case, changes, level in rows
]


@pytest.mark.parametrize(("changes", "flag_id", "level"), FLAG_ROWS)
def test_flag_rows(changes: dict[str, Any], flag_id: str, level: str | None) -> None:
    assert levels(changed(changes)).get(flag_id) == level


def test_every_flag_id_is_covered_by_the_table_in_order() -> None:
    assert (*FLAG_TABLE, "outside_service_area") == TABLE_ORDER


# --- Unsure or withheld answers: recorded as not determined, never as the flag itself ---------


@pytest.mark.parametrize(
    ("path", "value", "not_raised"),
    [
        ("safety.psychosis_current", "unsure", "mania_or_psychosis_now"),
        ("safety.mania_current", "unsure", "mania_or_psychosis_now"),
        ("safety.psychosis_history", "unsure", "psychosis_history"),
        ("safety.mania_history", "unsure", "bipolar"),
        ("safety.suicide_attempt_history", "prefer_not_to_say", "suicide_risk"),
        ("safety.substance_use", "prefer_not_to_say", "substance_use"),
        ("safety.ketamine_misuse", "prefer_not_to_say", "substance_use"),
        ("medical.ketamine_allergy", "unsure", "ketamine_allergy"),
        ("about.pregnancy", "prefer_not_to_say", "pregnancy"),
    ],
)
def test_unsure_or_withheld_is_not_determined(path: str, value: str, not_raised: str) -> None:
    doc = changed({path: value})
    flag = the_flag(doc, "not_determined")
    assert not_raised not in levels(doc)
    assert flag.level == "review"
    assert flag.evidence == (Evidence(path, value),)


def test_not_determined_lists_each_question_by_short_name() -> None:
    doc = changed({"about.pregnancy": "prefer_not_to_say", "safety.psychosis_current": "unsure"})
    flag = the_flag(doc, "not_determined")
    assert flag.detail == (
        "Answered not sure or prefer not to say: Pregnancy: Prefer not to say; "
        "Unusual experiences, past month: Not sure."
    )
    assert [e.path for e in flag.evidence] == ["about.pregnancy", "safety.psychosis_current"]


# --- The worked example ---------------------------------------------------------------------


def test_worked_example_gives_exactly_off_label_then_cost_concern() -> None:
    result = evaluate(WORKED_EXAMPLE, AS_OF, DEFAULT)
    assert [(f.id, f.level) for f in result.flags] == [
        ("off_label", "info"),
        ("cost_concern", "info"),
    ]
    assert result.scores == {
        "phq9": {"total": 10, "band": "moderate"},
        "gad7": {"total": 10, "band": "moderate"},
        "pcl5": None,
        "ybocs_reported": {"score": 27, "band": "severe"},
    }
    assert result.highest_level == "info"


def test_worked_example_flag_contents() -> None:
    off_label, cost = flags_for(WORKED_EXAMPLE, AS_OF, DEFAULT)
    assert off_label.evidence == (Evidence("conditions.primary_concern", "ocd"),)
    assert off_label.sources == ("spravato_pi", "rodriguez_2013", "bloch_2012")
    assert cost.evidence == (Evidence("practical.cost_concern", "some"),)
    assert cost.detail == "Cost: Some concern."
    assert cost.sources == ("clinic_policy",)


def test_evaluate_to_dict_matches_the_evaluate_command_shape() -> None:
    doc = copy.deepcopy(WORKED_EXAMPLE)
    for optional in ("contact", "notes", "consent"):  # the evaluate command may leave these out
        del doc[optional]
    result = evaluate(doc, AS_OF, DEFAULT).to_dict()
    assert list(result) == ["rules_version", "flags", "scores"]
    assert result["rules_version"] == RULES_VERSION == "1"
    assert list(result["flags"][1]) == [
        "id",
        "level",
        "title",
        "detail",
        "evidence",
        "sources",
        "patient_text",
    ]
    assert result["flags"][1]["evidence"] == [{"path": "practical.cost_concern", "value": "some"}]
    assert result["flags"][1]["sources"] == ["clinic_policy"]
    assert json.loads(json.dumps(result)) == result


# --- Ordering, highest level, levels ------------------------------------------------------------


def test_levels_and_ranks() -> None:
    assert LEVELS == ("urgent", "high", "review", "info")
    assert [LEVEL_RANK[level] for level in LEVELS] == [4, 3, 2, 1]


def test_flags_ordered_by_level_then_table_order() -> None:
    doc = changed(
        {
            **NO_PLAN,
            "practical.has_driver": "no",
            "medical.current_medications": ["benzodiazepine"],
            "about.pregnancy": "pregnant",
            **bp(150, 95),
            "medical.ketamine_allergy": "yes",
            "safety.mania_current": "yes",
        }
    )
    assert [(f.id, f.level) for f in flags_for(doc, AS_OF, DEFAULT)] == [
        ("mania_or_psychosis_now", "urgent"),
        ("suicide_risk", "high"),
        ("ketamine_allergy", "high"),
        ("pregnancy", "high"),
        ("blood_pressure", "review"),
        ("sedating_medication", "review"),
        ("off_label", "info"),
        ("cost_concern", "info"),
        ("transport", "info"),
    ]


def test_same_level_keeps_table_order() -> None:
    doc = changed({**PLAN, "safety.mania_current": "yes"})
    assert [f.id for f in flags_for(doc, AS_OF, DEFAULT)][:2] == [
        "suicide_risk",
        "mania_or_psychosis_now",
    ]


@pytest.mark.parametrize(
    ("changes", "highest"),
    [
        ({**DEPRESSION, "practical.cost_concern": "none"}, None),
        ({}, "info"),
        ({"safety.substance_use": "past"}, "review"),
        (NO_PLAN, "high"),
        (PLAN, "urgent"),
    ],
)
def test_highest_level(changes: dict[str, Any], highest: str | None) -> None:
    result = evaluate(changed(changes), AS_OF, DEFAULT)
    assert result.highest_level == highest
    assert (result.flags == ()) == (highest is None)


# --- Evidence and detail -----------------------------------------------------------------------


def test_suicide_risk_evidence_by_level() -> None:
    urgent = the_flag(changed({**PLAN, "symptoms.phq9[8]": 2}), "suicide_risk")
    assert urgent.evidence == (
        Evidence("symptoms.phq9[8]", 2),
        Evidence("safety.suicide_plan_or_intent", "yes"),
    )
    assert "= 2 (More than half the days)" in urgent.detail
    assert urgent.sources == ("phq9", "apa_ketamine_2017")
    high = the_flag(changed({"safety.suicide_attempt_history": "within_year"}), "suicide_risk")
    assert high.evidence == (Evidence("safety.suicide_attempt_history", "within_year"),)
    assert high.detail == "Past suicide attempt: Yes, in the past year."


def test_blood_pressure_detail_and_evidence() -> None:
    high = the_flag(changed(bp(182, 96, "this_week")), "blood_pressure")
    assert high.detail == "Blood pressure 182/96 (This week): systolic ≥ 180."
    assert high.evidence == (
        Evidence("medical.bp_systolic", 182),
        Evidence("medical.bp_diastolic", 96),
    )
    both = the_flag(changed(bp(190, 115)), "blood_pressure")
    assert both.detail == "Blood pressure 190/115 (This month): systolic ≥ 180 and diastolic ≥ 110."
    info = the_flag(changed(bp(124, 78, "longer")), "blood_pressure")
    assert info.evidence[-1] == Evidence("medical.bp_when", "longer")
    assert info.sources == ("spravato_pi", "clinic_policy")


def test_bp_unknown_evidence() -> None:
    flag = the_flag(changed({**NO_READING, "medical.hypertension": "unsure"}), "bp_unknown")
    assert flag.evidence == (
        Evidence("medical.bp_systolic", None),
        Evidence("medical.bp_diastolic", None),
        Evidence("medical.hypertension", "unsure"),
    )
    assert flag.detail == "No blood pressure reading given; High blood pressure: Not sure."


def test_list_answers_give_indexed_evidence() -> None:
    doc = changed({"medical.conditions": ["stroke", "avm", "glaucoma"]})
    assert the_flag(doc, "vascular_history").evidence == (Evidence("medical.conditions[1]", "avm"),)
    assert the_flag(doc, "cardiovascular_history").evidence == (
        Evidence("medical.conditions[0]", "stroke"),
    )
    assert the_flag(doc, "other_medical").evidence == (
        Evidence("medical.conditions[2]", "glaucoma"),
    )


def test_under_18_detail() -> None:
    flag = the_flag(changed({"about.date_of_birth": "2010-05-01"}), "under_18")
    assert flag.detail == "Date of birth 2010-05-01: age 16 on 2026-11-21."
    assert flag.evidence == (Evidence("about.date_of_birth", "2010-05-01"),)


def test_pressor_medication_from_a_current_maoi_trial() -> None:
    doc = changed(
        {
            "medical.current_medications": ["stimulant"],
            "medication_trials[1]": {**trial("phenelzine", 60, 10), "current": True},
        }
    )
    flag = the_flag(doc, "pressor_medication")
    assert flag.evidence == (
        Evidence("medical.current_medications[0]", "stimulant"),
        Evidence("medication_trials[1].medication", "phenelzine"),
        Evidence("medication_trials[1].current", True),
    )
    assert "Phenelzine (Nardil), an MAOI" in flag.detail


@pytest.mark.parametrize(
    ("stabilizers", "expected"),
    [
        (["lithium", "lamotrigine"], "Mood stabilizer reported: Lithium, Lamotrigine."),
        ([], "No mood stabilizer reported."),
    ],
)
def test_bipolar_detail_says_whether_a_mood_stabilizer_is_reported(
    stabilizers: list[str], expected: str
) -> None:
    doc = changed({"conditions.diagnosed": ["bipolar"], "safety.mood_stabilizers": stabilizers})
    flag = the_flag(doc, "bipolar")
    assert flag.detail == f"Bipolar disorder reported as diagnosed. {expected}"
    assert flag.evidence == (Evidence("conditions.diagnosed[0]", "bipolar"),)


def test_sri_trials_detail_counts_only_sri_rows() -> None:
    trials = [
        trial("sertraline", 200, 14, "partial"),  # failed adequate
        trial("bupropion", 300, 20, "no_change"),  # not an SRI
        trial("fluoxetine", None, 12, "worse"),  # undetermined
        trial("clomipramine", 150, 10, "side_effects"),  # not tolerated
        trial("paroxetine", 20, 10, "no_change"),  # inadequate: below target
    ]
    flag = the_flag(changed({"medication_trials": trials}), "sri_trials")
    assert [e.path for e in flag.evidence] == [
        "conditions.primary_concern",
        "medication_trials[0]",
        "medication_trials[2]",
        "medication_trials[3]",
        "medication_trials[4]",
    ]
    assert flag.evidence[2].value == trials[2]
    assert "SRI trials reported: 4 (failed adequate: 1; undetermined: 1; not tolerated: 1)" in (
        flag.detail
    )
    assert "Clomipramine tried: yes" in flag.detail
    assert the_flag(changed(OCD_ONE_SRI), "sri_trials").detail.count("Clomipramine tried: no") == 1


def test_antidepressant_trials_detail_counts() -> None:
    trials = [
        trial("venlafaxine", 150, 10, "worse"),
        trial("mirtazapine", 30, None, "no_change"),
        trial("bupropion", 300, 4, "side_effects"),
    ]
    flag = the_flag(changed({**DEPRESSION, "medication_trials": trials}), "antidepressant_trials")
    assert "Antidepressant trials reported: 3 (failed adequate: 1; undetermined: 1; " in flag.detail
    assert "not tolerated: 1)" in flag.detail
    assert len(flag.evidence) == 4


def test_erp_course_evidence_includes_sessions_only_when_completed() -> None:
    completed = the_flag(changed({"therapy.erp_sessions": 11}), "erp_course")
    assert [e.path for e in completed.evidence] == [
        "conditions.primary_concern",
        "therapy.erp",
        "therapy.erp_sessions",
    ]
    started = the_flag(
        changed({"therapy.erp": "started", "therapy.erp_sessions": 20}), "erp_course"
    )
    assert [e.path for e in started.evidence] == ["conditions.primary_concern", "therapy.erp"]


def test_answer_conflict_names_each_conflict() -> None:
    doc = changed({"conditions.diagnosed": ["bipolar"], "therapy.erp_sessions": 5})
    flag = the_flag(doc, "answer_conflict")
    assert flag.detail == (
        "Bipolar disorder reported as diagnosed, but Periods of high energy, ever: No; "
        "ERP course reported as completed with 5 sessions."
    )
    assert [e.path for e in flag.evidence] == [
        "conditions.diagnosed[0]",
        "safety.mania_history",
        "therapy.erp",
        "therapy.erp_sessions",
    ]


def test_cost_concern_evidence_names_each_trigger() -> None:
    doc = changed({"practical.cost_concern": "major", "practical.payment": "unsure"})
    assert the_flag(doc, "cost_concern").evidence == (
        Evidence("practical.cost_concern", "major"),
        Evidence("practical.payment", "unsure"),
    )


@pytest.mark.parametrize(
    ("primary", "sources"),
    [
        ("ocd", ("spravato_pi", "rodriguez_2013", "bloch_2012")),
        ("bipolar_depression", ("spravato_pi", "diazgranados_2010", "apa_ketamine_2017")),
        ("ptsd", ("spravato_pi",)),
    ],
)
def test_off_label_sources_follow_the_primary_concern(primary: str, sources: tuple) -> None:
    assert (
        the_flag(changed({"conditions.primary_concern": primary}), "off_label").sources == sources
    )


# --- Ages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "as_of", "age"),
    [
        (date(2008, 11, 21), date(2026, 11, 21), 18),
        (date(2008, 11, 21), date(2026, 11, 20), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # non-leap year: birthday is 1 March
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 28), 19),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(1988, 3, 14), date(2026, 11, 21), 38),
    ],
)
def test_age_on(born: date, as_of: date, age: int) -> None:
    assert age_on(born, as_of) == age


@pytest.mark.parametrize(
    ("as_of", "level"), [(date(2026, 11, 21), None), (date(2026, 11, 20), "high")]
)
def test_under_18_on_the_18th_birthday(as_of: date, level: str | None) -> None:
    doc = changed({"about.date_of_birth": "2008-11-21"})
    assert levels(doc, as_of=as_of).get("under_18") == level


# --- Trial adequacy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "kind", "expected"),
    [
        (trial("sertraline", 200, 8), "sri", "adequate"),
        (trial("sertraline", 200, 7), "sri", "inadequate"),
        (trial("sertraline", 199, 8), "sri", "inadequate"),
        (trial("escitalopram", 20, 8), "sri", "adequate"),
        (trial("escitalopram", 19.5, 52), "sri", "inadequate"),
        (trial("clomipramine", 100, 8), "sri", "adequate"),
        (trial("clomipramine", 99, 12), "sri", "inadequate"),
        (trial("sertraline", None, 14), "sri", "undetermined"),
        (trial("sertraline", 200, None), "sri", "undetermined"),
        (trial("sertraline", None, 4), "sri", "undetermined"),
        (trial("sertraline", 200, 14, "side_effects"), "sri", "not_tolerated"),
        (trial("sertraline", None, None, "side_effects"), "sri", "not_tolerated"),
        (trial("sertraline", 25, 6), "antidepressant", "adequate"),
        (trial("bupropion", None, 6), "antidepressant", "adequate"),
        (trial("venlafaxine", 300, 5), "antidepressant", "inadequate"),
        (trial("mirtazapine", 15, None), "antidepressant", "undetermined"),
        (trial("trazodone", 100, 30, "side_effects"), "antidepressant", "not_tolerated"),
    ],
)
def test_trial_adequacy(row: dict[str, Any], kind: str, expected: str) -> None:
    assert trial_adequacy(row, DEFAULT, kind=kind) == expected


def test_sri_without_a_target_dose_is_undetermined() -> None:
    no_targets = Thresholds(ocd_target_doses={})
    assert trial_adequacy(trial("sertraline", 200, 14), no_targets, kind="sri") == "undetermined"


def test_unknown_trial_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown trial kind"):
        trial_adequacy(trial("sertraline", 200, 14), DEFAULT, kind="snri")


# --- Thresholds ---------------------------------------------------------------------------------


def test_default_thresholds_follow_the_spec_and_catalogue() -> None:
    assert DEFAULT.adequate_sri_weeks == 8
    assert DEFAULT.adequate_antidepressant_weeks == 6
    assert DEFAULT.adequate_erp_sessions == 12
    assert DEFAULT.pcl5_cutoff == 33
    assert (DEFAULT.bp_review, DEFAULT.bp_high) == ((140, 90), (180, 110))
    assert DEFAULT.served_regions == ()
    assert dict(DEFAULT.ocd_target_doses) == {
        "fluoxetine": 40,
        "sertraline": 200,
        "paroxetine": 40,
        "fluvoxamine": 200,
        "citalopram": 40,
        "escitalopram": 20,
        "clomipramine": 100,
    }
    assert all(MEDICATIONS[key].is_sri for key in DEFAULT.ocd_target_doses)


def test_thresholds_from_config_reads_each_key() -> None:
    thresholds = Thresholds.from_config(
        {
            "ADEQUATE_SRI_WEEKS": 12,
            "ADEQUATE_ANTIDEPRESSANT_WEEKS": 8,
            "ADEQUATE_ERP_SESSIONS": 13,
            "PCL5_CUTOFF": 31,
            "BP_REVIEW": [135, 85],
            "BP_HIGH": (170, 105),
            "SERVED_REGIONS": ("CA", "NV"),
            "OCD_TARGET_DOSES": {"sertraline": 150, "clomipramine": None},
        }
    )
    assert thresholds.adequate_sri_weeks == 12
    assert thresholds.adequate_antidepressant_weeks == 8
    assert thresholds.adequate_erp_sessions == 13
    assert thresholds.pcl5_cutoff == 31
    assert (thresholds.bp_review, thresholds.bp_high) == ((135, 85), (170, 105))
    assert thresholds.served_regions == ("CA", "NV")
    assert thresholds.ocd_target_doses["sertraline"] == 150
    assert thresholds.ocd_target_doses["fluoxetine"] == 40  # not overridden
    assert "clomipramine" not in thresholds.ocd_target_doses  # None removes the target


def test_thresholds_from_an_empty_config_are_the_defaults() -> None:
    assert Thresholds.from_config({}) == DEFAULT


def test_served_regions_raise_outside_service_area() -> None:
    assert "outside_service_area" not in levels(changed({}))
    assert (
        levels(changed({}), Thresholds(served_regions=("CA", "NV"))).get("outside_service_area")
        is None
    )
    outside = Thresholds(served_regions=("NV", "OR"))
    flag = the_flag(changed({}), "outside_service_area", outside)
    assert flag.level == "info"
    assert flag.evidence == (Evidence("about.region", "CA"),)
    assert flag.detail == "Where you live: California (CA); regions served: NV, OR."


def test_ocd_target_dose_override_changes_adequacy() -> None:
    doc = changed({"medication_trials[0].max_daily_dose_mg": 150})
    assert levels(doc).get("sri_trials") == "info"
    lower = Thresholds(ocd_target_doses={**DEFAULT.ocd_target_doses, "sertraline": 150})
    assert levels(doc, lower).get("sri_trials") is None
    from_config = Thresholds.from_config({"OCD_TARGET_DOSES": {"sertraline": 150}})
    assert levels(doc, from_config).get("sri_trials") is None


@pytest.mark.parametrize(
    ("thresholds", "changes", "flag_id", "by_default", "level"),
    [
        (Thresholds(adequate_sri_weeks=13), {}, "sri_trials", None, "info"),
        (
            Thresholds(adequate_sri_weeks=7),
            {"medication_trials[1].duration_weeks": 7},
            "sri_trials",
            "info",
            None,
        ),
        (Thresholds(adequate_erp_sessions=17), {}, "erp_course", None, "info"),
        (
            Thresholds(adequate_antidepressant_weeks=13),
            DEPRESSION,
            "antidepressant_trials",
            None,
            "info",
        ),
        (Thresholds(bp_review=(120, 80)), {}, "blood_pressure", None, "review"),
        (Thresholds(bp_high=(124, 100)), {}, "blood_pressure", None, "high"),
        (Thresholds(bp_review=(150, 100)), bp(140, 90), "blood_pressure", "review", None),
    ],
)
def test_thresholds_change_flags(
    thresholds: Thresholds,
    changes: dict[str, Any],
    flag_id: str,
    by_default: str | None,
    level: str | None,
) -> None:
    assert levels(changed(changes)).get(flag_id) == by_default
    assert levels(changed(changes), thresholds).get(flag_id) == level


# --- Scores ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total: int, band: str) -> None:
    doc = changed({"symptoms.phq9": with_total(total, 9, 3)})
    assert scores_for(doc, DEFAULT)["phq9"] == {"total": total, "band": band}


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total: int, band: str) -> None:
    doc = changed({"symptoms.gad7": with_total(total, 7, 3)})
    assert scores_for(doc, DEFAULT)["gad7"] == {"total": total, "band": band}


@pytest.mark.parametrize(
    ("total", "cutoff", "at_or_above"),
    [
        (32, 33, False),
        (33, 33, True),
        (80, 33, True),
        (0, 33, False),
        (31, 31, True),
        (30, 31, False),
    ],
)
def test_pcl5_cutoff(total: int, cutoff: int, at_or_above: bool) -> None:
    doc = changed({"conditions.suspected": ["ptsd"], "symptoms.pcl5": with_total(total, 20, 4)})
    assert scores_for(doc, Thresholds(pcl5_cutoff=cutoff))["pcl5"] == {
        "total": total,
        "at_or_above_cutoff": at_or_above,
        "cutoff": cutoff,
    }


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "subclinical"),
        (7, "subclinical"),
        (8, "mild"),
        (15, "mild"),
        (16, "moderate"),
        (23, "moderate"),
        (24, "severe"),
        (31, "severe"),
        (32, "extreme"),
        (40, "extreme"),
    ],
)
def test_ybocs_reported_bands(score: int, band: str) -> None:
    doc = changed({"symptoms.ybocs_last_score": score})
    assert scores_for(doc, DEFAULT)["ybocs_reported"] == {"score": score, "band": band}


def test_scores_not_asked_are_null() -> None:
    doc = changed({"symptoms.ybocs_last_score": None, "symptoms.pcl5": None})
    scores = scores_for(doc, DEFAULT)
    assert scores["ybocs_reported"] is None
    assert scores["pcl5"] is None


# --- Wording: the screen informs, it never decides ----------------------------------------------

EVERYTHING = {
    **PLAN,
    "symptoms.phq9": [3, 3, 3, 3, 3, 3, 2, 0, 1],
    "conditions.diagnosed": ["ocd", "bipolar"],
    "safety.suicide_attempt_history": "within_year",
    "safety.mania_current": "yes",
    "safety.psychosis_current": "yes",
    "safety.psychosis_history": "yes",
    "safety.family_psychosis": "yes",
    "safety.ketamine_misuse": "yes",
    "safety.substance_use": "current",
    "safety.mood_stabilizers": ["antipsychotic"],
    "about.date_of_birth": "2010-01-01",
    "about.pregnancy": "pregnant",
    "medical.conditions": ["aneurysm", "stroke", "seizures"],
    "medical.ketamine_allergy": "yes",
    "medical.current_medications": ["opioid", "stimulant"],
    "therapy.erp_sessions": 3,
    "medication_trials": [],
    "practical.payment": "unsure",
    "practical.has_driver": "unsure",
    "practical.schedule_ok": "no",
    **bp(200, 120, "longer"),
}
FORBIDDEN = re.compile(
    r"eligib|qualif|candidate|approv|reject|\bpatient (has|is)\b|\b(has|have) (ocd|bipolar|"
    r"depression|ptsd|anxiety|psychosis|an? [a-z]+ disorder)\b",
    re.IGNORECASE,
)
NOT_FOR_PATIENTS = re.compile(r"flag|diagnos|\b(urgent|high|review|info)\b", re.IGNORECASE)


def corpus() -> list[tuple[dict[str, Any], Thresholds]]:
    docs = [(changed(p.values[0]), DEFAULT) for p in FLAG_ROWS]
    docs.append((changed(EVERYTHING), Thresholds(served_regions=("NY",))))
    docs.append((changed({**EVERYTHING, **NO_READING, "medical.hypertension": "yes"}), DEFAULT))
    docs.append(
        (changed({**EVERYTHING, "conditions.primary_concern": "bipolar_depression"}), DEFAULT)
    )
    return docs


def test_no_flag_wording_decides_or_labels_the_person() -> None:
    seen: set[str] = set()
    for doc, thresholds in corpus():
        for flag in flags_for(doc, AS_OF, thresholds):
            seen.add(flag.id)
            for text in (flag.title, flag.detail, flag.patient_text):
                assert text and not FORBIDDEN.search(text), (flag.id, text)
            assert not NOT_FOR_PATIENTS.search(flag.patient_text), (flag.id, flag.patient_text)
            assert flag.level in LEVELS
            assert flag.sources and set(flag.sources) <= SOURCES
            assert flag.evidence
    assert seen == ALL_FLAG_IDS  # the corpus reaches every flag


def test_each_flag_id_once_at_its_highest_level() -> None:
    result = evaluate(changed(EVERYTHING), AS_OF, Thresholds(served_regions=("NY",)))
    ids = [f.id for f in result.flags]
    assert len(ids) == len(set(ids))
    assert set(ids) == ALL_FLAG_IDS - {"bp_unknown", "not_determined", "antidepressant_trials"}
    by_id = {f.id: f.level for f in result.flags}
    assert (by_id["suicide_risk"], by_id["substance_use"], by_id["blood_pressure"]) == (
        "urgent",
        "high",
        "high",
    )
    ranks = [LEVEL_RANK[f.level] for f in result.flags]
    assert ranks == sorted(ranks, reverse=True)
    assert isinstance(result, Evaluation) and result.highest_level == "urgent"
