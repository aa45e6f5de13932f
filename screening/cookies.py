"""Two session cookies: one for clinic staff, scoped to /clinician, and one for patients.

A patient page never carries a staff session, and a staff page never reads a patient's draft
token. Both are Flask's signed cookies; only their name and path differ by where the request
goes. (Flask-WTF keeps each side's CSRF token in that side's session.)
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

STAFF_PATH = "/clinician"


def is_staff_path(path: str) -> bool:
    """Whether a request path belongs to the staff side (the cookie path's own rule)."""
    return path == STAFF_PATH or path.startswith(STAFF_PATH + "/")


class SplitSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the staff cookie's own name and path."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer for the app's keys, made once for them rather than twice a
        request (making one tries its JSON serializer out: a twentieth of a page that
        re-signs its cookie)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is None:  # no SECRET_KEY: no session
                return None
            self._serializers[keys] = serializer
        return serializer

    def get_cookie_name(self, app: Flask) -> str:
        if is_staff_path(request.path):
            return str(app.config["STAFF_SESSION_COOKIE_NAME"])
        return str(app.config["SESSION_COOKIE_NAME"])

    def get_cookie_path(self, app: Flask) -> str:
        return STAFF_PATH if is_staff_path(request.path) else "/"


def register(app: Flask) -> None:
    """Use the split cookies for every request of the app."""
    app.session_interface = SplitSessionInterface()
