"""Fixtures: a fresh app and database per test, a client, the CLI runner."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from config import database_url as database_url_from_env
from screening import create_app
from screening.extensions import db
from tests.browser.report import (  # noqa: F401  hooks: the browser tests' summary
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)

# Every test that uses the database runs on SQLite and, when TEST_DATABASE_URL is set (CI sets
# it), again on PostgreSQL, each time in a fresh database of its own.
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


# Under pytest-xdist (make test runs on every core), tests go to the workers one by one, except
# those that must share one worker: the browser tests (one Chromium, and one Nu Html Checker run
# over every page they open) and the tests that count in one shared Redis.
TOGETHER = ("tests/browser/", "tests/test_shared_limits.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    # xdist's own "loadgroup" cannot mark groups under pytest 9.2 (node ids became read-only).
    from xdist.scheduler import LoadScopeScheduling

    class Together(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((scope for scope in TOGETHER if nodeid.startswith(scope)), nodeid)

    return Together(config, log)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with fresh_postgres_schema() as url:
        yield url


@contextlib.contextmanager
def fresh_postgres_schema() -> Iterator[str]:
    """A URL of the test PostgreSQL server whose search path is a new, empty schema."""
    base = database_url_from_env(os.environ["TEST_DATABASE_URL"])
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask):
    """A function that stores a staff account and returns its id."""
    from screening.accounts import hash_password
    from screening.models import User

    def make(email: str = "clin@example.org", role: str = "clinician", password: str = "") -> int:
        with app.app_context():
            user = User(
                email=email,
                role=role,
                password_hash=hash_password(password or "correct horse battery"),
            )
            db.session.add(user)
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def sign_in_as(client: FlaskClient, make_user):
    """A function that signs the test client in as a new clinician (or admin)."""

    def sign_in(role: str = "clinician", email: str | None = None) -> int:
        from tests.helpers import post_form

        email = email or f"{role}@example.org"
        user_id = make_user(email=email, role=role)
        response = post_form(
            client, "/clinician/sign-in", {"email": email, "password": "correct horse battery"}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return user_id

    return sign_in


@pytest.fixture
def make_submission(app: Flask):
    """A function that stores a submission of a document (default: the worked example)."""
    from datetime import UTC, datetime

    from screening import rules, services
    from tests.helpers import worked_example

    counter = iter(range(1_000_000))

    def make(doc=None, created_at=None, status: str = "new") -> int:
        with app.app_context():
            created = created_at or datetime.now(UTC)
            submission = services.store_submission(
                doc or worked_example(),
                created.date(),
                rules.Thresholds.from_config(app.config),
                submit_key=f"test-{next(counter)}",
                created_at=created,
            )
            submission.status = status
            db.session.commit()
            return submission.id

    return make
