"""Changing a password, and which passwords are refused."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import check_password_hash
from werkzeug.test import TestResponse

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
