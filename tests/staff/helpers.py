"""What the staff-account tests share: the password, signing in, reading the audit."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from screening import accounts
from screening.extensions import db
from screening.models import AuditEvent, User
from tests.helpers import csrf_token, post_form

PASSWORD = "correct horse battery"
SIGN_IN = "/clinician/sign-in"
PASSWORD_PAGE = "/clinician/password"

MakeUser = Callable[..., int]


def sign_in(
    client: FlaskClient, email: str = "nurse@example.org", password: str = PASSWORD, next_=None
) -> TestResponse:
    url = SIGN_IN if next_ is None else f"{SIGN_IN}?next={next_}"
    return post_form(client, url, {"email": email, "password": password})


def audit_rows(app: Flask, action: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def get_user(app: Flask, email: str = "nurse@example.org") -> User:
    with app.app_context():
        user = accounts.user_by_email(email)
        assert user is not None
        db.session.expunge(user)
        return user


def user_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def sign_in_next(response: TestResponse) -> str | None:
    """The next= of a redirect to the sign-in page."""
    location = urlsplit(response.headers["Location"])
    assert location.path == SIGN_IN
    return parse_qs(location.query).get("next", [None])[0]


def is_signed_in(client: FlaskClient) -> bool:
    return client.get(PASSWORD_PAGE).status_code == 200


STAFF_COOKIE = "screening_staff"


def copy_of_session(app: Flask, client: FlaskClient, user_agent: str | None = None) -> FlaskClient:
    """Another browser holding a copy of the client's staff session cookie."""
    cookie = client.get_cookie(STAFF_COOKIE, path="/clinician")
    assert cookie is not None, "the client holds no staff session"
    headers = {"User-Agent": user_agent} if user_agent else {}
    other = app.test_client()
    other.environ_base.update(
        {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    )
    other.set_cookie(STAFF_COOKIE, cookie.value, path="/clinician")
    return other


def sign_out(client: FlaskClient) -> TestResponse:
    token = csrf_token(client.get(PASSWORD_PAGE).get_data(as_text=True))
    return client.post("/clinician/sign-out", data={"csrf_token": token})
