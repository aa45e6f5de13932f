"""The patient's language: Flask-Babel, the locale selector and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, redirect, request, session, url_for
from flask_babel import Babel, get_locale, get_translations
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from . import clinic
from .questionnaire import words
from .questionnaire.words import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, document_language

babel = Babel()

# Staff pages and the FHIR export stay English whatever the browser asks for (SPANISH.md §4).
ENGLISH_ONLY_BLUEPRINTS = frozenset({"clinician"})
ENGLISH_ONLY_PATHS = ("/clinician", "/fhir")


def select_language() -> str:
    """The draft's or session's chosen language, else the browser's (en or es), else English."""
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
        if draft is not None and "language" in draft.answers:
            return document_language(draft.answers)
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the page being shown ("en" or "es")."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def translate(text: object) -> str:
    """A definition string (marked with N_) in the page's language; English when untranslated.

    Words with placeholders are translated from their marked string, then filled in with the
    clinic's values; other text (the person's own words too) is never filled in.
    """
    if text is None:
        return ""
    if isinstance(text, words.Worded):
        own = {k: translate(v) if isinstance(v, str) else v for k, v in text.values.items()}
        return words.fill_in(get_translations().gettext(text.template), own)
    return get_translations().gettext(str(text))  # plain text: the template escapes it


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
    babel.init_app(app, locale_selector=select_language, default_locale=DEFAULT_LANGUAGE)
    words.use_values(clinic.placeholder_values)
    app.add_url_rule("/language/<code>", "change_language", change_language)
    app.add_template_filter(translate, "translate")
    app.add_template_global(current_language)
    app.add_template_global(LANGUAGE_NAMES, "LANGUAGE_NAMES")
