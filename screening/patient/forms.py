"""Questionnaire pages as forms: the fields come from the questionnaire definition.

A page is read into two things: the raw strings as typed (to show again, so nothing a
person typed is lost) and the answers for the document (typed where the text allows; text
that is not a number stays text, and the one validator says what is accepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from ..questionnaire.types import Document, Kind, Page, Question, get
from ..questionnaire.validate import Problem
from ..summary import path_label

MAX_GROUP_ROWS_READ = 50  # more than the limit, so the validator can say so; never unbounded
# ASCII digits only: other scripts' digits stay text, and the validator says what is accepted.
INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,9}")
NUMBER_TEXT = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?|\.[0-9]{1,6}")
SCALE_TEXT = re.compile(r"[0-9]")


class PageForm(FlaskForm):
    """Carries the CSRF token of every questionnaire page; the questions come from the schema."""


class ActionForm(FlaskForm):
    """A form with only a CSRF token: one-button actions such as the final submit."""


def field_name(path: str) -> str:
    """The form field name (and element id) for an answer path: a[2].b -> a-2-b."""
    return path.replace(".", "-").replace("[", "-").replace("]", "")


def coerce(question: Question, raw: str | None) -> Any:
    """The answer for the document from the text of one input."""
    if raw is None:
        return None
    text = raw.strip()
    if question.kind is Kind.ACK:
        return True if text else None
    if not text:
        return None
    if question.kind is Kind.INTEGER and INTEGER_TEXT.fullmatch(text):
        return int(text)
    if question.kind is Kind.NUMBER and NUMBER_TEXT.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() else number
    if question.kind is Kind.BOOL:
        return {"yes": True, "no": False}.get(text, text)
    return raw


def to_raw(question: Question, value: Any) -> str:
    """The text an input shows for a stored answer."""
    if value is None:
        return ""
    if question.kind is Kind.BOOL:
        return "yes" if value else "no"
    if question.kind is Kind.ACK:
        return "y" if value else ""
    return str(value)


@dataclass
class PageInput:
    """What one page holds: raw text to show again, and answers to validate and save."""

    raw: MultiDict = field(default_factory=MultiDict)
    answers: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # number of rows shown per group

    def has_answer(self, question: Question) -> bool:
        """Whether anything was typed or chosen for this question."""
        prefix = field_name(question.path)
        return any(
            key == prefix or key.startswith(f"{prefix}-")
            for key in self.raw
            if any(self.raw.getlist(key))
        )

    def apply(self, doc: Document) -> Document:
        """A copy of the document with this page's answers in place."""
        merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in doc.items()}
        for path, value in self.answers.items():
            parts = path.split(".")
            if len(parts) == 1:
                merged[parts[0]] = value
            else:
                merged.setdefault(parts[0], {})[parts[1]] = value
        return merged


def read_form(page: Page, form: MultiDict) -> PageInput:
    """A submitted page: the raw text and the answers."""
    page_input = PageInput()
    for question in page.questions:
        name = field_name(question.path)
        if question.kind is Kind.MULTI:
            values = [v for v in form.getlist(name) if v]
            page_input.raw.setlist(name, values)
            page_input.answers[question.path] = values
        elif question.kind is Kind.SCALE:
            items = [form.get(f"{name}-{i}") for i in range(len(question.instrument.items))]
            for i, item in enumerate(items):
                page_input.raw[f"{name}-{i}"] = item or ""
            page_input.answers[question.path] = [
                int(item) if item and SCALE_TEXT.fullmatch(item) else (item or None)
                for item in items
            ]
        elif question.kind is Kind.GROUP:
            rows = _read_rows(question, name, form)
            for index, row in enumerate(rows):
                for sub in question.fields:
                    page_input.raw[f"{name}-{index}-{sub.key}"] = row.get(sub.key) or ""
            page_input.rows[name] = len(rows)
            page_input.answers[question.path] = [
                {sub.key: coerce(sub, row.get(sub.key)) for sub in question.fields} for row in rows
            ]
        else:
            raw = form.get(name)
            page_input.raw[name] = raw or ""
            page_input.answers[question.path] = coerce(question, raw)
    return page_input


def _read_rows(question: Question, name: str, form: MultiDict) -> list[dict[str, str]]:
    pattern = re.compile(rf"{re.escape(name)}-(\d{{1,3}})-(\w+)")
    indexes = sorted({int(m.group(1)) for key in form if (m := pattern.fullmatch(key))})
    rows = []
    for index in indexes[:MAX_GROUP_ROWS_READ]:
        row = {sub.key: form.get(f"{name}-{index}-{sub.key}") for sub in question.fields}
        rows.append(row)
    return rows


def from_document(page: Page, doc: Document) -> PageInput:
    """A page as stored: the raw text to show for each saved answer."""
    page_input = PageInput()
    for question in page.questions:
        name = field_name(question.path)
        value = get(doc, question.path)
        page_input.answers[question.path] = value
        if question.kind is Kind.MULTI:
            page_input.raw.setlist(name, list(value or []))
        elif question.kind is Kind.SCALE:
            for i in range(len(question.instrument.items)):
                item = value[i] if isinstance(value, list) and i < len(value) else None
                page_input.raw[f"{name}-{i}"] = "" if item is None else str(item)
        elif question.kind is Kind.GROUP:
            rows = value or []
            for index, row in enumerate(rows):
                for sub in question.fields:
                    page_input.raw[f"{name}-{index}-{sub.key}"] = to_raw(sub, row.get(sub.key))
            page_input.rows[name] = len(rows)
        else:
            page_input.raw[name] = to_raw(question, value)
    return page_input


def add_row(page_input: PageInput, question: Question) -> None:
    """One more empty row in a repeatable group, up to its limit."""
    name = field_name(question.path)
    if page_input.rows.get(name, 0) < question.max_rows:
        page_input.rows[name] = page_input.rows.get(name, 0) + 1


def remove_row(page_input: PageInput, question: Question, index: int) -> None:
    """Drop one row of a repeatable group; the rows after it move up."""
    name = field_name(question.path)
    count = page_input.rows.get(name, 0)
    if not 0 <= index < count:
        return
    for later in range(index, count):
        for sub in question.fields:
            following = page_input.raw.get(f"{name}-{later + 1}-{sub.key}", "")
            page_input.raw[f"{name}-{later}-{sub.key}"] = following
    for sub in question.fields:
        page_input.raw.poplist(f"{name}-{count - 1}-{sub.key}")
    page_input.rows[name] = count - 1


def error_messages(problems: list[Problem]) -> dict[str, str]:
    """Field name -> the message shown beside it and in the error summary (first per field)."""
    messages: dict[str, str] = {}
    for problem in problems:
        name = field_name(problem.path)
        messages.setdefault(name, f"{path_label(problem.path)}: {problem.for_people}")
    return messages
