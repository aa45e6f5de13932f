"""The one validator: a canonical answer document -> problems, each "path: message".

Pages and the `evaluate` command both call `validate`; a page shows the problems on its own
questions beside the fields, `evaluate` prints them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .schema import QUESTIONS, QUESTIONS_BY_PATH
from .types import Document, Page, Problem, Question, get, key_name

__all__ = ["Problem", "accepted", "check_question", "clear_hidden", "validate", "validate_page"]


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


def _check_shape(doc: Document, optional_sections: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    expected = EXPECTED_KEYS
    if doc.get("questionnaire_version") != 1 or isinstance(doc.get("questionnaire_version"), bool):
        problems.append(Problem("questionnaire_version", "must be 1"))
    for key in doc:
        if key != "questionnaire_version" and key not in expected:
            problems.append(Problem(key_name(key), "is not a known key"))
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
            Problem(f"{section}.{key_name(key)}", "is not a known key")
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
    return check_value(question, question.path, value, doc, as_of)


def check_value(
    question: Question, path: str, value: Any, doc: Document, as_of: date
) -> list[Problem]:
    """Problems with one answer at `path` (a question's, or a field's of a group row)."""
    answer_type = question.answer_type
    if answer_type.is_blank(value):
        if question.is_required(doc):
            return [Problem(path, f"is required: {accepted(question)}", answer_type.plain())]
        # Some rules apply to a blank answer too (one number of a blood pressure reading).
        return [Problem(path, m) for check in question.checks if (m := check(doc, None))]
    problems = answer_type.check(path, value, doc, as_of)
    if not problems:
        for check in question.checks:
            message = check(doc, value)
            if message:
                problems.append(Problem(path, message))
    return problems


def accepted(question: Question) -> str:
    """What the question accepts, in words."""
    return question.answer_type.accepted()


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
