"""A question's markup: drawn once per process as a frame, filled in with each person's answers.

What a question shows apart from its answers (label, hint, options, ids, what shows it) is the
same for everyone who reads its page in one language. So each question is drawn once with a
slot (templating.slot) wherever the field templates read an answer, through `AnswerSlots`, and
kept (templating.kept_frame); each page fills the slots from the person's own answers through
`Answers`, the same methods the templates call when a question is drawn afresh. The kept frame
holds no answer, only the markers; a question with nothing typed in it is kept whole, filled
(the same for everyone). A question with an error on it, or a template being edited in
development, is drawn afresh. (Drawing its two answered scales afresh was most of the cost of
an answered mood page: 10.5 M instructions a request, 6.0 M from frames.)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from flask import Flask, current_app
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from ..questionnaire.types import Question
from ..templating import Frame, kept_frame, kept_markup, slot
from .forms import field_name

FIELDS_TEMPLATE = "_macros/fields.html"
CHECKED = " checked"
SEPARATOR = "\x01"  # between a slot's method and its arguments: never in a name or a code


class Answers:
    """What the field templates read of the answers on a page (its form's raw values): the
    typed text, escaped, and whether an option is chosen (`word`, else nothing)."""

    def __init__(self, raw: MultiDict) -> None:
        self.raw = raw

    def _first(self, name: str) -> str | None:
        values = dict.get(self.raw, name)  # the MultiDict's own lists, without its checks
        return values[0] if values else None

    def text(self, name: str) -> Markup:
        return escape(self._first(name) or "")

    def chosen(self, name: str, value: str, word: str = CHECKED) -> str:
        """A single choice (radio button, list option, scale item)."""
        return word if self._first(name) == value else ""

    def among(self, name: str, value: str) -> str:
        """One of several choices (a checkbox of a group)."""
        return CHECKED if value in self.raw.getlist(name) else ""

    def ticked(self, name: str) -> str:
        """A checkbox on its own (an acknowledgement)."""
        return CHECKED if self._first(name) else ""


FILLS: dict[str, Callable[..., str]] = {
    "text": Answers.text,
    "chosen": Answers.chosen,
    "among": Answers.among,
    "ticked": Answers.ticked,
}


class AnswerSlots:
    """In place of `Answers` while a question's frame is drawn: every answer read is a slot
    naming the method and arguments that fill it."""

    def __getattr__(self, method: str) -> Callable[..., Markup]:
        if method not in FILLS:
            raise AttributeError(method)
        return lambda *arguments: slot(SEPARATOR.join((method, *arguments)))


SLOTS = AnswerSlots()


class QuestionFrame(Frame):
    """A question drawn with `AnswerSlots`: each slot read once into the `Answers` method and
    arguments that fill it."""

    def __init__(self, drawn: str) -> None:
        super().__init__(drawn)
        self.calls = [(FILLS[method], args) for method, *args in map(_parts, self.slots)]

    def answered(self, answers: Answers) -> Markup:
        """The question showing these answers (typed text escaped by Answers.text)."""
        return Markup(self.filled([fill(answers, *args) for fill, args in self.calls]))  # nosec B704


def _parts(slot_name: str) -> list[str]:
    return slot_name.split(SEPARATOR)


def _has_error(name: str, errors: Mapping[str, str]) -> bool:
    """An error on the question or on one of its inputs (`<name>-…`)."""
    prefix = f"{name}-"
    return any(key == name or key.startswith(prefix) for key in errors)


def render_question(
    question: Question,
    answers: Answers,
    errors: Mapping[str, str],
    rows: Mapping[str, int],
    focus: str | None,
    typed: Collection[str],
) -> Markup:
    """The question's markup (the `render_question` macro) showing `answers`: its kept frame
    filled in, or kept whole while nothing is typed in it (`typed`: forms.typed_names of the
    answers, worked out once for a page's questions rather than for each); drawn afresh when
    it has an error."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    name = field_name(question.path)
    if errors and _has_error(name, errors):
        return _macro(app)(question, answers, errors, rows, focus)
    key = ("question", question.path, rows.get(name, 0), focus)
    if name not in typed:  # blank: the same for everyone
        return kept_markup(
            ("blank", *key), lambda: _frame(app, key, question, rows, focus).answered(answers)
        )
    return _frame(app, key, question, rows, focus).answered(answers)


def _frame(
    app: Flask, key: tuple, question: Question, rows: Mapping[str, int], focus: str | None
) -> QuestionFrame:
    """The question's kept frame."""
    return kept_frame(key, lambda: _macro(app)(question, SLOTS, {}, rows, focus), QuestionFrame)


def _macro(app: Flask) -> Callable[..., Markup]:
    """The `render_question` macro (looked up only when a question is drawn)."""
    return app.jinja_env.get_template(FIELDS_TEMPLATE).module.render_question  # type: ignore[attr-defined,no-any-return]
