"""Staff accounts: the commands, sign-in and its lock and rate limit, idle sessions, passwords."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from werkzeug.security import check_password_hash
from werkzeug.test import TestResponse

from screening import accounts
from screening.extensions import db
from screening.models import AuditEvent, User, utcnow

from .helpers import csrf_token, post_form

PASSWORD = "correct horse battery"
SIGN_IN = "/clinician/sign-in"
PASSWORD_PAGE = "/clinician/password"

MakeUser = Callable[..., int]


@pytest.fixture
def make_user(app: Flask) -> MakeUser:
    """Create a staff account and return its id."""

    def make(email: str = "nurse@example.org", password: str = PASSWORD, role: str = "clinician"):
        with app.app_context():
            user = accounts.create_user(email, password, role)
            db.session.commit()
            return user.id

    return make


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


# The commands


def test_create_clinician_reads_the_password_from_the_environment(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(
        args=["create-clinician", "  Nurse@Example.org "], env={"CLINICIAN_PASSWORD": PASSWORD}
    )
    assert result.exit_code == 0, result.output
    assert "Created clinician nurse@example.org" in result.output
    user = get_user(app)
    assert user.role == "clinician"
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, PASSWORD)


def test_create_clinician_with_the_admin_role(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-clinician", "boss@example.org", "--role", "admin"],
        env={"CLINICIAN_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert get_user(app, "boss@example.org").role == "admin"


def test_create_clinician_asks_twice_for_the_password(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLINICIAN_PASSWORD", raising=False)
    result = runner.invoke(
        args=["create-clinician", "nurse@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert check_password_hash(get_user(app).password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("NURSE@example.org", PASSWORD, "already exists"),
        ("other@example.org", "short", "at least 12 characters"),
        ("not-an-email", PASSWORD, "not a valid email address"),
    ],
)
def test_create_clinician_refuses_bad_accounts(
    app: Flask, runner: FlaskCliRunner, make_user: MakeUser, email: str, password: str, message: str
) -> None:
    make_user()
    result = runner.invoke(args=["create-clinician", email], env={"CLINICIAN_PASSWORD": password})
    assert result.exit_code == 1
    assert message in result.output
    assert user_count(app) == 1


def test_ensure_demo_admin_creates_one_admin_once(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient
) -> None:
    app.config["ENV_NAME"] = "development"
    first = runner.invoke(args=["ensure-demo-admin"])
    assert first.exit_code == 0, first.output
    line = next(line for line in first.output.splitlines() if "Demo admin:" in line)
    password = line.split(" / ")[1].split(" (shown once)")[0]
    assert "admin@example.org" in line
    assert len(password) >= 12
    assert get_user(app, "admin@example.org").role == "admin"
    assert sign_in(client, "admin@example.org", password).status_code == 302

    second = runner.invoke(args=["ensure-demo-admin"])
    assert second.exit_code == 0, second.output
    assert password not in second.output
    assert "create-clinician" in second.output
    assert user_count(app) == 1


@pytest.mark.parametrize("environment", ["test", "production"])
def test_ensure_demo_admin_only_in_development(
    app: Flask, runner: FlaskCliRunner, environment: str
) -> None:
    app.config["ENV_NAME"] = environment
    result = runner.invoke(args=["ensure-demo-admin"])
    assert result.exit_code == 1
    assert user_count(app) == 0


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
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "screening_session" in c)
    assert "Expires" not in cookie


def test_sign_in_starts_a_new_session(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    client.get(SIGN_IN)
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    sign_in(client)
    with client.session_transaction() as sess:
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


# Idle sessions and signing out


def set_last_seen(client: FlaskClient, minutes_ago: float) -> None:
    with client.session_transaction() as sess:
        sess["last_seen"] = int(time.time() - minutes_ago * 60)


def test_thirty_minutes_without_activity_ends_the_session(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    set_last_seen(client, 31)
    response = client.get(f"{PASSWORD_PAGE}?from=queue")
    assert response.status_code == 302
    assert sign_in_next(response) == f"{PASSWORD_PAGE}?from=queue"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity" in page
    assert not is_signed_in(client)
    assert [(r.action, r.detail) for r in audit_rows(app, "sign_out")] == [
        ("sign_out", "inactivity")
    ]


def test_activity_within_thirty_minutes_keeps_the_session(
    client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    set_last_seen(client, 29)
    assert client.get(PASSWORD_PAGE).status_code == 200
    with client.session_transaction() as sess:
        assert time.time() - sess["last_seen"] < 60  # the clock starts again
    set_last_seen(client, 29)
    assert is_signed_in(client)


def test_an_idle_post_goes_to_sign_in_without_next(
    client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    token = csrf_token(client.get(PASSWORD_PAGE).get_data(as_text=True))
    set_last_seen(client, 31)
    response = client.post(PASSWORD_PAGE, data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == SIGN_IN


def test_sign_out_ends_the_session(app: Flask, client: FlaskClient, make_user: MakeUser) -> None:
    user_id = make_user()
    sign_in(client)
    token = csrf_token(client.get(PASSWORD_PAGE).get_data(as_text=True))
    response = client.post("/clinician/sign-out", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == SIGN_IN
    assert "You have signed out" in client.get(SIGN_IN).get_data(as_text=True)
    assert not is_signed_in(client)
    assert [(r.action, r.user_id) for r in audit_rows(app, "sign_out")] == [("sign_out", user_id)]


def test_sign_out_without_a_csrf_token_is_refused(client: FlaskClient, make_user: MakeUser) -> None:
    make_user()
    sign_in(client)
    assert client.post("/clinician/sign-out").status_code == 400
    assert is_signed_in(client)


def test_sign_in_without_a_csrf_token_is_refused(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    response = client.post(SIGN_IN, data={"email": "nurse@example.org", "password": PASSWORD})
    assert response.status_code == 400
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    assert not is_signed_in(client)
    assert audit_rows(app) == []


# Changing the password


def change_password(client: FlaskClient, current: str, new: str, confirm: str) -> TestResponse:
    return post_form(
        client,
        PASSWORD_PAGE,
        {"current_password": current, "new_password": new, "confirm_password": confirm},
    )


NEW_PASSWORD = "a brand new passphrase"


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("not my password", NEW_PASSWORD, NEW_PASSWORD, "current_password", "is not right"),
        (PASSWORD, NEW_PASSWORD, "something else entirely", "confirm_password", "not the same"),
        (PASSWORD, "short", "short", "new_password", "at least 12 characters"),
        (PASSWORD, PASSWORD, PASSWORD, "new_password", "different from the current"),
    ],
)
def test_change_password_refuses_mistakes(
    app: Flask,
    client: FlaskClient,
    make_user: MakeUser,
    current: str,
    new: str,
    confirm: str,
    field: str,
    message: str,
) -> None:
    make_user()
    sign_in(client)
    response = change_password(client, current, new, confirm)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert f'id="{field}-error"' in html
    assert re.search(f'aria-describedby="[^"]*\\b{field}-error"', html)
    assert "data-error-summary" in html
    assert current not in html and new not in html
    assert check_password_hash(get_user(app).password_hash, PASSWORD)
    assert audit_rows(app, "password_changed") == []


def test_change_password_replaces_the_old_one(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    user_id = make_user()
    sign_in(client)
    response = change_password(client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert "Your password has been changed" in client.get(PASSWORD_PAGE).get_data(as_text=True)
    assert [r.user_id for r in audit_rows(app, "password_changed")] == [user_id]

    other = app.test_client()
    assert sign_in(other, password=PASSWORD).status_code == 200
    assert sign_in(other, password=NEW_PASSWORD).status_code == 302


def test_change_password_ends_other_sessions(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    elsewhere = app.test_client()
    sign_in(elsewhere)
    sign_in(client)
    change_password(client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert is_signed_in(client)
    assert not is_signed_in(elsewhere)
    assert [r.detail for r in audit_rows(app, "sign_out")] == ["password changed"]
