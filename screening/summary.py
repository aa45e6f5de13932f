"""The summary of a submission in plain words, shaped for the patient or the clinician.

One summary template renders it for both audiences; this module gathers what it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .questionnaire import flow
from .questionnaire.instruments import BAND_LABELS, INSTRUMENTS
from .questionnaire.schema import MEDICATIONS, TRIAL_FIELDS
from .questionnaire.types import Document, Kind, Page, Question, get
from .questionnaire.validate import question_for

CRISIS_FLAG_LEVELS = {"urgent", "high"}
TRIAL_OUTCOME = next(field for field in TRIAL_FIELDS if field.key == "outcome")


@dataclass(frozen=True)
class AnswerRow:
    """One question and its answer, in words."""

    label: str
    answer: str
    path: str


ITEM_INDEX = re.compile(r"^(?P<path>[\w.]+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")


def path_label(path: str) -> str:
    """The words that name an answer path, e.g. "Medicine 2: How it went", "PHQ-9 question 9"."""
    question = question_for(path)
    if question is None:
        return path
    match = ITEM_INDEX.match(path)
    if match is None:
        return question.short
    number = int(match.group("index")) + 1
    if question.kind is Kind.GROUP:
        sub = next((f for f in question.fields if f.key == match.group("field")), None)
        return f"Medicine {number}: {sub.short}" if sub else f"Medicine {number}"
    if question.kind is Kind.SCALE:
        return f"{question.short} question {number}"
    return question.short


def evidence_text(path: str, value: Any) -> str:
    """A piece of evidence (an answer path and its value) in words."""
    question = question_for(path)
    if question is None:
        return str(value)
    match = ITEM_INDEX.match(path)
    if match is None:
        return answer_text(question, value)
    if question.kind is Kind.GROUP:
        sub = next((f for f in question.fields if f.key == match.group("field")), None)
        if sub is None:
            return trial_text(value) if isinstance(value, dict) else str(value)
        return answer_text(sub, value)
    if question.kind is Kind.SCALE and isinstance(value, int):
        return f"{value} ({question.instrument.option_label(value)})"
    return question.choice_label(value)


def answer_text(question: Question, value: Any) -> str:
    """An answer as a person would say it."""
    if value is None:
        return "Not answered"
    kind = question.kind
    if kind is Kind.MULTI:
        return ", ".join(question.choice_label(v) for v in value) if value else "None of these"
    if kind in (Kind.ACK, Kind.BOOL):
        return "Yes" if value else "No"
    if kind is Kind.CHOICE:
        return question.choice_label(value)
    if kind is Kind.SCALE:
        inst = question.instrument
        return f"Total {sum(value)} of {inst.max_total}"
    if kind is Kind.GROUP:
        return f"{len(value)} listed" if value else "None listed"
    return str(value)


def trial_text(trial: dict[str, Any]) -> str:
    """One medication trial in a sentence."""
    medication = MEDICATIONS.get(trial.get("medication"))
    parts = [medication.label if medication else str(trial.get("medication"))]
    if trial.get("max_daily_dose_mg") is not None:
        parts.append(f"up to {trial['max_daily_dose_mg']:g} mg a day")
    if trial.get("duration_weeks") is not None:
        parts.append(f"{trial['duration_weeks']} weeks")
    outcome = TRIAL_OUTCOME.choice_label(trial.get("outcome"))
    now = "taking it now" if trial.get("current") else "not taking it now"
    return f"{', '.join(parts)}: {outcome.lower()}; {now}"


def answer_rows(page: Page, doc: Document, *, items: bool, brief: bool = False) -> list[AnswerRow]:
    """The shown questions of a page with their answers; scale items one by one if `items`;
    questions named by their short names if `brief`."""
    rows: list[AnswerRow] = []
    for question in page.visible_questions(doc):
        value = get(doc, question.path)
        if brief and question.kind is not Kind.GROUP and question.kind is not Kind.SCALE:
            rows.append(AnswerRow(question.short, answer_text(question, value), question.path))
            continue
        if question.kind is Kind.SCALE and items and value is not None:
            inst = question.instrument
            rows.extend(
                AnswerRow(
                    f"{inst.name} {i + 1}. {text}", inst.option_label(v), f"{question.path}[{i}]"
                )
                for i, (text, v) in enumerate(zip(inst.items, value, strict=True))
            )
            rows.append(
                AnswerRow(f"{inst.name} total", answer_text(question, value), question.path)
            )
        elif question.kind is Kind.GROUP:
            if not value:
                rows.append(AnswerRow(question.label, "None listed", question.path))
            for i, trial in enumerate(value or []):
                rows.append(
                    AnswerRow(f"Medicine {i + 1}", trial_text(trial), f"{question.path}[{i}]")
                )
        elif question.kind is Kind.SCALE:
            rows.append(
                AnswerRow(f"{question.short} total", answer_text(question, value), question.path)
            )
        else:
            rows.append(AnswerRow(question.label, answer_text(question, value), question.path))
    return rows


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
