"""The summary of a submission in plain words, shaped for the patient or the clinician.

One summary template renders it for both audiences; this module gathers what it shows.
"""

from __future__ import annotations

import re
from typing import Any

from .questionnaire import flow
from .questionnaire.fields import AnswerRow
from .questionnaire.instruments import BAND_LABELS, INSTRUMENTS
from .questionnaire.types import Document, Page, Question, get
from .questionnaire.validate import question_for
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


def score_rows(scores: dict[str, Any]) -> list[tuple[str, str]]:
    """Scores with their bands, in words."""
    rows = []
    for key in ("phq9", "gad7"):
        score = scores.get(key)
        if score:
            inst = INSTRUMENTS[key]
            band = BAND_LABELS.get(score["band"], score["band"])
            rows.append((inst.name, f"{score['total']} of {inst.max_total} ({band})"))
    pcl5 = scores.get("pcl5")
    if pcl5:
        position = "at or above" if pcl5["at_or_above_cutoff"] else "below"
        rows.append(
            (
                "PCL-5",
                f"{pcl5['total']} of 80 ({position} the screening cut-off of {pcl5['cutoff']})",
            )
        )
    ybocs = scores.get("ybocs_reported")
    if ybocs:
        band = BAND_LABELS.get(ybocs["band"], ybocs["band"])
        rows.append(("Y-BOCS (reported by patient)", f"{ybocs['score']} of 40 ({band})"))
    return rows


def summary_context(submission: Any) -> dict[str, Any]:
    """What the patient's summary shows (the clinician's adds to it in clinician/review.py)."""
    flags = submission.flags
    ids = {f["id"]: f["level"] for f in flags}
    return {
        "sections": answer_sections(submission.answers, items=False),
        "scores": score_rows(submission.scores),
        "topics": [f["patient_text"] for f in flags],
        "show_crisis": ids.get("suicide_risk") in CRISIS_FLAG_LEVELS,
        "contact_soon": "mania_or_psychosis_now" in ids,
        # On every printed page, so that a loose page still says whose it is.
        "patient_name": submission.answers.get("contact", {}).get("full_name"),
        "date_of_birth": submission.answers.get("about", {}).get("date_of_birth"),
    }
