"""The base answer type: what every kind of answer does, and the defaults most kinds share.

Like Indico's survey fields, one object per question knows how its answer is read from a
form, shown again, checked (with the messages a person reads), said in words and mapped to
FHIR; the page macro renders `_fields/<kind>.html`. A subclass overrides what differs.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..types import Document, Kind, Problem
from ..words import N_

if TYPE_CHECKING:
    from ..types import Question


class Form(Protocol):
    """What a submitted form offers (a werkzeug MultiDict does)."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...
    def __iter__(self) -> Any: ...


class Inputs(Protocol):
    """Where a page keeps what it shows: raw text per input, and rows per repeatable group."""

    raw: Any  # a MultiDict: __setitem__, setlist
    rows: MutableMapping[str, int]


@dataclass(frozen=True)
class AnswerRow:
    """One question and its answer, in words."""

    label: str
    answer: str
    path: str


# A nested Questionnaire item for a sub-question: (question, linkId) -> item.
NestedItem = Callable[["Question", str], dict[str, Any]]


class AnswerType:
    """One kind of answer; an instance belongs to one question."""

    kind: ClassVar[Kind]
    fhir_type: ClassVar[str] = "string"
    registry: ClassVar[dict[Kind, type[AnswerType]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            AnswerType.registry[cls.kind] = cls

    def __init__(self, question: Question) -> None:
        self.question = question

    @property
    def empty(self) -> Any:
        """The answer when the question is not asked or not answered."""
        return None

    @property
    def template(self) -> str:
        """The template whose `field` macro renders this kind of question."""
        return f"_fields/{self.kind.value}.html"

    # --- The form ---------------------------------------------------------------------------

    def read(self, name: str, form: Form, inputs: Inputs) -> Any:
        """The answer from the submitted inputs; what was typed is kept in `inputs.raw`."""
        raw = form.get(name)
        inputs.raw[name] = raw or ""
        return self.coerce(raw)

    def coerce(self, raw: str | None) -> Any:
        """The answer for the document from the text of one input."""
        if raw is None or not raw.strip():
            return None
        return self.parse(raw.strip(), raw)

    def parse(self, text: str, raw: str) -> Any:
        """The answer from non-blank text; text that does not parse stays text."""
        return raw

    def show(self, name: str, value: Any, inputs: Inputs) -> None:
        """Put the text the inputs show for a stored answer into `inputs.raw`."""
        inputs.raw[name] = self.to_raw(value)

    def to_raw(self, value: Any) -> str:
        """The text an input shows for a stored answer."""
        return "" if value is None else str(value)

    # --- Checking ---------------------------------------------------------------------------

    def is_blank(self, value: Any) -> bool:
        return value is None or value == ""

    @property
    def always_valid(self) -> frozenset[str]:
        """Text answers that `check` accepts whatever else the document says (one of a list of
        choices): validation takes these the short way."""
        return frozenset()

    def accepted(self) -> str:
        """What the question accepts, in words (for people who read the document)."""
        return f"text of up to {self.question.max_length} characters"

    def plain(self) -> str:
        """What the question accepts, in the words of the page: marked for translation (`N_`,
        or `say(N_(...), ...)` when it holds a number)."""
        return N_("enter an answer")

    def invalid(self, path: str) -> list[Problem]:
        return [Problem(path, f"must be {self.accepted()}", self.plain())]

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        """Problems with a given (not blank) answer of this kind."""
        return []

    def example(self) -> Any:
        """An answer this kind accepts, for examples and test fixtures."""
        raise NotImplementedError

    # --- Words ------------------------------------------------------------------------------

    def text(self, value: Any) -> str:
        """The answer as a person would say it."""
        return N_("Not answered") if value is None else self.words(value)

    def words(self, value: Any) -> str:
        return str(value)

    def item_label(self, index: int, field: str | None) -> str:
        """The words naming one item of a list answer (index 0-based, field of a row)."""
        return self.question.short

    def item_text(self, index: int, field: str | None, value: Any) -> str:
        """One item of a list answer in words."""
        return self.question.choice_label(value)

    def summary_rows(self, value: Any, *, items: bool, brief: bool) -> list[AnswerRow]:
        """The rows the review page and summary show for this answer."""
        q = self.question
        return [AnswerRow(q.short if brief else q.label, self.text(value), q.path)]

    # --- FHIR -------------------------------------------------------------------------------

    def fhir_details(self, required: bool, nested: NestedItem) -> dict[str, Any]:
        """What a Questionnaire item of this kind says beyond its id, text and type."""
        return {}

    def fhir_answers(self, value: Any) -> list[dict[str, Any]]:
        """The QuestionnaireResponse answers for a given answer."""
        return [{"valueString": value}]

    def fhir_response(self, value: Any, link_id: str) -> list[dict[str, Any]]:
        """The QuestionnaireResponse items for one answer: none when unanswered."""
        if value is None or value == []:
            return []
        return self.fhir_answered(value, link_id)

    def fhir_answered(self, value: Any, link_id: str) -> list[dict[str, Any]]:
        text = self.question.label
        return [{"linkId": link_id, "text": text, "answer": self.fhir_answers(value)}]


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
