"""The one validator: a canonical answer document -> problems, each "path: message".

Pages and the `evaluate` command both call `validate`; a page shows the problems on its own
questions beside the fields, `evaluate` prints them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson

from .schema import QUESTIONS, QUESTIONS_BY_PATH
from .types import Document, Kind, Page, Problem, Question, get, key_name
from .words import LANGUAGES

if TYPE_CHECKING:
    from .fields import AnswerType

__all__ = [
    "Problem",
    "accepted",
    "check_question",
    "clear_hidden",
    "loads_normalized",
    "normalize",
    "validate",
    "validate_page",
]


def normalize(doc: Any) -> Any:
    """Trim text and turn browser line endings into newlines, everywhere in the document."""
    if isinstance(doc, str):
        return _normalized_text(doc)
    if isinstance(doc, dict):
        return {key: normalize(value) for key, value in doc.items()}
    if isinstance(doc, list):
        return [normalize(value) for value in doc]
    return doc


def _normalized_text(text: str) -> str | None:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip() or None


def loads_normalized(text: str) -> Any:
    """`normalize(json.loads(text))`, parsed by orjson and normalized in place: no copy of the
    document is made, and however deeply it is nested, nothing here recurses.

    orjson reads strictly what RFC 8259 calls JSON, where json.loads accepts more: NaN,
    Infinity and text holding a lone surrogate are not valid JSON here, and an integer past 64
    bits is read as a float, so it is not a whole number. None of them is a valid answer anyway.
    Raises orjson.JSONDecodeError, a ValueError (also for nesting deeper than 1,024, where
    json.loads raises RecursionError)."""
    doc = orjson.loads(text)
    if isinstance(doc, str):
        return _normalized_text(doc)
    pending = [doc]
    while pending:
        node = pending.pop()
        # Values are replaced, never keys, as the loops allow; answers are mostly text.
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    # _normalized_text written out: this runs for every answer of every document
                    if "\r" in value:
                        value = value.replace("\r\n", "\n").replace("\r", "\n")
                    node[key] = value.strip() or None
                elif isinstance(value, (dict, list)):
                    pending.append(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, str):
                    node[index] = _normalized_text(value)
                elif isinstance(value, (dict, list)):
                    pending.append(value)
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
    left_out = optional_sections - doc.keys()
    for section, check in _QUESTION_CHECKS:
        if not left_out or section not in left_out:
            problems += check(doc, as_of)
    return problems


def validate_page(page: Page, doc: Document, as_of: date) -> list[Problem]:
    """The problems with the questions of one page, in the context of the whole document."""
    problems: list[Problem] = []
    for question in page.questions:
        problems += check_question(question, doc, as_of)
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
TOP_LEVEL_KEYS = frozenset(EXPECTED_KEYS) | {"questionnaire_version", "language"}


def _check_shape(doc: Document, optional_sections: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    version = doc.get("questionnaire_version")
    if version != 1 or isinstance(version, bool):
        problems.append(Problem("questionnaire_version", "must be 1"))
    if "language" in doc and doc["language"] not in LANGUAGES:
        problems.append(Problem("language", 'must be "en" or "es"'))
    # Set comparisons first (the common case, nothing unknown); the keys one by one, in the
    # document's order, only to name what is unknown.
    if not doc.keys() <= TOP_LEVEL_KEYS:
        problems.extend(
            Problem(key_name(key), "is not a known key") for key in doc if key not in TOP_LEVEL_KEYS
        )
    for section, keys in EXPECTED_KEYS.items():
        if section not in doc:
            if section not in optional_sections:
                problems.append(Problem(section, "is missing"))
            continue
        if not keys:
            continue  # a top-level answer (notes, medication_trials), checked as a question
        value = doc[section]
        if not isinstance(value, dict):
            problems.append(Problem(section, "must be an object"))
        elif not value.keys() <= keys:
            problems.extend(
                Problem(f"{section}.{key_name(key)}", "is not a known key")
                for key in value
                if key not in keys
            )
    return problems


def check_question(question: Question, doc: Document, as_of: date) -> list[Problem]:
    """Problems with one question's answer: asked or not, required, type, range, cross-checks."""
    return _question_check(question.answer_type)(doc, as_of)


# --- Each question's checks, put together once ---------------------------------------------
# A page checks its questions and `evaluate` every question of thousands of documents: what a
# question's checks need from its definition (where its answer lives, when it is asked, its
# answer type's methods, whether it is required) is looked up once per question, not once per
# answer. Cached by the question's answer type, which belongs to that question alone and,
# unlike the question (its conditions hold dicts), can be hashed.

QuestionCheck = Callable[[Document, date], list[Problem]]
AnswerCheck = Callable[[str, Any, Document, date], list[Problem]]


def answer_check(question: Question) -> AnswerCheck:
    """The checks of one answer of `question`, as one function (path, value, doc, as_of)."""
    return _answer_check(question.answer_type)


@cache
def _answer_check(answer_type: AnswerType) -> AnswerCheck:
    question = answer_type.question
    is_blank, check_type, checks = answer_type.is_blank, answer_type.check, question.checks

    def check(path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        if is_blank(value):
            if question.is_required(doc):
                message = f"is required: {answer_type.accepted()}"
                return [Problem(path, message, answer_type.plain())]
            # Some rules apply to a blank answer too (one number of a blood pressure reading).
            return [Problem(path, m) for rule in checks if (m := rule(doc, None))]
        problems = check_type(path, value, doc, as_of)
        if not problems:
            for rule in checks:
                message = rule(doc, value)
                if message:
                    problems.append(Problem(path, message))
        return problems

    return check


@cache
def _question_check(answer_type: AnswerType) -> QuestionCheck:
    question = answer_type.question
    path = question.path
    section, _, key = path.partition(".")
    if "." in key:
        raise ValueError(f"{path}: an answer is a section's key or a top-level key")
    shown = question.shown
    is_shown = shown.test if shown else None
    check_answer = _answer_check(answer_type)
    # Answers the type accepts whatever else the document says need no more checks, unless
    # the question has rules of its own.
    always_valid = frozenset() if question.checks else answer_type.always_valid

    def check(doc: Document, as_of: date) -> list[Problem]:
        if key:
            part = doc.get(section)
            if not isinstance(part, dict):
                return []  # already reported by the shape check
            value = part.get(key)
        else:
            value = doc.get(section)
        if is_shown is not None and not is_shown(doc):
            if value is None or value == []:
                return []
            return [Problem(path, f"must be null: not asked when {shown.reason}")]
        if value.__class__ is str and value in always_valid:
            return []
        return check_answer(path, value, doc, as_of)

    return check


_QUESTION_CHECKS: tuple[tuple[str, QuestionCheck], ...] = tuple(
    (question.section, _question_check(question.answer_type)) for question in QUESTIONS
)


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
            if _left_unanswered(question, cleared):
                _set(cleared, question.path, question.empty)
            continue
        _set(cleared, question.path, question.empty)
    return cleared


def _left_unanswered(question: Question, doc: Document) -> bool:
    """An optional scale whose items are all unanswered: null, as the document says."""
    value = get(doc, question.path)
    return (
        question.kind is Kind.SCALE
        and not question.is_required(doc)
        and isinstance(value, list)
        and all(item is None for item in value)
    )


def _set(doc: Document, path: str, value: Any) -> None:
    parts = path.split(".")
    if len(parts) == 1:
        doc[parts[0]] = value
    elif isinstance(doc.get(parts[0]), dict):
        doc[parts[0]][parts[1]] = value


def question_for(path: str) -> Question | None:
    """The question a problem path points at ("medication_trials[2].outcome" -> the group)."""
    return QUESTIONS_BY_PATH.get(re.sub(r"\[\d+\].*$", "", path))
