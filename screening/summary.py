"""The summary of a submission in plain words, shaped for the patient or the clinician.

One summary template renders it for both audiences; this module gathers what it shows.
"""

from __future__ import annotations

import re
from typing import Any

from .questionnaire import flow
from .questionnaire.fields import AnswerRow
from .questionnaire.instruments import BAND_LABELS, INSTRUMENTS
from .questionnaire.schema import QUESTIONS_BY_PATH
from .questionnaire.types import Document, Page, Question, get
from .questionnaire.validate import question_for
from .questionnaire.words import N_, Worded, document_language, say
from .rules.levels import Level

__all__ = ["AnswerRow", "answer_rows", "evidence_text", "path_label"]

CRISIS_FLAG_LEVELS = {Level.URGENT, Level.HIGH}


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
    elif doc is not None and _pcl5_left_in_spanish(doc):
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


def _pcl5_left_in_spanish(doc: Document) -> bool:
    pcl5 = QUESTIONS_BY_PATH["symptoms.pcl5"]
    return (
        document_language(doc) == "es"
        and pcl5.is_shown(doc)
        and pcl5.answer_type.is_blank(get(doc, pcl5.path))
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
        "patient_name": submission.answers.get("contact", {}).get("full_name"),
        "date_of_birth": submission.answers.get("about", {}).get("date_of_birth"),
    }
