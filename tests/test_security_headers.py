"""Security headers on every response; pages with answers are never cached."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from screening.extensions import db
from screening.models import AuditEvent
from screening.security import with_security_headers
from tests.helpers import csrf_token

PAGES = ["/questionnaire/start", "/questionnaire/summary", "/clinician/sign-in", "/nowhere"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # no outside origins
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_hsts_when_served_over_https(client):
    response = client.get("/questionnaire/start", base_url="https://clinic.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_static_files_may_be_cached_but_keep_nosniff(client):
    response = client.get("/static/css/main.css")
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_views_own_caching_is_replaced_and_its_own_policy_kept():
    """The view's Cache-Control and Pragma give way to no-store (once each); a header it
    chose itself, such as its own Content-Security-Policy, stays."""
    view = [
        ("Content-Type", "text/html"),
        ("Cache-Control", "max-age=600"),
        ("Content-Security-Policy", "default-src 'none'"),
        ("pragma", "x"),
    ]
    headers = with_security_headers(view, secure=True, static=False)
    names = [name.lower() for name, _ in headers]
    assert len(names) == len(set(names))
    found = dict(headers)
    assert found["Cache-Control"] == "no-store" and found["Pragma"] == "no-cache"
    assert found["Content-Security-Policy"] == "default-src 'none'"
    assert found["Strict-Transport-Security"].startswith("max-age=")
    static = dict(with_security_headers(view, secure=False, static=True))
    assert static["Cache-Control"] == "max-age=600"
    assert "Strict-Transport-Security" not in static


def test_session_cookie_is_httponly_and_lax(client):
    from tests.helpers import page_data, post_form, worked_example

    post_form(client, "/questionnaire/start", page_data("start", worked_example()))
    cookie = client.get_cookie("screening_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure  # the test config is plain HTTP; production sets Secure


def test_production_cookies_are_secure():
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_behind_a_trusted_proxy_https_and_the_client_address_come_from_it(database_url):
    from screening import create_app

    app = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXIES": 1}
    )
    with app.app_context():
        db.create_all()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    client = app.test_client()
    response = client.get("/clinician/sign-in", headers=headers)
    assert "Strict-Transport-Security" in response.headers
    client.post(
        "/clinician/sign-in",
        data={"csrf_token": csrf_token(response.get_data(as_text=True)),
              "email": "nobody@example.org", "password": "wrong wrong wrong"},
        headers=headers,
    )  # fmt: skip
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent)).all()
        assert event.client_address == "203.0.113.9"
        db.engine.dispose()


def test_without_trusted_proxies_forwarded_headers_are_ignored(client):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    response = client.get("/questionnaire/start", headers=headers)
    assert "Strict-Transport-Security" not in response.headers
