"""The account commands: create-clinician, ensure-demo-admin."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.security import check_password_hash

from .helpers import (
    PASSWORD,
    MakeUser,
    get_user,
    sign_in,
    user_count,
)


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
