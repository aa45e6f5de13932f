"""Signing in: the form, failures, the lock and the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from screening.extensions import db
from screening.models import User, utcnow
from tests.helpers import csrf_token

from .helpers import (
    PASSWORD_PAGE,
    SIGN_IN,
    MakeUser,
    audit_rows,
    get_user,
    is_signed_in,
    sign_in,
    sign_in_next,
)

# Signing in


def test_sign_in_page_is_accessible_markup(client: FlaskClient) -> None:
    html = client.get(SIGN_IN).get_data(as_text=True)
    assert '<label class="label" for="email">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert ">Sign in</button>" in html


def test_sign_in_goes_to_the_queue_and_is_audited_once(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    response = sign_in(client, email=" Nurse@Example.ORG")
    assert response.status_code == 302
    assert response.headers["Location"] == "/clinician/"
    rows = audit_rows(app)
    assert [(r.action, r.user_id, r.client_address) for r in rows] == [
        ("sign_in", user_id, "127.0.0.1")
    ]
    assert rows[0].user_email == "nurse@example.org"
    assert is_signed_in(client)


def test_sign_in_cookie_ends_with_the_browser(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    response = sign_in(client)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "screening_staff=" in c)
    assert "Expires" not in cookie
    assert "Path=/clinician;" in cookie


def test_sign_in_starts_a_new_session(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    client.get(SIGN_IN)
    with client.session_transaction("/clinician/") as sess:
        sess["planted"] = "by someone else"
    sign_in(client)
    with client.session_transaction("/clinician/") as sess:
        assert "planted" not in sess
        assert "_user_id" in sess


def test_wrong_password_shows_the_form_again(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    response = sign_in(client, password="wrong password here")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The email or password is not right" in html
    assert "data-error-summary" in html
    assert 'value="nurse@example.org"' in html
    assert "wrong password here" not in html
    rows = audit_rows(app)
    assert [(r.action, r.user_id, r.detail) for r in rows] == [
        ("sign_in_failed", user_id, "wrong password")
    ]
    assert not is_signed_in(client)


def test_unknown_email_is_audited_once_without_an_account(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    response = sign_in(client, email="nobody@example.org")
    assert "The email or password is not right" in response.get_data(as_text=True)
    rows = audit_rows(app)
    assert [(r.action, r.user_id, r.user_email, r.detail) for r in rows] == [
        ("sign_in_failed", None, "nobody@example.org", "unknown account")
    ]


def test_unknown_account_that_is_not_an_email_is_not_stored(
    app: Flask, client: FlaskClient
) -> None:
    # Someone who types their password into the email box must not find it in the audit log.
    sign_in(client, email="hunter2hunter2", password="hunter2hunter2")
    [row] = audit_rows(app)
    assert row.user_email is None
    assert row.detail == "unknown account"


def test_unknown_and_wrong_password_look_the_same(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    unknown = sign_in(client, email="nobody@example.org").get_data(as_text=True)
    wrong = sign_in(client, password="wrong password here").get_data(as_text=True)
    assert unknown.replace("nobody@example.org", "nurse@example.org") == wrong.replace(
        csrf_token(wrong), csrf_token(unknown)
    )


def test_empty_form_shows_errors_beside_the_fields(app: Flask, client: FlaskClient) -> None:
    response = sign_in(client, email="", password="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-error"' in html
    assert 'aria-describedby="email-error"' in html
    assert 'aria-describedby="password-error"' in html
    assert audit_rows(app) == []


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/x",
        "//evil.example",
        "/\\evil.example",
        "/%09/evil.example",
        "javascript:alert(1)",
        "clinician/",
    ],
)
def test_sign_in_ignores_a_next_that_leaves_the_site(
    client: FlaskClient, make_user: MakeUser, target: str
) -> None:
    make_user()
    response = sign_in(client, next_=target)
    assert response.headers["Location"] == "/clinician/"


def test_sign_in_follows_a_local_next(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    response = sign_in(client, next_="/clinician/%3Fstatus%3Dnew")
    assert response.headers["Location"] == "/clinician/?status=new"


def test_a_staff_page_sends_strangers_to_sign_in(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    response = client.get(PASSWORD_PAGE)
    assert response.status_code == 302
    assert sign_in_next(response) == PASSWORD_PAGE
    back = sign_in(client, next_="%2Fclinician%2Fpassword")
    assert back.headers["Location"] == PASSWORD_PAGE


def test_disabled_account_cannot_sign_in(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    response = sign_in(client)
    assert response.status_code == 200
    assert "The email or password is not right" in response.get_data(as_text=True)
    assert [r.detail for r in audit_rows(app)] == ["account disabled"]


def test_disabling_an_account_ends_its_session(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    sign_in(client)
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert not is_signed_in(client)


# The lock and the rate limit


def test_five_failures_lock_the_account_for_fifteen_minutes(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    for _ in range(5):
        sign_in(client, password="wrong password here")
    user = get_user(app)
    assert user.locked_until is not None
    lock_minutes = (user.locked_until - utcnow()) / timedelta(minutes=1)
    assert 14 < lock_minutes <= 15

    locked = sign_in(client)
    assert locked.status_code == 200
    assert "locked" in locked.get_data(as_text=True)
    assert not is_signed_in(client)
    assert get_user(app).locked_until == user.locked_until  # not extended
    details = [r.detail for r in audit_rows(app, "sign_in_failed")]
    assert details == [*["wrong password"] * 4, "wrong password; account locked", "account locked"]

    with app.app_context():
        db.session.get(User, user_id).locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert sign_in(client).status_code == 302
    user = get_user(app)
    assert user.failed_logins == 0
    assert user.locked_until is None


def test_after_the_lock_the_count_starts_again(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    for _ in range(5):
        sign_in(client, password="wrong password here")
    with app.app_context():
        db.session.get(User, user_id).locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    sign_in(client, password="wrong password here")
    user = get_user(app)
    assert (user.failed_logins, user.locked_until) == (1, None)
    assert sign_in(client).status_code == 302


def test_four_failures_do_not_lock_and_a_success_resets_the_count(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    for _ in range(4):
        sign_in(client, password="wrong password here")
    assert get_user(app).failed_logins == 4
    assert sign_in(client).status_code == 302
    assert get_user(app).failed_logins == 0


def test_sign_in_is_rate_limited(app: Flask, client: FlaskClient, make_user: MakeUser) -> None:
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    make_user()
    for _ in range(3):
        assert sign_in(client, password="wrong password here").status_code == 200
    response = sign_in(client)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get(SIGN_IN).status_code == 200  # only POSTs count
    assert len(audit_rows(app, "sign_in_failed")) == 3


def test_rate_limit_counts_start_afresh_with_each_app(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    # With the default of 10 a minute: the earlier tests' attempts must not count here.
    make_user()
    for _ in range(9):
        assert sign_in(client, email="nobody@example.org").status_code == 200
    assert sign_in(client).status_code == 302
