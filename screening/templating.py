"""The app's Jinja environment: Flask's, with globals that cost nothing to look through.

Jinja gives every template its globals as a `ChainMap` of the template's own (none here) over
the environment's. Each render copies that map into the context key by key, and each
`{% from ... import %}` of a macro file (every field, the footer, the crisis box) compares the
importing template's global names with the imported one's, through the `ChainMap`'s slow
`__contains__`: a twentieth of a questionnaire page went into that comparison, which always
finds the two the same. A template without globals of its own here shares the environment's
dict itself, so the copy and the comparison are done by dict operations in C.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment


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
