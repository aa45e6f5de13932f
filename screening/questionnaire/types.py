"""The vocabulary of the questionnaire definition: choices, conditions, questions, pages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from .conditions import Condition, value_at
from .instruments import Instrument
from .words import fill

if TYPE_CHECKING:
    from .fields import AnswerType

Document = dict[str, Any]


class Kind(StrEnum):
    """How an answer is typed, stored and asked."""

    ACK = "ack"  # a checkbox that must be ticked (true)
    DATE = "date"  # "YYYY-MM-DD"
    CHOICE = "choice"  # one enumeration value
    MULTI = "multi"  # a list of enumeration values, may be empty
    TEXT = "text"  # one line of text
    LONG_TEXT = "long_text"  # several lines of text
    INTEGER = "integer"
    NUMBER = "number"  # integer or decimal
    BOOL = "bool"  # yes/no stored as true/false
    SCALE = "scale"  # a validated instrument: a list of item scores
    EMAIL = "email"
    PHONE = "phone"
    GROUP = "group"  # a repeatable group of sub-questions, e.g. medication trials


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enumeration and the words a person sees for it."""

    value: str
    label: str
    hint: str | None = None


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


def key_name(key: str) -> str:
    """An unknown key as it can be printed on one line: quoted when it is not a plain name."""
    return key if re.fullmatch(r"\w{1,64}", key) else json.dumps(key[:64])


def age_on(date_of_birth: date, as_of: date) -> int:
    """Whole years from date_of_birth to as_of.

    A 29 February birthday counts as 1 March in a non-leap year: comparing (month, day) pairs
    does exactly that, since (2, 28) < (2, 29) < (3, 1).
    """
    before_birthday = (as_of.month, as_of.day) < (date_of_birth.month, date_of_birth.day)
    return as_of.year - date_of_birth.year - before_birthday


_value_at = cache(value_at)
_SECTION_AND_KEY: dict[str, tuple[str, str]] = {}


def get(doc: Document, path: str) -> Any:
    """The value at a dotted path of the document, or None when any part is missing."""
    # A section's answer ("medical.bp_systolic", nearly every path asked) is read here, without
    # the function call value_at costs: the rules read about sixty answers per document.
    parts = _SECTION_AND_KEY.get(path)
    if parts is None:
        if path.count(".") != 1:
            return _value_at(path)(doc)
        parts = _SECTION_AND_KEY[path] = tuple(path.split("."))  # type: ignore[assignment]
    section = doc.get(parts[0]) if isinstance(doc, dict) else None
    return section.get(parts[1]) if isinstance(section, dict) else None


def answer(doc: Document, path: str) -> str | None:
    """A one-word answer at `path`, or None when it is missing or not text (so not valid)."""
    value = get(doc, path)
    return value if isinstance(value, str) else None


def answers(doc: Document, path: str) -> list[Any]:
    """A list answer at `path`, or [] when it is missing or not a list (so not valid)."""
    value = get(doc, path)
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Question:
    """One question: where its answer lives, how it is asked and what it accepts."""

    path: str
    kind: Kind
    label: str
    short: str  # names the field in error messages and on the review page
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = False
    shown: Condition | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    max_length: int | None = None
    max_rows: int | None = None
    instrument: Instrument | None = None
    widget: str | None = None  # "select" for a long choice list
    accepts: str | None = None  # what a long choice list accepts, in words
    autocomplete: str | None = None  # the browser's autofill hint, e.g. "name", "bday"
    # Sub-questions of a GROUP; their paths are relative to one row.
    fields: tuple[Question, ...] = ()
    row_label: str = "Entry"  # a GROUP's row is called "<row_label> <n>"
    add_row: str = "Add an entry"  # the button that adds a GROUP's first row
    add_another_row: str = "Add another entry"  # the button that adds a GROUP's next row
    row_action: str = "row"  # buttons send "add-<row_action>" and "remove-<row_action>-<n>"
    row_text: Callable[[dict[str, Any]], str] | None = None  # a GROUP's row in one sentence
    # Rules that involve other answers: (document, value) -> message or None.
    checks: tuple[Callable[[Document, Any], str | None], ...] = ()
    # Some answers are required only in some cases (e.g. a phone number for text messages).
    required_when: Condition | None = None

    @cached_property
    def section(self) -> str:
        return self.path.split(".")[0]

    @cached_property
    def key(self) -> str:
        return self.path.split(".")[-1]

    @cached_property
    def values(self) -> frozenset[str]:
        return frozenset(c.value for c in self.choices)

    def choice_label(self, value: Any) -> str:
        """The words of a value, as they read for this clinic (placeholders filled)."""
        for choice in self.choices:
            if choice.value == value:
                return fill(choice.label)
        return str(value)

    def is_shown(self, doc: Document) -> bool:
        return self.shown is None or self.shown(doc)

    def is_required(self, doc: Document) -> bool:
        return self.required or (self.required_when is not None and self.required_when(doc))

    @cached_property
    def answer_type(self) -> AnswerType:
        """How this question's kind of answer is read, checked, said and exported."""
        from .fields import answer_type_for

        return answer_type_for(self)

    @property
    def empty(self) -> Any:
        """The value of this question when it is not asked or not answered."""
        return self.answer_type.empty


@dataclass(frozen=True, eq=False)
class Page:
    """One page of the questionnaire: one topic. Each page exists once (schema.PAGES), so a
    page equals only itself: comparing pages field by field, questions and all, in
    PAGES.index was 3% of a questionnaire page's request."""

    slug: str
    number: str  # "4a" for the safety check
    title: str
    questions: tuple[Question, ...] = ()
    shown: Condition | None = None
    # The review page groups answers under each page's title with an Edit link.
    reviewable: bool = True
    intro: str | None = None  # a paragraph above the questions
    intro_template: str | None = None  # richer words above the questions, a template
    # Who sees this page's answers in a submission's summary ("patient", "clinician").
    summary_audiences: frozenset[str] = frozenset({"patient", "clinician"})
    # A page shown within another page's step (the safety check within mood): its slug.
    step_of: str | None = None
    # The crisis page comes straight after this page when the answers say so.
    crisis_after: Condition | None = None
    # Answers here say who the person is (name, email, phone): a draft's token changes the
    # first time they are saved, so a cookie copied before then no longer opens it.
    identifies_person: bool = False

    def is_shown(self, doc: Document) -> bool:
        return self.shown is None or self.shown(doc)

    def visible_questions(self, doc: Document) -> list[Question]:
        return [q for q in self.questions if q.is_shown(doc)]
