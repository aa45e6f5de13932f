"""Two session cookies: one for clinic staff, scoped to /clinician, and one for patients.

A patient page never carries a staff session, and a staff page never reads a patient's draft
token. Both are Flask's signed cookies; only their name and path differ by where the request
goes. (Flask-WTF keeps each side's CSRF token in that side's session.)

A patient's session is permanent: its cookie lasts PERMANENT_SESSION_LIFETIME (DRAFT_TTL_DAYS)
from the last time it was signed. Flask signs it again on every response
(SESSION_REFRESH_EACH_REQUEST); here an unchanged session is signed again only when its cookie
is at least REFRESH_AFTER old, so its expiry is exact to within that. A changed session is
always sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer

STAFF_PATH = "/clinician"
# Signing the cookie again was 7% of a questionnaire page's request; a page saved and the next
# one shown (POST, redirect, GET) are seconds apart.
REFRESH_AFTER = timedelta(minutes=1)


def is_staff_path(path: str) -> bool:
    """Whether a request path belongs to the staff side (the cookie path's own rule)."""
    return path == STAFF_PATH or path.startswith(STAFF_PATH + "/")


class SignedSession(SecureCookieSession):
    """Flask's cookie session, knowing when its cookie was signed (None: a new session)."""

    signed_at: datetime | None = None


class SplitSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the staff cookie's own name and path, whose
    unchanged cookies are signed again at most every REFRESH_AFTER."""

    session_class = SignedSession

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

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        """Flask's open_session, keeping the time the cookie was signed."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """A changed session always; an unchanged permanent one once its cookie is
        REFRESH_AFTER old (with SESSION_REFRESH_EACH_REQUEST, as Flask's default)."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= REFRESH_AFTER

    def get_cookie_name(self, app: Flask) -> str:
        if is_staff_path(request.path):
            return str(app.config["STAFF_SESSION_COOKIE_NAME"])
        return str(app.config["SESSION_COOKIE_NAME"])

    def get_cookie_path(self, app: Flask) -> str:
        return STAFF_PATH if is_staff_path(request.path) else "/"


def register(app: Flask) -> None:
    """Use the split cookies for every request of the app."""
    app.session_interface = SplitSessionInterface()
