"""What each flag says: evidence, detail, ages, and wording that informs and never decides."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from screening.rules import (
    LEVEL_RANK,
    LEVELS,
    Evaluation,
    Evidence,
    Thresholds,
    age_on,
    evaluate,
    flags_for,
)
from tests.rules_cases import (
    ALL_FLAG_IDS,
    AS_OF,
    DEFAULT,
    DEPRESSION,
    NO_READING,
    OCD_ONE_SRI,
    PLAN,
    SOURCES,
    bp,
    changed,
    levels,
    the_flag,
    trial,
)
from tests.test_rules_flags import FLAG_ROWS

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
