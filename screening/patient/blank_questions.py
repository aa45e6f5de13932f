"""A question's markup, drawn once per process while nothing is typed in it.

A question that has no answer and no error looks the same to everyone who reads its page in
one language: the first visit to each page, the common case, shows the markup kept from the
first time it was drawn. (The mood page's two scales were most of its cost.) Only blank
questions are kept, so no answer stays in memory after its request; anything typed, an error,
or a template being edited in development draws the question afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from flask import Flask, current_app
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from ..questionnaire.types import Question
from ..templating import kept_markup
from .forms import field_name

FIELDS_TEMPLATE = "_macros/fields.html"


def _is_blank(name: str, typed: Collection[str], errors: Mapping[str, str]) -> bool:
    """Nothing typed or chosen in the question's inputs (`typed`: forms.typed_names), and no
    error on them."""
    prefix = f"{name}-"
    return name not in typed and not any(key == name or key.startswith(prefix) for key in errors)


def render_question(
    question: Question,
    values: MultiDict,
    errors: Mapping[str, str],
    rows: Mapping[str, int],
    focus: str | None,
    typed: Collection[str],
) -> Markup:
    """The question's markup (the `render_question` macro), kept while the question is blank
    (templating.kept_markup). `typed`: forms.typed_names(values), worked out once for a page's
    questions rather than for each."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    name = field_name(question.path)

    def draw() -> Markup:
        return _macro(app)(question, values, errors, rows, focus)

    if not _is_blank(name, typed, errors):
        return draw()
    return kept_markup(("question", question.path, rows.get(name, 0), focus), draw)


def _macro(app: Flask) -> Callable[..., Markup]:
    """The `render_question` macro (looked up only when a question is drawn)."""
    return app.jinja_env.get_template(FIELDS_TEMPLATE).module.render_question  # type: ignore[attr-defined,no-any-return]
