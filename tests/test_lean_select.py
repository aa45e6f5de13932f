"""database.LeanSelect, the draft read of every page shown from a draft: the same row as
SQLAlchemy's own execution gives, driver errors raised as SQLAlchemy's without the token, a
dropped connection invalidated, and every connection back in the pool."""

from __future__ import annotations

import logging
from datetime import UTC

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, OperationalError

from screening import services
from screening.crypto import UNDECRYPTABLE
from screening.extensions import db
from screening.questionnaire.schema import empty_document
from tests.test_faults import database_fails


@pytest.fixture
def token(app) -> str:
    """A stored draft's token, with an answer and two pages done."""
    with app.app_context():
        draft = services.start_draft()
        answers = empty_document()
        answers["about"]["region"] = "OR"
        draft.answers = answers
        draft.completed_pages = ["start", "about"]
        db.session.commit()
        return draft.token


def test_it_reads_the_row_sqlalchemy_reads(app, token):
    with app.app_context():
        with db.engine.connect() as connection:
            expected = connection.execute(
                services.DRAFT_ROW_BY_TOKEN.statement, {"token": token}
            ).one()
        row = services.draft_row_for(token)

        assert row == tuple(expected)
        assert row.answers["about"]["region"] == "OR"
        assert row.completed_pages == ["start", "about"]
        assert row.updated_at.tzinfo is not None
        assert row.updated_at.utcoffset() == UTC.utcoffset(None)
        assert services.draft_row_for("no such token") is None
        assert db.engine.pool.checkedout() == 0


def test_an_undecryptable_draft_reads_as_such_and_is_logged(app, token, caplog):
    with app.app_context():
        # Written as the database holds it: no key made this token.
        db.session.execute(text("UPDATE draft SET answers = 'gAAAAnot-a-token'"))
        db.session.commit()
        with caplog.at_level(logging.ERROR):
            row = services.draft_row_for(token)

    assert row.answers is UNDECRYPTABLE
    assert f"draft.answers of row {row.id}" in caplog.text
    assert token not in caplog.text


def test_a_driver_error_is_sqlalchemys_error_without_the_token(app, token):
    with app.app_context(), database_fails(app), pytest.raises(OperationalError) as raised:
        services.draft_row_for(token)

    assert token not in str(raised.value)
    assert "FROM draft" in str(raised.value)
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
        assert services.draft_row_for(token).completed_pages == ["start", "about"]


def test_a_connection_the_server_dropped_is_invalidated(app, token, monkeypatch):
    with app.app_context():
        dialect = db.engine.dialect
        invalidated = []
        event.listen(db.engine.pool, "invalidate", lambda *args: invalidated.append(args))
        monkeypatch.setattr(dialect, "is_disconnect", lambda error, connection, cursor: True)
        with database_fails(app), pytest.raises(DBAPIError) as raised:
            services.draft_row_for(token)
        monkeypatch.undo()

        assert raised.value.connection_invalidated
        assert len(invalidated) == 1
        assert db.engine.pool.checkedout() == 0
        # The pool opens a new connection for the next read.
        assert services.draft_row_for(token).answers["about"]["region"] == "OR"
