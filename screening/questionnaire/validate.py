"""The one validator: a canonical answer document -> problems, each "path: message".

Pages and the `evaluate` command both call `validate`; a page shows the problems on its own
questions beside the fields, `evaluate` prints them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

from .schema import QUESTIONS, QUESTIONS_BY_PATH
from .types import Document, Kind, Page, Question, age_on, get

# Newlines are allowed in long text only; every other control character is refused.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
PHONE_PUNCTUATION = re.compile(r"[\s\-.()\[\]]")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an answer: where it is and what is accepted."""

    path: str
    message: str  # for people who read the document: names values as stored
    plain: str | None = None  # for the person filling in the page, when it needs other words

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    @property
    def for_people(self) -> str:
        return self.plain or self.message


def normalize(doc: Any) -> Any:
    """Trim text and turn browser line endings into newlines, everywhere in the document."""
    if isinstance(doc, str):
        text = doc.replace("\r\n", "\n").replace("\r", "\n").strip()
        return text or None
    if isinstance(doc, dict):
        return {key: normalize(value) for key, value in doc.items()}
    if isinstance(doc, list):
        return [normalize(value) for value in doc]
    return doc


def validate(
    doc: Any,
    as_of: date,
    *,
    optional_sections: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every problem in a whole document; `optional_sections` may be left out entirely."""
    if not isinstance(doc, dict):
        return [Problem("document", "must be a JSON object")]
    problems = _check_shape(doc, optional_sections)
    for question in QUESTIONS:
        if question.section in optional_sections and question.section not in doc:
            continue
        problems.extend(check_question(question, doc, as_of))
    return problems


def validate_page(page: Page, doc: Document, as_of: date) -> list[Problem]:
    """The problems with the questions of one page, in the context of the whole document."""
    problems: list[Problem] = []
    for question in page.questions:
        problems.extend(check_question(question, doc, as_of))
    return problems


def _expected_keys() -> dict[str, frozenset[str]]:
    """Each section of the document and the keys it holds (empty for a top-level answer)."""
    expected: dict[str, set[str]] = {}
    for question in QUESTIONS:
        section, _, key = question.path.partition(".")
        expected.setdefault(section, set())
        if key:
            expected[section].add(key)
    return {section: frozenset(keys) for section, keys in expected.items()}


EXPECTED_KEYS = _expected_keys()


def _key_name(key: str) -> str:
    """An unknown key as it can be printed on one line: quoted when it is not a plain name."""
    return key if re.fullmatch(r"\w{1,64}", key) else json.dumps(key[:64])


def _check_shape(doc: Document, optional_sections: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    expected = EXPECTED_KEYS
    if doc.get("questionnaire_version") != 1 or isinstance(doc.get("questionnaire_version"), bool):
        problems.append(Problem("questionnaire_version", "must be 1"))
    for key in doc:
        if key != "questionnaire_version" and key not in expected:
            problems.append(Problem(_key_name(key), "is not a known key"))
    for section, keys in expected.items():
        if section not in doc:
            if section not in optional_sections:
                problems.append(Problem(section, "is missing"))
            continue
        if not keys:
            continue  # a top-level answer (notes, medication_trials), checked as a question
        value = doc[section]
        if not isinstance(value, dict):
            problems.append(Problem(section, "must be an object"))
            continue
        problems.extend(
            Problem(f"{section}.{_key_name(key)}", "is not a known key")
            for key in value
            if key not in keys
        )
    return problems


def check_question(question: Question, doc: Document, as_of: date) -> list[Problem]:
    """Problems with one question's answer: asked or not, required, type, range, cross-checks."""
    section = doc.get(question.section)
    if "." in question.path and not isinstance(section, dict):
        return []  # already reported by the shape check
    value = get(doc, question.path)
    if not question.is_shown(doc):
        if value is None or value == []:
            return []
        return [Problem(question.path, f"must be null: not asked when {question.shown.reason}")]
    return _check_value(question, question.path, value, doc, as_of)


def _check_value(
    question: Question, path: str, value: Any, doc: Document, as_of: date
) -> list[Problem]:
    if value is None or value == "" or (value == [] and question.kind is Kind.MULTI):
        if question.is_required(doc):
            return [Problem(path, f"is required: {accepted(question)}", _plain(question))]
        # Some rules apply to a blank answer too (one number of a blood pressure reading).
        return [Problem(path, m) for check in question.checks if (m := check(doc, None))]
    checker = _CHECKERS[question.kind]
    problems = checker(question, path, value, doc, as_of)
    if not problems:
        for check in question.checks:
            message = check(doc, value)
            if message:
                problems.append(Problem(path, message))
    return problems


def accepted(question: Question) -> str:
    """What the question accepts, in words."""
    kind = question.kind
    if kind is Kind.ACK:
        return "tick the box to agree"
    if kind is Kind.BOOL:
        return "yes or no (true or false)"
    if kind is Kind.DATE:
        return "a date like 1988-03-14, not in the future"
    if kind is Kind.CHOICE:
        return question.accepts or "one of " + ", ".join(c.value for c in question.choices)
    if kind is Kind.MULTI:
        return "a list of any of " + ", ".join(c.value for c in question.choices)
    if kind is Kind.SCALE:
        inst = question.instrument
        return f"an answer to each of the {len(inst.items)} questions, from 0 to {inst.max_item}"
    if kind is Kind.INTEGER:
        return f"a whole number from {question.minimum:g} to {question.maximum:g}"
    if kind is Kind.NUMBER:
        return f"a number more than {question.minimum:g} and up to {question.maximum:g}"
    if kind is Kind.EMAIL:
        return "an email address like name@example.com"
    if kind is Kind.PHONE:
        return (
            "a phone number of 7 to 20 digits (spaces, dashes, dots, brackets and a leading + "
            "are fine)"
        )
    if kind is Kind.GROUP:
        return f"a list of up to {question.max_rows} entries"
    return f"text of up to {question.max_length} characters"


def _plain(question: Question) -> str:
    """What the question accepts, in the words of the page."""
    kind = question.kind
    if kind is Kind.ACK:
        return "tick the box to continue"
    if kind in (Kind.CHOICE, Kind.BOOL):
        return "choose one answer"
    if kind is Kind.MULTI:
        return "tick any answers that apply"
    if kind is Kind.SCALE:
        return "choose one answer for each question"
    if kind is Kind.DATE:
        return "enter a real date, for example 14 March 1988"
    if kind is Kind.INTEGER:
        return f"enter a whole number from {question.minimum:g} to {question.maximum:g}"
    if kind is Kind.NUMBER:
        return f"enter a number more than {question.minimum:g} and up to {question.maximum:g}"
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        return "enter an answer"
    return "enter " + accepted(question)


def _invalid(question: Question, path: str) -> list[Problem]:
    return [Problem(path, f"must be {accepted(question)}", _plain(question))]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_ack(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    return [] if value is True else [Problem(path, "must be true", "tick the box to continue")]


def _check_bool(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    return [] if isinstance(value, bool) else _invalid(q, path)


def _check_choice(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    if isinstance(value, str) and value in q.values:
        return []
    return _invalid(q, path)


def _check_multi(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return _invalid(q, path)
    unknown = [v for v in value if v not in q.values]
    if unknown:
        return [Problem(path, f"must be {accepted(q)} (not {', '.join(unknown)})", _plain(q))]
    if len(set(value)) != len(value):
        return [Problem(path, "must not list the same answer twice")]
    return []


def _check_date(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
        return _invalid(q, path)
    try:
        born = date.fromisoformat(value)
    except ValueError:
        return _invalid(q, path)
    if born > as_of:
        return [
            Problem(path, "must not be in the future", "enter a date that is not in the future")
        ]
    if age_on(born, as_of) > 120:
        return [
            Problem(
                path,
                "must give an age from 0 to 120",
                "enter a date that gives an age from 0 to 120",
            )
        ]
    return []


def _check_integer(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    if not _is_int(value) or not q.minimum <= value <= q.maximum:
        return _invalid(q, path)
    return []


def _check_number(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    valid = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == value  # not NaN
        and (value > q.minimum if q.exclusive_minimum else value >= q.minimum)
        and value <= q.maximum
    )
    return [] if valid else _invalid(q, path)


def _check_text(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    if not isinstance(value, str):
        return _invalid(q, path)
    if len(value) > q.max_length:
        return [
            Problem(
                path,
                f"must be {q.max_length} characters or fewer (it has {len(value)})",
                f"use {q.max_length} characters or fewer (you used {len(value)})",
            )
        ]
    refused = CONTROL_CHARACTERS_BUT_NEWLINE if q.kind is Kind.LONG_TEXT else CONTROL_CHARACTERS
    if refused.search(value):
        return [
            Problem(
                path,
                "must not contain tabs or other control characters",
                "remove tabs and other special characters",
            )
        ]
    return []


def _check_email(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    problems = _check_text(q, path, value, doc, as_of)
    if problems:
        return problems
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return _invalid(q, path)
    return []


def _check_phone(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    if not isinstance(value, str):
        return _invalid(q, path)
    digits = PHONE_PUNCTUATION.sub("", value)
    digits = digits.removeprefix("+")
    if not digits.isascii() or not digits.isdigit() or not 7 <= len(digits) <= 20:
        return _invalid(q, path)
    return []


def _check_scale(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    inst = q.instrument
    if not isinstance(value, list) or len(value) != len(inst.items):
        return _invalid(q, path)
    problems = []
    for index, item in enumerate(value):
        if item is None:
            problems.append(
                Problem(
                    f"{path}[{index}]",
                    f"is required: choose 0 to {inst.max_item}",
                    "choose one answer",
                )
            )
        elif not _is_int(item) or not 0 <= item <= inst.max_item:
            problems.append(
                Problem(
                    f"{path}[{index}]",
                    f"must be a whole number from 0 to {inst.max_item}",
                    "choose one answer",
                )
            )
    return problems


def _check_group(q: Question, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
    if not isinstance(value, list):
        return _invalid(q, path)
    if len(value) > q.max_rows:
        return [Problem(path, f"must have at most {q.max_rows} entries")]
    problems: list[Problem] = []
    names = {field.key for field in q.fields}
    for index, row in enumerate(value):
        row_path = f"{path}[{index}]"
        if not isinstance(row, dict):
            problems.append(Problem(row_path, "must be an object"))
            continue
        problems.extend(
            Problem(f"{row_path}.{_key_name(key)}", "is not a known key")
            for key in row
            if key not in names
        )
        for field in q.fields:
            problems.extend(
                _check_value(field, f"{row_path}.{field.key}", row.get(field.key), doc, as_of)
            )
    return problems


_CHECKERS = {
    Kind.ACK: _check_ack,
    Kind.BOOL: _check_bool,
    Kind.CHOICE: _check_choice,
    Kind.MULTI: _check_multi,
    Kind.DATE: _check_date,
    Kind.INTEGER: _check_integer,
    Kind.NUMBER: _check_number,
    Kind.TEXT: _check_text,
    Kind.LONG_TEXT: _check_text,
    Kind.EMAIL: _check_email,
    Kind.PHONE: _check_phone,
    Kind.SCALE: _check_scale,
    Kind.GROUP: _check_group,
}


def clear_hidden(doc: Document) -> Document:
    """A copy of the document with every question that is not asked set to empty."""
    cleared = {
        key: (dict(value) if isinstance(value, dict) else value) for key, value in doc.items()
    }
    for question in QUESTIONS:
        if question.is_shown(cleared):
            continue
        parts = question.path.split(".")
        if len(parts) == 1:
            cleared[parts[0]] = question.empty
        elif isinstance(cleared.get(parts[0]), dict):
            cleared[parts[0]][parts[1]] = question.empty
    return cleared


def question_for(path: str) -> Question | None:
    """The question a problem path points at ("medication_trials[2].outcome" -> the group)."""
    return QUESTIONS_BY_PATH.get(re.sub(r"\[\d+\].*$", "", path))
