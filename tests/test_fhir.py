"""The FHIR R4 export, checked as pure functions and against the fhir.resources R4B models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from screening.fhir import ANSWER_SYSTEM, bundle_for, questionnaire_resource
from screening.questionnaire.schema import PAGES, QUESTIONS
from screening.questionnaire.types import Kind
from screening.questionnaire.validate import validate
from screening.rules import Thresholds, evaluate

AS_OF = date(2026, 11, 21)
CREATED = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)
WORKED_EXAMPLE = Path(__file__).parent / "data" / "worked_example.json"
LOINC = "http://loinc.org"
# INSTRUMENTS.md, written out here so a slip in instruments.py shows.
PHQ9_ITEM_CODES = [
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
]
FREQUENCY_CODES = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
SPITZER = "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke"
PCL5_CREDIT = "PCL-5 (Weathers, Litz, Keane, Palmieri, Marx & Schnurr, 2013)"


def worked_example() -> dict[str, Any]:
    return json.loads(WORKED_EXAMPLE.read_text())


def with_ptsd() -> dict[str, Any]:
    doc = worked_example()
    doc["conditions"]["diagnosed"].append("ptsd")
    doc["symptoms"]["pcl5"] = [index % 5 for index in range(20)]
    return doc


def without_ybocs() -> dict[str, Any]:
    doc = worked_example()
    doc["symptoms"]["ybocs_last_score"] = None
    return doc


def submission(doc: dict[str, Any], id: int = 7, reference: str = "K7Q2M4XP") -> Any:
    """An object with the Submission attributes the export reads, for a valid document."""
    assert validate(doc, AS_OF) == []
    evaluation = evaluate(doc, AS_OF, Thresholds())
    return SimpleNamespace(
        id=id,
        reference=reference,
        created_at=CREATED,
        questionnaire_version=1,
        rules_version="1",
        answers=doc,
        flags=evaluation.to_dict()["flags"],
        scores=evaluation.scores,
        status="new",
    )


def walk(node: dict[str, Any], parents: tuple[str, ...] = ()) -> Iterator[tuple[tuple, dict]]:
    """Every item under a resource or item, with the linkIds of its ancestors."""
    for item in node.get("item", []):
        yield parents, item
        yield from walk(item, (*parents, item["linkId"]))


def items(resource: dict[str, Any], link_id: str) -> list[dict[str, Any]]:
    return [item for _, item in walk(resource) if item["linkId"] == link_id]


def item(resource: dict[str, Any], link_id: str) -> dict[str, Any]:
    (found,) = items(resource, link_id)
    return found


def resources(bundle: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == resource_type
    ]


def response_of(doc: dict[str, Any]) -> dict[str, Any]:
    (response,) = resources(bundle_for(submission(doc)), "QuestionnaireResponse")
    return response


def codes(answers: list[dict[str, Any]]) -> list[str]:
    return [answer["valueCoding"]["code"] for answer in answers]


# --- The Questionnaire --------------------------------------------------------------------


def test_questionnaire_is_a_valid_r4_questionnaire() -> None:
    resource = questionnaire_resource()
    parsed = Questionnaire.model_validate(resource)
    assert parsed.status == "active"
    assert parsed.version == "1"
    assert parsed.url == resource["url"]


def test_questionnaire_has_a_group_per_page_and_an_item_per_question() -> None:
    resource = questionnaire_resource()
    assert [(g["linkId"], g["text"], g["type"]) for g in resource["item"]] == [
        (page.slug, page.title, "group") for page in PAGES if page.questions
    ]
    for page in PAGES:
        for question in page.questions:
            (parents,) = [p for p, i in walk(resource) if i["linkId"] == question.path]
            assert parents == (page.slug,), question.path
    linked = {i["linkId"] for _, i in walk(resource)}
    assert {q.path for q in QUESTIONS} <= linked


def test_phq9_items_carry_loinc_codes_in_order() -> None:
    resource = questionnaire_resource()
    panel = item(resource, "symptoms.phq9")
    assert panel["type"] == "group"
    assert panel["code"] == [{"system": LOINC, "code": "44249-1"}]
    questions = [i for i in panel["item"] if i["type"] == "choice"]
    assert [i["linkId"] for i in questions] == [f"symptoms.phq9[{n}]" for n in range(9)]
    assert [i["code"][0]["code"] for i in questions] == PHQ9_ITEM_CODES
    for question in questions:
        options = [option["valueCoding"] for option in question["answerOption"]]
        assert [o["code"] for o in options] == FREQUENCY_CODES
        assert {o["system"] for o in options} == {LOINC}
        assert question["required"] is True


ALL_QUESTIONS = {
    **{q.path: q for q in QUESTIONS},
    **{f"{q.path}.{f.path}": f for q in QUESTIONS for f in q.fields},
}
CHOICE_QUESTIONS = {p: q for p, q in ALL_QUESTIONS.items() if q.kind in (Kind.CHOICE, Kind.MULTI)}


@pytest.mark.parametrize("path", sorted(CHOICE_QUESTIONS))
def test_choice_answer_options_equal_the_choices(path: str) -> None:
    question = CHOICE_QUESTIONS[path]
    options = item(questionnaire_resource(), path)["answerOption"]
    assert [o["valueCoding"] for o in options] == [
        {"system": ANSWER_SYSTEM, "code": c.value, "display": question.choice_label(c.value)}
        for c in question.choices
    ]


@pytest.mark.parametrize(
    ("link_id", "expected"),
    [
        ("consent.data_use_ack", {"type": "boolean", "required": True}),
        ("about.date_of_birth", {"type": "date", "required": True}),
        ("conditions.diagnosed", {"type": "choice", "repeats": True}),
        ("conditions.other_text", {"type": "string", "maxLength": 200, "required": True}),
        ("contact.email", {"type": "string", "required": True}),
        ("contact.phone", {"type": "string"}),
        ("notes", {"type": "text", "maxLength": 2000}),
        ("medical.bp_systolic", {"type": "integer"}),
        ("medication_trials", {"type": "group", "repeats": True}),
        ("medication_trials.max_daily_dose_mg", {"type": "decimal"}),
        ("medication_trials.current", {"type": "boolean", "required": True}),
    ],
)
def test_item_types_follow_the_kind_of_question(link_id: str, expected: dict[str, Any]) -> None:
    found = item(questionnaire_resource(), link_id)
    assert {key: found.get(key) for key in expected} == expected
    if "required" not in expected:
        assert "required" not in found


def test_medication_trial_rows_nest_their_fields() -> None:
    group = item(questionnaire_resource(), "medication_trials")
    assert [i["linkId"] for i in group["item"]] == [
        "medication_trials.medication",
        "medication_trials.max_daily_dose_mg",
        "medication_trials.duration_weeks",
        "medication_trials.outcome",
        "medication_trials.current",
    ]


def test_simple_conditions_become_enable_when() -> None:
    resource = questionnaire_resource()
    pregnancy = item(resource, "about.pregnancy")
    assert pregnancy["required"] is True
    assert [
        (w["question"], w["operator"], w["answerCoding"]["code"]) for w in pregnancy["enableWhen"]
    ] == [("about.sex_at_birth", "!=", "male")]
    other = item(resource, "conditions.other_text")
    assert other["enableBehavior"] == "any"
    assert [w["question"] for w in other["enableWhen"]] == [
        "conditions.diagnosed",
        "conditions.suspected",
        "conditions.primary_concern",
    ]
    bp_when = item(resource, "medical.bp_when")
    assert {w["operator"] for w in bp_when["enableWhen"]} == {"exists"}


def enable_when_of(found: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(w["question"], w["operator"], w["answerCoding"]["code"]) for w in found["enableWhen"]]


def test_conditions_on_other_pages_become_enable_when_and_their_questions_are_required() -> None:
    resource = questionnaire_resource()
    mentioned = ["conditions.diagnosed", "conditions.suspected", "conditions.primary_concern"]
    for link_id, condition in (("symptoms.ocd_time_per_day", "ocd"), ("symptoms.pcl5", "ptsd")):
        found = item(resource, link_id)
        assert found.get("required") is (True if found["type"] != "group" else None)
        assert found["enableBehavior"] == "any"
        assert enable_when_of(found) == [(path, "=", condition) for path in mentioned]
    pcl5 = item(resource, "symptoms.pcl5")
    # Required in English only (SPANISH.md): a constraint on the response's language says so.
    assert not any(i["required"] for i in pcl5["item"] if i["type"] == "choice")
    (constraint,) = pcl5["extension"]
    parts = {p["url"]: next(v for k, v in p.items() if k != "url") for p in constraint["extension"]}
    assert parts["expression"] == "%resource.language in ('es') or item.all(answer.exists())"
    assert parts["severity"] == "error"
    symptoms = item(resource, "symptoms")
    assert sorted({code for _, _, code in enable_when_of(symptoms)}) == ["ocd", "ptsd"]


def test_the_safety_check_page_is_enabled_by_phq9_item_9_scored_1_to_3() -> None:
    resource = questionnaire_resource()
    page = item(resource, "safety-check")
    assert page["enableBehavior"] == "any"
    assert enable_when_of(page) == [("symptoms.phq9[8]", "=", code) for code in FREQUENCY_CODES[1:]]
    question = item(resource, "safety.suicide_plan_or_intent")
    assert question["required"] is True
    assert "enableWhen" not in question  # its page's condition covers it


def test_instrument_credit_lines_are_shown() -> None:
    resource = questionnaire_resource()
    for scale in ("phq9", "gad7", "pcl5"):
        credit = item(resource, f"symptoms.{scale}.credit")
        assert credit["type"] == "display"
        assert (PCL5_CREDIT if scale == "pcl5" else SPITZER) in credit["text"]
    assert SPITZER in resource["copyright"]
    assert PCL5_CREDIT in resource["copyright"]


def test_questionnaire_url_is_configured_or_a_fixed_urn() -> None:
    assert questionnaire_resource()["url"] == questionnaire_resource()["url"]
    assert questionnaire_resource()["url"].startswith("urn:uuid:")
    canonical = "https://clinic.example/fhir/Questionnaire/screening"
    assert questionnaire_resource(canonical)["url"] == canonical
    assert questionnaire_resource(canonical)["version"] == "1"


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:8080"])
def test_published_questionnaire_url_ignores_the_host_header(client, host: str) -> None:
    resource = client.get("/fhir/Questionnaire", headers={"Host": host}).get_json()
    assert resource["url"] == questionnaire_resource()["url"]
    assert host not in json.dumps(resource)


# --- A submission as a Bundle -------------------------------------------------------------


def test_bundle_and_every_entry_are_valid_r4() -> None:
    bundle = bundle_for(submission(worked_example()))
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert bundle["type"] == "collection"
    assert bundle["identifier"]["value"] == "K7Q2M4XP"
    assert bundle["timestamp"] == "2026-11-21T15:30:00+00:00"


def test_bundle_holds_one_response_and_the_two_totals() -> None:
    bundle = bundle_for(submission(worked_example()))
    assert len(bundle["entry"]) == 3
    (response,) = resources(bundle, "QuestionnaireResponse")
    response_url = bundle["entry"][0]["fullUrl"]
    assert bundle["entry"][0]["resource"] is response
    assert response["status"] == "completed"
    assert response["authored"] == "2026-11-21T15:30:00+00:00"
    totals = {obs["code"]["coding"][0]["code"]: obs for obs in resources(bundle, "Observation")}
    assert {code: obs["valueInteger"] for code, obs in totals.items()} == {
        "44261-6": 10,
        "70274-6": 10,
    }
    for obs in totals.values():
        assert obs["status"] == "final"
        assert obs["category"][0]["coding"][0]["code"] == "survey"
        assert obs["effectiveDateTime"] == "2026-11-21T15:30:00+00:00"
        assert obs["interpretation"][0]["text"].startswith("moderate")
        assert obs["derivedFrom"] == [{"reference": response_url}]


def test_observation_values_come_from_the_scores() -> None:
    doc = worked_example()
    doc["symptoms"]["phq9"] = [3, 3, 3, 3, 3, 3, 3, 3, 0]
    doc["safety"]["suicide_plan_or_intent"] = None
    values = {
        obs["code"]["coding"][0]["code"]: obs["valueInteger"]
        for obs in resources(bundle_for(submission(doc)), "Observation")
    }
    assert values == {"44261-6": 24, "70274-6": 10}


def test_response_mirrors_the_questionnaire() -> None:
    questionnaire = questionnaire_resource()
    defined = {(*parents, i["linkId"]) for parents, i in walk(questionnaire)}
    response = response_of(worked_example())
    assert response["questionnaire"] == f"{questionnaire['url']}|1"
    for parents, answered in walk(response):
        assert (*parents, answered["linkId"]) in defined


def test_response_links_to_the_configured_questionnaire_url() -> None:
    bundle = bundle_for(
        submission(worked_example()), "https://clinic.example/fhir/Questionnaire/screening"
    )
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert response["questionnaire"] == "https://clinic.example/fhir/Questionnaire/screening|1"


def test_response_holds_the_answers_typed_by_kind() -> None:
    response = response_of(worked_example())
    assert item(response, "about.date_of_birth")["answer"] == [{"valueDate": "1988-03-14"}]
    assert item(response, "consent.data_use_ack")["answer"] == [{"valueBoolean": True}]
    assert item(response, "about.sex_at_birth")["answer"] == [
        {"valueCoding": {"system": ANSWER_SYSTEM, "code": "female", "display": "Female"}}
    ]
    assert codes(item(response, "conditions.diagnosed")["answer"]) == ["ocd", "depression"]
    assert item(response, "therapy.erp_sessions")["answer"] == [{"valueInteger": 16}]
    # Contact details are answers too: the export is for admins.
    assert item(response, "contact.full_name")["answer"] == [{"valueString": "Alex Example"}]
    assert item(response, "notes")["answer"] == [
        {"valueString": "Free text in the patient's own words."}
    ]


def test_response_holds_each_medication_trial_as_a_group() -> None:
    trials = items(response_of(worked_example()), "medication_trials")
    assert len(trials) == 2
    rows = [{i["linkId"].split(".")[1]: i["answer"][0] for i in row["item"]} for row in trials]
    assert [row["medication"]["valueCoding"]["code"] for row in rows] == [
        "sertraline",
        "fluoxetine",
    ]
    assert rows[0]["max_daily_dose_mg"] == {"valueDecimal": 200}
    assert rows[0]["duration_weeks"] == {"valueInteger": 14}
    assert rows[0]["current"] == {"valueBoolean": False}  # false is an answer, not a gap
    assert rows[1]["current"] == {"valueBoolean": True}


def test_response_holds_phq9_answers_with_loinc_codes() -> None:
    phq9 = item(response_of(worked_example()), "symptoms.phq9")
    answers = [i["answer"][0]["valueCoding"] for i in phq9["item"]]
    scores = [2, 2, 1, 2, 1, 1, 1, 0, 0]
    assert [a["code"] for a in answers] == [FREQUENCY_CODES[s] for s in scores]
    assert {a["system"] for a in answers} == {LOINC}
    assert answers[0]["display"] == "More than half the days"


@pytest.mark.parametrize(
    "link_id",
    [
        "symptoms.pcl5",
        "safety.suicide_plan_or_intent",
        "conditions.other_text",
        "conditions.suspected",
        "safety.mood_stabilizers",
        "therapy.ketamine_response",
        "practical.insurance_name",
        "safety-check",
    ],
)
def test_unanswered_questions_are_left_out(link_id: str) -> None:
    response = response_of(worked_example())
    assert items(response, link_id) == []
    assert items(response, "about.region")  # the walk does find answered ones


def test_ptsd_mentioned_includes_the_pcl5_answers() -> None:
    response = response_of(with_ptsd())
    pcl5 = item(response, "symptoms.pcl5")
    answers = [i["answer"][0]["valueCoding"] for i in pcl5["item"]]
    assert [i["linkId"] for i in pcl5["item"]] == [f"symptoms.pcl5[{n}]" for n in range(20)]
    assert [a["code"] for a in answers] == [str(n % 5) for n in range(20)]
    assert answers[4]["display"] == "Extremely"


def test_ybocs_score_appears_only_when_given() -> None:
    given = item(response_of(worked_example()), "symptoms.ybocs_last_score")
    assert given["answer"] == [{"valueInteger": 27}]
    assert items(response_of(without_ybocs()), "symptoms.ybocs_last_score") == []


def test_full_urls_are_stable_per_submission_and_distinct() -> None:
    first = [e["fullUrl"] for e in bundle_for(submission(worked_example()))["entry"]]
    again = [e["fullUrl"] for e in bundle_for(submission(worked_example()))["entry"]]
    other = [e["fullUrl"] for e in bundle_for(submission(worked_example(), id=8))["entry"]]
    assert first == again
    assert len(set(first)) == 3
    assert not set(first) & set(other)
    assert all(url.startswith("urn:uuid:") for url in first)
