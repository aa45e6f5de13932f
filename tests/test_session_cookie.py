"""The patient's session cookie: signed again when it changes, and otherwise at most every
cookies.REFRESH_AFTER, so it still lasts PERMANENT_SESSION_LIFETIME from the last visit
(to within that) without being signed again on every page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.http import parse_date

from screening import cookies
from tests.helpers import page_data, post_form, worked_example

COOKIE = "screening_session"


def session_cookies(response) -> list[str]:
    return [v for v in response.headers.getlist("Set-Cookie") if v.startswith(f"{COOKIE}=")]


@pytest.fixture
def started(client):
    """A browser holding a draft: the first page saved."""
    response = post_form(client, "/questionnaire/start", page_data("start", worked_example()))
    assert response.status_code == 302
    assert session_cookies(response), "saving the first page starts the session"
    return client


def test_an_unchanged_session_is_not_signed_again_within_a_minute(started):
    response = started.get("/questionnaire/about")
    assert response.status_code == 200
    assert session_cookies(response) == []
    assert "Cookie" in response.headers.get("Vary", "")


def test_an_unchanged_session_is_signed_again_once_its_cookie_is_old(started, monkeypatch, app):
    monkeypatch.setattr(cookies, "REFRESH_AFTER", timedelta(0))
    before = datetime.now(UTC).replace(microsecond=0)
    response = started.get("/questionnaire/about")
    (cookie,) = session_cookies(response)
    expires = parse_date(cookie.split("Expires=")[1].split(";")[0])
    lifetime = app.permanent_session_lifetime
    assert before + lifetime <= expires <= datetime.now(UTC) + lifetime
    assert started.get("/questionnaire/about").status_code == 200  # the new cookie opens it


def test_a_changed_session_is_always_sent(started):
    # Changing the language writes it into the session, seconds after it was signed.
    response = started.get("/language/es?next=/questionnaire/about")
    assert session_cookies(response)


def test_a_forged_cookie_opens_an_empty_session(app):
    forged = app.test_client()
    forged.set_cookie(COOKIE, "e30.AAAAAA.bad-signature")
    response = forged.get("/questionnaire/about")
    assert response.status_code == 302  # no draft: back to the first page
    assert session_cookies(response) == []
