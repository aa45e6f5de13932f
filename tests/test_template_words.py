"""The templates' `_()`: Jinja's newstyle gettext read from the page's catalogue
(screening/i18n.py), as Jinja's own would give it."""

from __future__ import annotations

import pytest
from flask import render_template_string
from jinja2 import Environment


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("Continue") }}',
        '{{ _("100%% of it") }}',  # a literal percent sign, written %% as in Jinja's
        '{{ _("%(n)s of %(m)s", n=2, m="<b>") }}',
        '{{ _("Step <%(n)s>", n="&") }}',
    ],
)
def test_words_come_out_as_jinjas_own_newstyle_gettext_gives_them(app, source):
    reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    reference.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    with app.test_request_context("/"):
        assert render_template_string(source) == reference.from_string(source).render()
