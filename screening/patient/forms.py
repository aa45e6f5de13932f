"""Questionnaire pages as forms: the fields come from the questionnaire definition.

A page is read into two things: the raw strings as typed (to show again, so nothing a
person typed is lost) and the answers for the document (typed where the text allows; text
that is not a number stays text, and the one validator says what is accepted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from ..i18n import translate
from ..questionnaire.flow import RowChange
from ..questionnaire.types import Document, Page, Question, get
from ..questionnaire.validate import Problem
from ..summary import path_label


class PageForm(FlaskForm):
    """Carries the CSRF token of every questionnaire page; the questions come from the schema."""


# Signed CSRF tokens already made, by signing key and session token (its raw value). With
# WTF_CSRF_TIME_LIMIT = None any token Flask-WTF signed for a session's raw token is valid for
# as long as that session, so a page can show one made before instead of signing a new one
# (signing was 3% of a questionnaire page). Emptied when full.
_SIGNED: dict[tuple[Any, str], str] = {}
MOST_SIGNED = 10_000


def page_csrf_token() -> str:
    """Flask-WTF's CSRF token for this session (generate_csrf), signed once per process."""
    config = current_app.config
    # Where Flask-WTF keeps the raw token, and the key it signs with (as generate_csrf reads them).
    token_key = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    signing_key = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    raw = session.get(token_key)
    token = _SIGNED.get((signing_key, raw)) if raw else None
    if token is None:
        token = generate_csrf()
        if config["WTF_CSRF_TIME_LIMIT"] is None:  # a token made earlier stays valid
            if len(_SIGNED) >= MOST_SIGNED:
                _SIGNED.clear()
            _SIGNED[(signing_key, session[token_key])] = token
    return token


class ActionForm(FlaskForm):
    """A form with only a CSRF token: one-button actions such as the final submit."""


def field_name(path: str) -> str:
    """The form field name (and element id) for an answer path: a[2].b -> a-2-b."""
    return path.replace(".", "-").replace("[", "-").replace("]", "")


def typed_names(raw: MultiDict) -> frozenset[str]:
    """The field names something was typed or chosen in, each with the names it belongs to
    (`a-0-b` is also `a-0` and `a`): a question has an answer when its field name is here."""
    names: set[str] = set()
    for key, values in raw.lists():
        if any(values):
            parts = key.split("-")
            names.update("-".join(parts[:end]) for end in range(1, len(parts) + 1))
    return frozenset(names)


@dataclass
class PageInput:
    """What one page holds: raw text to show again, and answers to validate and save."""

    raw: MultiDict = field(default_factory=MultiDict)
    answers: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # number of rows shown per group

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
        page_input.answers[question.path] = question.answer_type.read(name, form, page_input)
    return page_input


def from_document(page: Page, doc: Document) -> PageInput:
    """A page as stored: the raw text to show for each saved answer."""
    page_input = PageInput()
    for question in page.questions:
        value = get(doc, question.path)
        page_input.answers[question.path] = value
        question.answer_type.show(field_name(question.path), value, page_input)
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


def change_rows(page_input: PageInput, change: RowChange) -> str | None:
    """Add or remove a row of a repeating group; the field to focus: an added row's first."""
    if change.remove is not None:
        remove_row(page_input, change.question, change.remove)
    if not change.add:
        return None
    add_row(page_input, change.question)
    name = field_name(change.question.path)
    return f"{name}-{page_input.rows[name] - 1}-{change.question.fields[0].key}"


def error_messages(problems: list[Problem]) -> dict[str, str]:
    """Field name -> the message shown beside it and in the error summary (first per field),
    in the page's language."""
    messages: dict[str, str] = {}
    for problem in problems:
        name = field_name(problem.path)
        label, message = translate(path_label(problem.path)), translate(problem.for_people)
        messages.setdefault(name, f"{label}: {message}")
    return messages
