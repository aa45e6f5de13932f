"""The summary of a submission in plain words, shaped for the patient or the clinician.

One summary template renders it for both audiences; this module gathers what it shows.
"""

from __future__ import annotations

import re
from typing import Any

from .questionnaire import flow
from .questionnaire.fields import AnswerRow
from .questionnaire.instruments import BAND_LABELS, INSTRUMENTS
from .questionnaire.schema import QUESTIONS
from .questionnaire.types import Document, Page, Question, get
from .questionnaire.validate import question_for
from .questionnaire.words import DEFAULT_LANGUAGE, N_, Worded, document_language, say
from .rules.levels import Level

__all__ = [
    "DATE_OF_BIRTH",
    "PERSON_NAME",
    "AnswerRow",
    "answer_rows",
    "evidence_text",
    "path_label",
]

CRISIS_FLAG_LEVELS = {Level.URGENT, Level.HIGH}

# Whose summary it is, on every printed page: the questions the definition marks with the
# autofill tokens of a person's name and birthday.
PERSON_NAME = next(q for q in QUESTIONS if q.autocomplete == "name")
DATE_OF_BIRTH = next(q for q in QUESTIONS if q.autocomplete == "bday")
# The question of each validated scale, by the scale's key (as the scores name them).
SCALE_QUESTIONS = {q.instrument.key: q for q in QUESTIONS if q.instrument is not None}


ITEM_INDEX = re.compile(r"^(?P<path>[\w.]+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")


def path_label(path: str) -> str:
    """The words that name an answer path, e.g. "Medicine 2: How it went", "PHQ-9 question 9"."""
    question = question_for(path)
    if question is None:
        return path
    match = ITEM_INDEX.match(path)
    if match is None:
        return question.short
    return question.answer_type.item_label(int(match.group("index")), match.group("field"))


def evidence_text(path: str, value: Any) -> str:
    """A piece of evidence (an answer path and its value) in words."""
    question = question_for(path)
    if question is None:
        return str(value)
    match = ITEM_INDEX.match(path)
    if match is None:
        return answer_text(question, value)
    index, field = int(match.group("index")), match.group("field")
    return question.answer_type.item_text(index, field, value)


def answer_text(question: Question, value: Any) -> str:
    """An answer as a person would say it."""
    return question.answer_type.text(value)


def answer_rows(page: Page, doc: Document, *, items: bool, brief: bool = False) -> list[AnswerRow]:
    """The shown questions of a page with their answers; scale items one by one if `items`;
    questions named by their short names if `brief`."""
    return [
        row
        for question in page.visible_questions(doc)
        for row in question.answer_type.summary_rows(
            get(doc, question.path), items=items, brief=brief
        )
    ]


def answer_sections(
    doc: Document, *, items: bool, brief: bool = False
) -> list[tuple[Page, list[AnswerRow]]]:
    """Every shown page that has answers, with its rows."""
    return [
        (page, answer_rows(page, doc, items=items, brief=brief))
        for page in flow.visible_pages(doc)
        if page.reviewable
    ]


PCL5_NOT_ANSWERED = "PCL-5 not answered (Spanish questionnaire; English-only scale)"


def score_rows(scores: dict[str, Any], doc: Document | None = None) -> list[tuple[str, str]]:
    """Scores with their bands, in words; with the answers, a PCL-5 left in Spanish says so."""
    rows = []
    for key in ("phq9", "gad7"):
        score = scores.get(key)
        if score:
            inst = INSTRUMENTS[key]
            band = BAND_LABELS.get(score["band"], score["band"])
            rows.append((inst.name, _out_of(score["total"], inst.max_total, band)))
    pcl5 = scores.get("pcl5")
    if pcl5:
        if pcl5["at_or_above_cutoff"]:
            said = N_("%(total)s of 80 (at or above the screening cut-off of %(cutoff)s)")
        else:
            said = N_("%(total)s of 80 (below the screening cut-off of %(cutoff)s)")
        rows.append(("PCL-5", say(said, total=pcl5["total"], cutoff=pcl5["cutoff"])))
    elif doc is not None and _left_in_english(doc, "pcl5"):
        rows.append(("PCL-5", PCL5_NOT_ANSWERED))
    ybocs = scores.get("ybocs_reported")
    if ybocs:
        band = BAND_LABELS.get(ybocs["band"], ybocs["band"])
        rows.append((N_("Y-BOCS (reported by patient)"), _out_of(ybocs["score"], 40, band)))
    return rows


def _out_of(total: int, maximum: int, band: str) -> Worded:
    """A score in words: "10 of 27 (moderate)"."""
    said = N_("%(total)s of %(maximum)s (%(band)s)")
    return say(said, total=total, maximum=maximum, band=band)


def _left_in_english(doc: Document, scale: str) -> bool:
    """A scale with no translation, asked in another language and left blank (optional there)."""
    question = SCALE_QUESTIONS[scale]
    return (
        question.instrument is not None
        and not question.instrument.translated
        and document_language(doc) != DEFAULT_LANGUAGE
        and question.is_shown(doc)
        and question.answer_type.is_blank(get(doc, question.path))
    )


def summary_context(submission: Any) -> dict[str, Any]:
    """What the patient's summary shows (the clinician's adds to it in clinician/review.py)."""
    flags = submission.flags
    ids = {f["id"]: f["level"] for f in flags}
    return {
        "sections": answer_sections(submission.answers, items=False),
        "scores": score_rows(submission.scores),
        "topics": [f["patient_text"] for f in flags],  # translated where they are shown
        "show_crisis": ids.get("suicide_risk") in CRISIS_FLAG_LEVELS,
        "contact_soon": "mania_or_psychosis_now" in ids,
        # On every printed page, so that a loose page still says whose it is.
        "patient_name": get(submission.answers, PERSON_NAME.path),
        "date_of_birth": get(submission.answers, DATE_OF_BIRTH.path),
    }
