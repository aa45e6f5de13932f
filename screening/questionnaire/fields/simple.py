"""Answer types of one input each: ticks, yes/no, choices, dates, numbers and text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..codes import coding
from ..types import Document, Kind, Problem, age_on
from ..words import N_, joined, say
from .base import AnswerType, Form, Inputs, NestedItem, is_int

# ASCII digits only: other scripts' digits stay text, and the checks say what is accepted.
INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,9}")
NUMBER_TEXT = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?|\.[0-9]{1,6}")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
# Newlines are allowed in long text only; every other control character is refused.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
PHONE_PUNCTUATION = re.compile(r"[\s\-.()\[\]]")
# email_validator's reserved domains (SPECIAL_USE_DOMAIN_NAMES; "test" too, as outside its test
# environment): an address there is never valid. Kept here so the library, whose import compiles
# regular expressions for a fifth of evaluate's start-up, is loaded only for an address that is
# not plain; a test fails when the library's list has a name this one lacks.
RESERVED_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
# The plainest kind of address: ASCII letters, digits and _ % + - in dot-separated words before
# the @; after it, labels of letters, digits and inner hyphens, ending in a name of letters.
PLAIN_EMAIL = re.compile(
    r"[a-zA-Z0-9_%+-]+(?:\.[a-zA-Z0-9_%+-]+)*"
    r"@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63})"
)


def number(value: float) -> int | float:
    """A limit as people write it: 18, not 18.0."""
    return int(value) if float(value).is_integer() else value


class Ack(AnswerType):
    """A checkbox that must be ticked (true)."""

    kind = Kind.ACK
    fhir_type = "boolean"

    def example(self) -> Any:
        return True

    def coerce(self, raw: str | None) -> Any:
        return True if raw is not None and raw.strip() else None

    def to_raw(self, value: Any) -> str:
        return "y" if value else ""

    def accepted(self) -> str:
        return "tick the box to agree"

    def plain(self) -> str:
        return N_("tick the box to continue")

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        return [] if value is True else [Problem(path, "must be true", self.plain())]

    def words(self, value: Any) -> str:
        return N_("Yes") if value else N_("No")

    def fhir_answers(self, value: Any) -> list[dict[str, Any]]:
        return [{"valueBoolean": value}]


class Bool(Ack):
    """Yes or no, stored as true or false."""

    kind = Kind.BOOL

    def example(self) -> Any:
        return False

    def coerce(self, raw: str | None) -> Any:
        return AnswerType.coerce(self, raw)

    def parse(self, text: str, raw: str) -> Any:
        return {"yes": True, "no": False}.get(text, text)

    def to_raw(self, value: Any) -> str:
        return "" if value is None else ("yes" if value else "no")

    def accepted(self) -> str:
        return "yes or no (true or false)"

    def plain(self) -> str:
        return N_("choose one answer")

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        return [] if isinstance(value, bool) else self.invalid(path)


class Choice(AnswerType):
    """One value of an enumeration."""

    kind = Kind.CHOICE
    fhir_type = "choice"

    def example(self) -> Any:
        return self.question.choices[0].value

    def accepted(self) -> str:
        q = self.question
        return q.accepts or "one of " + ", ".join(c.value for c in q.choices)

    def plain(self) -> str:
        return N_("choose one answer")

    @property
    def always_valid(self) -> frozenset[str]:
        return frozenset(value for value in self.question.values if not self.is_blank(value))

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        if isinstance(value, str) and value in self.question.values:
            return []
        return self.invalid(path)

    def words(self, value: Any) -> str:
        return self.question.choice_label(value)

    def coding(self, value: str) -> dict[str, str]:
        return coding(value, self.question.choice_label(value))

    def fhir_details(self, required: bool, nested: NestedItem) -> dict[str, Any]:
        options = [{"valueCoding": self.coding(c.value)} for c in self.question.choices]
        return {"answerOption": options} if options else {}

    def fhir_answers(self, value: Any) -> list[dict[str, Any]]:
        return [{"valueCoding": self.coding(value)}]


class Multi(Choice):
    """A list of enumeration values, may be empty."""

    kind = Kind.MULTI

    def example(self) -> Any:
        return []

    @property
    def empty(self) -> Any:
        return []

    def read(self, name: str, form: Form, inputs: Inputs) -> Any:
        values = [v for v in form.getlist(name) if v]
        inputs.raw.setlist(name, values)
        return values

    def show(self, name: str, value: Any, inputs: Inputs) -> None:
        inputs.raw.setlist(name, list(value or []))

    def is_blank(self, value: Any) -> bool:
        return value is None or value == "" or value == []

    @property
    def always_valid(self) -> frozenset[str]:
        return frozenset()  # a list of choices, never one

    def accepted(self) -> str:
        return "a list of any of " + ", ".join(c.value for c in self.question.choices)

    def plain(self) -> str:
        return N_("tick any answers that apply")

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return self.invalid(path)
        unknown = [v for v in value if v not in self.question.values]
        if unknown:
            message = f"must be {self.accepted()} (not {', '.join(unknown)})"
            return [Problem(path, message, self.plain())]
        if len(set(value)) != len(value):
            message = "must not list the same answer twice"
            return [Problem(path, message, N_("must not list the same answer twice"))]
        return []

    def words(self, value: Any) -> str:
        labels = [self.question.choice_label(v) for v in value]
        return joined(labels, ", ") if value else N_("None of these")

    def fhir_details(self, required: bool, nested: NestedItem) -> dict[str, Any]:
        return {"repeats": True, **super().fhir_details(required, nested)}

    def fhir_answers(self, value: Any) -> list[dict[str, Any]]:
        return [{"valueCoding": self.coding(v)} for v in value]


class Date(AnswerType):
    """A date "YYYY-MM-DD", not in the future, giving an age from 0 to 120."""

    kind = Kind.DATE
    fhir_type = "date"

    def example(self) -> Any:
        return "1988-03-14"

    def accepted(self) -> str:
        return "a date like 1988-03-14, not in the future"

    def plain(self) -> str:
        return N_("enter a real date, for example 14 March 1988")

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
            return self.invalid(path)
        try:
            born = date.fromisoformat(value)
        except ValueError:
            return self.invalid(path)
        if born > as_of:
            plain = N_("enter a date that is not in the future")
            return [Problem(path, "must not be in the future", plain)]
        if age_on(born, as_of) > 120:
            plain = N_("enter a date that gives an age from 0 to 120")
            return [Problem(path, "must give an age from 0 to 120", plain)]
        return []

    def fhir_answers(self, value: Any) -> list[dict[str, Any]]:
        return [{"valueDate": value}]


class Integer(AnswerType):
    """A whole number in the question's range."""

    kind = Kind.INTEGER
    fhir_type = "integer"

    def example(self) -> Any:
        return int(self.question.minimum)

    def parse(self, text: str, raw: str) -> Any:
        return int(text) if INTEGER_TEXT.fullmatch(text) else raw

    def accepted(self) -> str:
        q = self.question
        return f"a whole number from {q.minimum:g} to {q.maximum:g}"

    def plain(self) -> str:
        q = self.question
        return say(
            N_("enter a whole number from %(minimum)s to %(maximum)s"),
            minimum=number(q.minimum),
            maximum=number(q.maximum),
        )

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        q = self.question
        if not is_int(value) or not q.minimum <= value <= q.maximum:
            return self.invalid(path)
        return []

    def fhir_answers(self, value: Any) -> list[dict[str, Any]]:
        return [{"valueInteger": value}]


class Number(AnswerType):
    """An integer or decimal above the question's (exclusive) minimum and up to its maximum."""

    kind = Kind.NUMBER
    fhir_type = "decimal"

    def example(self) -> Any:
        return self.question.maximum

    def parse(self, text: str, raw: str) -> Any:
        if not NUMBER_TEXT.fullmatch(text):
            return raw
        number = float(text)
        return int(number) if number.is_integer() else number

    def accepted(self) -> str:
        q = self.question
        return f"a number more than {q.minimum:g} and up to {q.maximum:g}"

    def plain(self) -> str:
        q = self.question
        return say(
            N_("enter a number more than %(minimum)s and up to %(maximum)s"),
            minimum=number(q.minimum),
            maximum=number(q.maximum),
        )

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        q = self.question
        valid = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and value == value  # not NaN
            and (value > q.minimum if q.exclusive_minimum else value >= q.minimum)
            and value <= q.maximum
        )
        return [] if valid else self.invalid(path)

    def fhir_answers(self, value: Any) -> list[dict[str, Any]]:
        return [{"valueDecimal": value}]


class Text(AnswerType):
    """One line of text, up to the question's length, without control characters."""

    kind = Kind.TEXT
    refused = CONTROL_CHARACTERS

    def example(self) -> Any:
        return "Example"

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        if not isinstance(value, str):
            return self.invalid(path)
        limit = self.question.max_length
        if len(value) > limit:
            return [
                Problem(
                    path,
                    f"must be {limit} characters or fewer (it has {len(value)})",
                    say(
                        N_("use %(limit)s characters or fewer (you used %(count)s)"),
                        limit=limit,
                        count=len(value),
                    ),
                )
            ]
        if self.refused.search(value):
            return [
                Problem(
                    path,
                    "must not contain tabs or other control characters",
                    N_("remove tabs and other special characters"),
                )
            ]
        return []

    def fhir_details(self, required: bool, nested: NestedItem) -> dict[str, Any]:
        limit = self.question.max_length
        return {"maxLength": limit} if limit and self.fhir_type in ("string", "text") else {}


class LongText(Text):
    """Several lines of text."""

    kind = Kind.LONG_TEXT
    fhir_type = "text"
    refused = CONTROL_CHARACTERS_BUT_NEWLINE


class Email(Text):
    """An email address (its form only; nothing is looked up)."""

    kind = Kind.EMAIL

    def example(self) -> Any:
        return "name@example.com"

    def accepted(self) -> str:
        return "an email address like name@example.com"

    def plain(self) -> str:
        return N_("enter an email address like name@example.com")

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        problems = super().check(path, value, doc, as_of)
        if problems:
            return problems
        if is_plain_email(value):
            return []
        from email_validator import EmailNotValidError, validate_email

        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            return self.invalid(path)
        return []


def is_plain_email(address: str) -> bool:
    """Whether `address` is of the plainest kind, which email_validator accepts (checked in one
    regular expression, for what costs the library more than the rest of a document's checks).

    email_validator checks every character against Unicode tables; for an address of ASCII
    letters, digits and a few signs, in the lengths the RFCs allow, what is left of its rules
    is that the domain is not reserved and has no label with "--" (Punycode or reserved).
    Anything else is left to the library, and tests compare the two.
    """
    match = PLAIN_EMAIL.fullmatch(address)
    if match is None or len(address) > 254:
        return False
    domain = match[1].lower()
    if len(domain) > 253 or "--" in domain:
        return False
    return not any(domain == name or domain.endswith("." + name) for name in RESERVED_DOMAINS)


class Phone(Text):
    """A phone number of 7 to 20 digits, with the punctuation people write."""

    kind = Kind.PHONE

    def example(self) -> Any:
        return "+1 415 555 0100"

    def plain(self) -> str:
        return N_(
            "enter a phone number of 7 to 20 digits (spaces, dashes, dots, brackets and a "
            "leading + are fine)"
        )

    def accepted(self) -> str:
        return (
            "a phone number of 7 to 20 digits (spaces, dashes, dots, brackets and a leading + "
            "are fine)"
        )

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        if not isinstance(value, str):
            return self.invalid(path)
        digits = PHONE_PUNCTUATION.sub("", value).removeprefix("+")
        if not digits.isascii() or not digits.isdigit() or not 7 <= len(digits) <= 20:
            return self.invalid(path)
        return []
