"""FLAGS.md row by row, the worked example, and the order of flags (tested without an app)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from screening.rules import (
    LEVEL_RANK,
    LEVELS,
    RULES_VERSION,
    Evidence,
    evaluate,
    flags_for,
)
from tests.rules_cases import (
    AS_OF,
    CARDIO,
    CURRENT_MAOI,
    DEFAULT,
    DEPRESSION,
    ERP_NOT_TRIED,
    NO_PLAN,
    NO_READING,
    NOT_DETERMINED,
    OCD_ONE_SRI,
    OTHER_MEDICAL,
    PLAN,
    TABLE_ORDER,
    TRIALS_6_WEEKS,
    TWO_NON_SRI,
    WORKED_EXAMPLE,
    bp,
    changed,
    levels,
    the_flag,
    trial,
    with_total,
)

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
