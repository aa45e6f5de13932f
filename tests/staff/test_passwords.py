"""Changing a password, and which passwords are refused."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.security import check_password_hash
from werkzeug.test import TestResponse

from screening.passwords import password_problem
from tests.helpers import post_form

from .helpers import (
    PASSWORD,
    PASSWORD_PAGE,
    MakeUser,
    audit_rows,
    get_user,
    is_signed_in,
    sign_in,
)

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


# Which passwords are refused, and the page says why (issue 9 hardening, issue 14 part 3)

WEAK = [
    ("aaaaaaaaaaaa", "too easy to guess (Repeats like"),
    ("password1234", "too easy to guess (This is a very common password)"),
    ("123456789012", "too easy to guess"),
    ("qwertyuiopas", "too easy to guess"),
    ("Nurse-on-the-ward-7", "must not contain your email address"),
]


@pytest.mark.parametrize(("new", "why"), WEAK)
def test_weak_passwords_are_refused_with_the_reason(new: str, why: str) -> None:
    assert why in (password_problem(new, "nurse@example.org") or "")


@pytest.mark.parametrize(("new", "why"), [WEAK[1], WEAK[4]])
def test_change_password_refuses_weak_passwords_and_says_why(
    app: Flask, client: FlaskClient, make_user: MakeUser, new: str, why: str
) -> None:
    make_user()
    sign_in(client)
    response = change_password(client, PASSWORD, new, new)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="new_password-error"' in html
    assert why in html
    assert check_password_hash(get_user(app).password_hash, PASSWORD)


def test_create_clinician_refuses_a_common_password(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLINICIAN_PASSWORD", "123456789012")
    result = runner.invoke(args=["create-clinician", "nurse@example.org"])
    assert result.exit_code != 0
    assert "too easy to guess" in result.output


def test_a_long_unusual_passphrase_is_accepted(
    app: Flask, client: FlaskClient, make_user: MakeUser
) -> None:
    make_user()
    sign_in(client)
    phrase = "violet kettle under ninety maps"
    assert change_password(client, PASSWORD, phrase, phrase).status_code == 302
