"""The patient's language: Flask-Babel, the locale selector and the language switch."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from babel import Locale
from babel.dates import format_date
from babel.support import NullTranslations
from flask import Flask, abort, g, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from . import clinic
from .questionnaire import words
from .questionnaire.words import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    Verbatim,
    document_language,
)
from .templating import kept_url

babel = Babel()

# The defaults of CLINIC_NAME and CLINIC_HOURS (config.py) are catalogue words, so that pages in
# Spanish say "la clínica"; a clinic's own name and hours are shown as configured.
CONFIG_DEFAULTS = (N_("the clinic"), N_("Monday to Friday, 9 am to 5 pm"))

# Staff pages and the FHIR export stay English whatever the browser asks for (SPANISH.md §4).
ENGLISH_ONLY_BLUEPRINTS = frozenset({"clinician"})
ENGLISH_ONLY_PATHS = ("/clinician", "/fhir")


def select_language() -> str:
    """The draft's or session's chosen language, else the browser's (en or es), else English."""
    if not has_request_context():
        return DEFAULT_LANGUAGE  # a command or the worker: emails choose theirs (force_locale)
    if request.blueprint in ENGLISH_ONLY_BLUEPRINTS or request.path.startswith(ENGLISH_ONLY_PATHS):
        return DEFAULT_LANGUAGE
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    if session.get("draft"):
        from . import services  # a draft opened in a new browser keeps its language

        try:
            draft = services.draft_for(session["draft"])
        except SQLAlchemyError:
            draft = None  # the database is down: the page that says so still shows
        if draft is not None:
            return draft_language(draft.answers)
    return _browser_language()


def draft_language(answers: Mapping[str, Any]) -> str:
    """The language for a browser holding this draft and no chosen language: the one the
    draft records, else the browser's (request context only)."""
    return document_language(answers) if "language" in answers else _browser_language()


def _browser_language() -> str:
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


# Flask-Babel turns the selector's answer into a Locale each request (Locale.parse: a
# twentieth of a page); given a Locale, it takes it as it is. So each language's Locale is made
# once, and every request of a language has the same object.
LOCALES: dict[str, Locale] = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale:
    """The Locale of `select_language()`, for Flask-Babel."""
    return LOCALES[select_language()]


# Each locale's catalogue and code, found once per process. Flask-Babel finds the catalogue
# anew for every word (the request's domain, its locale, the locale's name, its own cache):
# a fifth of a questionnaire page's cost. The catalogue depends on nothing but the locale
# (one domain, fixed folders), and Flask-Babel keeps the same catalogues for the whole
# process too; only the lookup is saved. The locale last asked about is kept with its answer:
# a request asks with the same Locale object for every word (a dict would compare two Locale
# objects, field by field, each time).
_CATALOGUES: dict[Locale, tuple[NullTranslations, str]] = {}
_last_asked: tuple[Locale, tuple[NullTranslations, str]] | None = None


def _locale_in_force() -> Locale | None:
    """Flask-Babel's `get_locale()`: the request's locale, or force_locale's while an email is
    written; None outside an app context.

    Once chosen, it is read straight from where Flask-Babel keeps it for the request, in one
    step rather than get_locale's four: a page asks for it with every word. Should Flask-Babel
    keep it elsewhere one day, get_locale() answers as before.
    """
    try:
        locale = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet, or no app context
        locale = None
    return locale if locale is not None else get_locale()


def _catalogue_and_code() -> tuple[NullTranslations, str]:
    """The catalogue and code of the locale in force (the request's, or force_locale's)."""
    locale = _locale_in_force()
    if locale is None:  # no app context: Flask-Babel's own answer (no translation)
        return get_translations(), DEFAULT_LANGUAGE
    global _last_asked
    last = _last_asked
    if last is not None and last[0] is locale:
        return last[1]
    found = _CATALOGUES.get(locale)
    if found is None:
        found = _CATALOGUES[locale] = (get_translations(), str(locale))
    _last_asked = (locale, found)
    return found


def catalogue() -> NullTranslations:
    """The translations of the page (or email) being written."""
    return _catalogue_and_code()[0]


def current_language() -> str:
    """The language of the page being shown ("en" or "es")."""
    return _catalogue_and_code()[1]


def translate(text: object) -> str:
    """A definition string (marked with N_) in the page's language; English when untranslated.

    Words with placeholders are translated from their marked string, then filled in with the
    clinic's values and their own (translated too when they are words); other text (the person's
    own words too) is never filled in. `Verbatim` words stay as they are.
    """
    if text is None or isinstance(text, Verbatim):
        return "" if text is None else str(text)
    if isinstance(text, words.Worded):
        own = {k: translate(v) if isinstance(v, str) else v for k, v in text.values.items()}
        return words.fill_in(catalogue().gettext(text.template), own)
    return catalogue().gettext(str(text))  # plain text: the template escapes it


# The templates' `_`, `gettext` and `ngettext`: Jinja's "newstyle" gettext (the translation is
# a format string whose values are escaped in HTML templates), reading this page's catalogue
# directly. Flask-Babel installs them as three nested calls through the template context per
# word, each looking the catalogue up again. As in Jinja's own, the translation is markup in an
# HTML template: it is the catalogue's text (some words hold a link), never a person's.


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, **variables: Any) -> str:
    """`_("...")` and `gettext("...")` in a template."""
    return _filled_in(eval_ctx, catalogue().ugettext(string), variables)


@pass_eval_context
def template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any
) -> str:
    """`ngettext("... %(num)d day", "... %(num)d days", n)` in a template."""
    variables.setdefault("num", num)
    return _filled_in(eval_ctx, catalogue().ungettext(singular, plural, num), variables)


def _filled_in(eval_ctx: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    """A translation as Jinja's newstyle gettext gives it: markup in an HTML template, always a
    format string (one with no values and no `%` is given back as formatting would give it)."""
    if eval_ctx.autoescape:
        translated = Markup(translated)  # nosec B704
    if not variables and "%" not in translated:
        return translated
    return translated % variables


# How a date is written in each language: "14 March 1988", "14 de marzo de 1988".
DATE_FORMATS = {"en": "d MMMM y", "es": "long"}


def long_date(value: date) -> str:
    """A date in words, in the page's (or the email's) language."""
    language = current_language()
    return format_date(value, DATE_FORMATS.get(language, "long"), locale=language)


# The characters url_for leaves as they are in a query string (Werkzeug's own; a test holds
# language_switch_url to url_for).
QUERY_SAFE = "!$'()*,/:;?@"


def language_switch_url(code: str, here: str) -> str:
    """`url_for("change_language", code=code, next=here)`: the language route's URL kept
    (templating.kept_url), `next` added as url_for adds it: the two language links of every
    page cost 4% of a questionnaire page built by url_for, 2.5% so."""
    route = kept_url("change_language", code=code)
    return f"{route}?{urlencode({'next': here}, safe=QUERY_SAFE)}"


def change_language(code: str) -> Response:
    """Change only the language, then back to the same page: no answer is touched."""
    if code not in LANGUAGES:
        abort(404)
    session["language"] = code
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        target = url_for("patient.index")
    return redirect(target)


def init_app(app: Flask) -> None:
    """Flask-Babel with our selector, the language switch and the template helpers."""
    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT_LANGUAGE)
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )
    words.use_values(clinic.placeholder_values)
    app.add_url_rule("/language/<code>", "change_language", change_language)
    app.add_template_filter(translate, "translate")
    app.add_template_filter(long_date, "long_date")
    app.jinja_env.tests["verbatim"] = lambda text: isinstance(text, Verbatim)
    app.add_template_global(current_language)
    app.add_template_global(language_switch_url)
    app.add_template_global(LANGUAGE_NAMES, "LANGUAGE_NAMES")
