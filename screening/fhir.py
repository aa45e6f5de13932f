"""FHIR R4 export: the questionnaire as a Questionnaire, a submission as a Bundle. No Flask.

Everything is generated from `questionnaire.schema`, so a new question appears here by itself.
Plain dicts in FHIR JSON shape come out; tests validate them with fhir.resources (R4B models,
whose Questionnaire, QuestionnaireResponse, Observation and Bundle match R4).

Every show-condition (pages and questions) becomes `enableWhen`/`enableBehavior`, generated
from the same condition objects the pages use (`enable_when`), so required questions are
`required` and FHIR asks for them only when they are shown.

What is left out, on purpose:
- Answers required only in some cases (the phone number when contact is by phone or text) are
  not `required`: core FHIR cannot say "required when"; the app's validator still decides.
- Hints, ranges and row limits need extensions (SDC); none are used.
- The answer document holds contact details, so the QuestionnaireResponse does too: the export
  is personal health information and is for admins only.
"""

from __future__ import annotations

from typing import Any

from .questionnaire import QUESTIONNAIRE_VERSION, instruments
from .questionnaire.codes import ANSWER_SYSTEM, LOINC, scale_coding, urn
from .questionnaire.conditions import Clause, Condition
from .questionnaire.instruments import Instrument
from .questionnaire.schema import PAGES, QUESTIONS_BY_PATH
from .questionnaire.types import Document, Page, Question, get

__all__ = ["ANSWER_SYSTEM", "LOINC", "bundle_for", "enable_when", "questionnaire_resource"]

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
REFERENCE_SYSTEM = urn("submission-reference")


def questionnaire_url(canonical: str | None = None) -> str:
    """The Questionnaire's canonical URL: configured (FHIR_CANONICAL_URL), else a fixed URN.

    Never taken from a request: every server of one deployment publishes one questionnaire.
    """
    return canonical or urn("questionnaire")


# --- The Questionnaire ---------------------------------------------------------------------


def _coding(question: Question, value: str) -> dict[str, str]:
    return {"system": ANSWER_SYSTEM, "code": value, "display": question.choice_label(value)}


def _clause_enable_when(clause: Clause) -> list[dict[str, Any]]:
    """One clause of a condition as enableWhen entries (ORed among themselves)."""
    target = QUESTIONS_BY_PATH[clause["path"]]
    if "in" in clause:
        return [
            {"question": target.path, "operator": "=", "answerCoding": _coding(target, v)}
            for v in clause["in"]
        ]
    if "not_in" in clause:
        return [
            {"question": target.path, "operator": "!=", "answerCoding": _coding(target, v)}
            for v in clause["not_in"]
        ]
    if "answered" in clause:
        return [{"question": target.path, "operator": "exists", "answerBoolean": True}]
    if "at_least" in clause:
        instrument = target.instrument
        assert instrument is not None
        link_id = f"{target.path}[{clause['item']}]"
        return [
            {"question": link_id, "operator": "=", "answerCoding": scale_coding(instrument, s)}
            for s, _ in instrument.options
            if s >= clause["at_least"]
        ]
    raise ValueError(f"no enableWhen for {clause!r}")


def enable_when(condition: Condition) -> tuple[list[dict[str, Any]], str]:
    """A show-condition as (enableWhen, enableBehavior): the clauses are ORed ("any"); a single
    "none of these values" clause is an AND of "!=" ("all")."""
    if len(condition.clauses) == 1 and "not_in" in condition.clauses[0]:
        return _clause_enable_when(condition.clauses[0]), "all"
    if any("not_in" in clause for clause in condition.clauses):
        raise ValueError(f"{condition.reason}: 'not_in' mixed with other clauses")
    return [w for clause in condition.clauses for w in _clause_enable_when(clause)], "any"


def _question_item(question: Question, page: Page, link_id: str | None = None) -> dict[str, Any]:
    """One question as a Questionnaire item; sub-questions of a group are nested."""
    item: dict[str, Any] = {"linkId": link_id or question.path, "text": question.label}
    if question.instrument and question.instrument.loinc_panel:
        item["code"] = [{"system": LOINC, "code": question.instrument.loinc_panel}]
    item["type"] = question.answer_type.fhir_type
    # A condition the page already has is enforced by the page's group.
    if question.shown is not None and question.shown != page.shown:
        item["enableWhen"], item["enableBehavior"] = enable_when(question.shown)
    # A scale's items are each required; a group itself holds no answer to require.
    required = question.required
    if required and item["type"] != "group":
        item["required"] = True

    def nested(sub: Question, link: str) -> dict[str, Any]:
        return _question_item(sub, page, link)

    item.update(question.answer_type.fhir_details(required, nested))
    return item


def _page_item(page: Page) -> dict[str, Any]:
    """One page as a group item, enabled when the page is shown."""
    item: dict[str, Any] = {"linkId": page.slug, "text": page.title, "type": "group"}
    if page.shown is not None:
        item["enableWhen"], item["enableBehavior"] = enable_when(page.shown)
    item["item"] = [_question_item(q, page) for q in page.questions]
    return item


def questionnaire_resource(canonical: str | None = None) -> dict[str, Any]:
    """The questionnaire definition as a FHIR R4 Questionnaire: one group item per page."""
    credits = dict.fromkeys(i.credit for i in instruments.INSTRUMENTS.values())
    return {
        "resourceType": "Questionnaire",
        "id": "screening",
        "url": questionnaire_url(canonical),
        "version": str(QUESTIONNAIRE_VERSION),
        "name": "KetamineTherapyScreening",
        "title": "Screening questionnaire",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "Answers a clinician reviews before a ketamine-therapy consultation. "
        "The questionnaire does not diagnose or decide eligibility.",
        "copyright": " ".join(credits),
        "item": [_page_item(page) for page in PAGES if page.questions],
    }


# --- A submission as a Bundle -----------------------------------------------------------------


def questionnaire_response(
    doc: Document, authored: str, version: int, canonical: str | None = None
) -> dict[str, Any]:
    """The answers of one document as a completed QuestionnaireResponse to that version."""
    pages = []
    for page in PAGES:
        items = [
            item
            for q in page.questions
            for item in q.answer_type.fhir_response(get(doc, q.path), q.path)
        ]
        if items:
            pages.append({"linkId": page.slug, "text": page.title, "item": items})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire_url(canonical)}|{version}",
        "status": "completed",
        "authored": authored,
        "item": pages,
    }


def _total_observation(
    instrument: Instrument, score: dict[str, Any], effective: str, response_url: str
) -> dict[str, Any]:
    """A scale's total as a survey Observation, derived from the QuestionnaireResponse."""
    band = instruments.BAND_LABELS.get(score["band"], score["band"])
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [{"system": LOINC, "code": instrument.loinc_total}],
            "text": f"{instrument.name} total score",
        },
        "effectiveDateTime": effective,
        "valueInteger": score["total"],
        "interpretation": [{"text": f"{band} ({instrument.name} published severity band)"}],
        "derivedFrom": [{"reference": response_url}],
    }


def bundle_for(submission: Any, canonical: str | None = None) -> dict[str, Any]:
    """A submission as a FHIR R4 collection Bundle: its QuestionnaireResponse and two totals.

    `submission` needs id, reference, created_at (aware UTC), questionnaire_version, answers
    and scores. Entry fullUrls are uuid5 URNs of the submission, the same on every export.
    """
    created = submission.created_at.isoformat()

    def full_url(kind: str) -> str:
        return urn(f"submission/{submission.id}/{submission.reference}/{kind}")

    identifier = {"system": REFERENCE_SYSTEM, "value": submission.reference}
    response = questionnaire_response(
        submission.answers, created, submission.questionnaire_version, canonical
    )
    response["identifier"] = dict(identifier)
    response_url = full_url("QuestionnaireResponse")
    entries = [{"fullUrl": response_url, "resource": response}]
    for scale in (instruments.PHQ9, instruments.GAD7):
        observation = _total_observation(scale, submission.scores[scale.key], created, response_url)
        entries.append({"fullUrl": full_url(scale.key), "resource": observation})
    return {
        "resourceType": "Bundle",
        "identifier": identifier,
        "type": "collection",
        "timestamp": created,
        "entry": entries,
    }
