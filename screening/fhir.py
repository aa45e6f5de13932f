"""FHIR R4 export: the questionnaire as a Questionnaire, a submission as a Bundle. No Flask.

Everything is generated from `questionnaire.schema`, so a new question appears here by itself.
Plain dicts in FHIR JSON shape come out; tests validate them with fhir.resources (R4B models,
whose Questionnaire, QuestionnaireResponse, Observation and Bundle match R4).

What is left out, on purpose:
- Show-conditions the schema can state only as Python (OCD or PTSD mentioned, PHQ-9 item 9
  above 0) get no `enableWhen`, and their questions are not marked `required`: FHIR would
  otherwise demand an answer from everyone. Simple answer tests become `enableWhen`.
- Hints, ranges and row limits need extensions (SDC); none are used.
- The answer document holds contact details, so the QuestionnaireResponse does too: the export
  is personal health information and is for admins only.
"""

from __future__ import annotations

from typing import Any

from .questionnaire import QUESTIONNAIRE_VERSION, instruments
from .questionnaire.codes import ANSWER_SYSTEM, LOINC, urn
from .questionnaire.instruments import Instrument
from .questionnaire.schema import PAGES, QUESTIONS_BY_PATH
from .questionnaire.types import Document, Page, Question, get

__all__ = ["ANSWER_SYSTEM", "LOINC", "bundle_for", "questionnaire_resource"]

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

REFERENCE_SYSTEM = urn("submission-reference")


def questionnaire_url(base_url: str = "") -> str:
    """The Questionnaire's canonical URL: under base_url when given, else a fixed URN."""
    if base_url:
        return f"{base_url.rstrip('/')}/fhir/Questionnaire/screening"
    return urn("questionnaire")


# --- The Questionnaire ---------------------------------------------------------------------


def _coding(question: Question, value: str) -> dict[str, str]:
    return {"system": ANSWER_SYSTEM, "code": value, "display": question.choice_label(value)}


def _enable_when(question: Question) -> tuple[list[dict[str, Any]], str] | None:
    """The question's show-condition as (enableWhen, enableBehavior), or None if not simple."""
    if question.shown is None or not question.shown.client:
        return None
    clauses: list[dict[str, Any]] = []
    for clause in question.shown.client:
        target = QUESTIONS_BY_PATH[clause["path"]]
        if clause.get("answered"):
            clauses.append({"question": target.path, "operator": "exists", "answerBoolean": True})
        elif "in" in clause:
            clauses += [
                {"question": target.path, "operator": "=", "answerCoding": _coding(target, v)}
                for v in clause["in"]
            ]
        elif "not_in" in clause and len(clause["not_in"]) == 1:
            value = clause["not_in"][0]
            clauses.append(
                {"question": target.path, "operator": "!=", "answerCoding": _coding(target, value)}
            )
        else:  # "none of several values" is an AND, and the clauses are ORed
            return None
    return clauses, "any"


def _question_item(question: Question, page: Page, link_id: str | None = None) -> dict[str, Any]:
    """One question as a Questionnaire item; sub-questions of a group are nested."""
    item: dict[str, Any] = {"linkId": link_id or question.path, "text": question.label}
    if question.instrument and question.instrument.loinc_panel:
        item["code"] = [{"system": LOINC, "code": question.instrument.loinc_panel}]
    item["type"] = question.answer_type.fhir_type
    enable_when = _enable_when(question)
    if enable_when:
        item["enableWhen"], item["enableBehavior"] = enable_when
    # Required only when FHIR can tell when the question is asked (see the module docstring).
    required = bool(
        question.required and page.shown is None and (question.shown is None or enable_when)
    )
    if required:
        item["required"] = True

    def nested(sub: Question, link: str) -> dict[str, Any]:
        return _question_item(sub, page, link)

    item.update(question.answer_type.fhir_details(required, nested))
    return item


def questionnaire_resource(base_url: str = "") -> dict[str, Any]:
    """The questionnaire definition as a FHIR R4 Questionnaire: one group item per page."""
    credits = dict.fromkeys(i.credit for i in instruments.INSTRUMENTS.values())
    return {
        "resourceType": "Questionnaire",
        "id": "screening",
        "url": questionnaire_url(base_url),
        "version": str(QUESTIONNAIRE_VERSION),
        "name": "KetamineTherapyScreening",
        "title": "Screening questionnaire",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "Answers a clinician reviews before a ketamine-therapy consultation. "
        "The questionnaire does not diagnose or decide eligibility.",
        "copyright": " ".join(credits),
        "item": [
            {
                "linkId": page.slug,
                "text": page.title,
                "type": "group",
                "item": [_question_item(q, page) for q in page.questions],
            }
            for page in PAGES
            if page.questions
        ],
    }


# --- A submission as a Bundle -----------------------------------------------------------------


def questionnaire_response(
    doc: Document, authored: str, version: int, base_url: str = ""
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
        "questionnaire": f"{questionnaire_url(base_url)}|{version}",
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


def bundle_for(submission: Any, base_url: str = "") -> dict[str, Any]:
    """A submission as a FHIR R4 collection Bundle: its QuestionnaireResponse and two totals.

    `submission` needs id, reference, created_at (aware UTC), questionnaire_version, answers
    and scores. Entry fullUrls are uuid5 URNs of the submission, the same on every export.
    """
    created = submission.created_at.isoformat()

    def full_url(kind: str) -> str:
        return urn(f"submission/{submission.id}/{submission.reference}/{kind}")

    identifier = {"system": REFERENCE_SYSTEM, "value": submission.reference}
    response = questionnaire_response(
        submission.answers, created, submission.questionnaire_version, base_url
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
