"""The app's Jinja environment: Flask's, with globals that cost less.

Jinja gives every template its globals as a `ChainMap` of the template's own (none here) over
the environment's. Each render copies that map into the context key by key, and each
`{% from ... import %}` of a macro file (every field, the footer, the crisis box) compares the
importing template's global names with the imported one's, through the `ChainMap`'s slow
`__contains__`: a twentieth of a questionnaire page went into that comparison, which always
finds the two the same. A template without globals of its own here shares the environment's
dict itself, so the copy and the comparison are done by dict operations in C.

Some markup depends on nothing but the page's language and the clinic's details: the footer
of every page, the introduction above a page's questions, a question with nothing typed in it.
`kept_markup` draws it once per process for each; it never holds an answer. A questionnaire
page and each question are kept as frames (`kept_frame`): drawn once with markers where each
request's own parts go (the page's questions and CSRF token; a question's answers,
patient/question_frames.py), filled in per request.
Likewise `kept_url` builds once the URLs that are the same on every request: the static files,
the questionnaire's pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, MutableMapping
from operator import itemgetter
from typing import Any, TypeVar

from flask import Flask, current_app, request, url_for
from flask.templating import Environment
from markupsafe import Markup, escape


class PageEnvironment(Environment):
    """Flask's Jinja environment whose templates share its globals dict when they add none."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """The environment's globals themselves for a template with none of its own, else
        Jinja's map of the template's over them.

        Nothing here gives a template globals of its own. (Jinja writes to a template's
        globals only when `get_template` is given some for a template already loaded: for
        one loaded without, they would become the environment's.)
        """
        if not d:
            return self.globals
        return super().make_globals(d)


T = TypeVar("T")
KEPT = "kept_markup"
KEPT_URLS = "kept_urls"
# What kept markup may read of the configuration: the clinic's contact details.
CLINIC_SETTINGS = ("CLINIC_NAME", "CLINIC_PHONE", "CLINIC_EMAIL", "CLINIC_HOURS")
CLINIC_DETAILS = itemgetter(*CLINIC_SETTINGS)  # the configuration's values of those, a tuple
# More than the footer, the introductions, the page frames and every blank question's forms.
MOST_KEPT = 1000


def kept_markup(name: Hashable, draw: Callable[[], T]) -> T:
    """The markup (or frame) `draw()` gives, drawn once per process, language and clinic
    details (`name` says which markup): only for markup that depends on nothing else, never on
    an answer. Development's template reloading draws it every time."""
    from .i18n import current_language

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.jinja_env.auto_reload:
        return draw()
    return _kept(app, KEPT, (name, current_language(), CLINIC_DETAILS(app.config)), draw)


def kept_url(endpoint: str, **values: Hashable) -> str:
    """`url_for(endpoint, **values)` for a URL that is the same on every request (a static
    file, a page of the questionnaire: never one naming a person's data), built once per
    process and script root: each one built was half a percent of a questionnaire page."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    key = (request.script_root, endpoint, *sorted(values.items()))
    return _kept(app, KEPT_URLS, key, lambda: url_for(endpoint, **values))


def _kept(app: Flask, store: str, key: Hashable, make: Callable[[], T]) -> T:
    """What `make()` gives for `key`, made once per process and kept in the app's `store`
    (up to MOST_KEPT values)."""
    kept: dict[Hashable, T] = app.extensions.setdefault(store, {})
    value = kept.get(key)
    if value is None:
        value = make()
        if len(kept) < MOST_KEPT:
            kept[key] = value
    return value


# A kept frame marks each part drawn afresh for every request with its name between two NUL
# characters: NUL is never in a page's own markup (HTML forbids it in text, and the frame holds
# no one's words), so a marker cannot be mistaken for the page's content.
SLOT_MARK = "\x00"
LINE_BREAKS = re.compile(r"[ \t\r\n]*\n[ \t\r\n]*")


def slot(name: str) -> Markup:
    """The marker a frame is drawn with in place of the part called `name` (one of ours)."""
    return Markup(f"{SLOT_MARK}{name}{SLOT_MARK}")  # nosec B704


class Frame:
    """A page drawn once with markers (`slot`) where each request's own parts go."""

    def __init__(self, drawn: str) -> None:
        # Between the markers: the frame's own markup at even places, slot names at odd ones,
        # as plain strings (each Markup operation would escape its arguments again).
        self.pieces = str(drawn).split(SLOT_MARK)
        if len(self.pieces) % 2 == 0:
            raise ValueError("a frame's slot marker is not closed")
        # The templates' indentation goes: a run of white space across lines is one line break,
        # which a browser shows the same (the frames hold no <pre> or text area content).
        self.pieces[::2] = [LINE_BREAKS.sub("\n", piece) for piece in self.pieces[::2]]

    @property
    def slots(self) -> list[str]:
        """The names of the slots, in order."""
        return self.pieces[1::2]

    def fill(self, **parts: str) -> str:
        """The page, each slot's part (already markup) in its place."""
        return self.filled([parts[name] for name in self.slots])

    def filled(self, parts: Iterable[str]) -> str:
        """The page, the parts (markup) in place of its slots, in order."""
        pieces = self.pieces.copy()
        pieces[1::2] = parts
        return "".join(pieces)


FrameT = TypeVar("FrameT", bound=Frame)


def kept_frame(name: Hashable, draw: Callable[[], str], kind: type[FrameT] = Frame) -> FrameT:  # type: ignore[assignment]
    """The frame `draw()` gives (a page drawn with slot markers) as a `kind` of Frame, kept as
    kept_markup keeps markup: once per process, language and clinic details, and only when it
    holds no answer."""
    return kept_markup(("frame", name), lambda: kind(draw()))


def kept_template(name: str) -> Markup:
    """A template that shows the same to everyone who reads it in one language (a page's
    introduction), drawn once (kept_markup): what `{% include name %}` shows."""
    return kept_markup(name, lambda: escape(current_app.jinja_env.get_template(name).make_module()))


def init_app(app: Flask) -> None:
    """The templates' `kept_markup`, `kept_template` and `kept_url`."""
    app.add_template_global(kept_markup)
    app.add_template_global(kept_template)
    app.add_template_global(kept_url)
