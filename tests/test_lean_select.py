"""database.LeanSelect, the draft read of every page shown from a draft: the same row as
SQLAlchemy's own execution gives, driver errors raised as SQLAlchemy's without the token, a
dropped connection invalidated, and every connection back in the pool."""

from __future__ import annotations

import logging
from datetime import UTC

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from screening import services
from screening.crypto import UNDECRYPTABLE
from screening.extensions import db
from screening.models import Draft
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


def _transaction_state(dbapi_connection) -> tuple[bool, bool]:
    """(whether the connection is in autocommit, whether a transaction is open)."""
    if hasattr(dbapi_connection, "info"):  # psycopg
        from psycopg.pq import TransactionStatus

        idle = dbapi_connection.info.transaction_status == TransactionStatus.IDLE
        return dbapi_connection.autocommit, not idle
    return dbapi_connection.isolation_level is None, dbapi_connection.in_transaction


def test_the_read_opens_no_transaction_and_leaves_the_connection_as_it_was(app, token):
    """On PostgreSQL in autocommit (no BEGIN, no ROLLBACK: two round trips fewer), then back in
    the pool's usual mode; SQLite's driver begins no transaction for a SELECT anyway."""
    with app.app_context():
        engine, dialect = db.engine, db.engine.dialect
        during, returned = [], []
        execute = dialect.do_execute

        def recording(cursor, statement, parameters, context=None):
            execute(cursor, statement, parameters, context)
            during.append(_transaction_state(cursor.connection))

        dialect.do_execute = recording
        checkin = lambda dbapi_connection, record: returned.append(  # noqa: E731
            _transaction_state(dbapi_connection)
        )
        event.listen(engine.pool, "checkin", checkin)
        try:
            assert services.draft_row_for(token) is not None
        finally:
            del dialect.do_execute
            event.remove(engine.pool, "checkin", checkin)

        postgresql = dialect.name == "postgresql"
        assert during == [(postgresql, False)]
        assert returned == [(False, False)]
        # What the pool hands out next still writes in a transaction that can be undone.
        before = db.session.scalar(select(func.count()).select_from(Draft))
        services.start_draft()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Draft)) == before


def test_a_connection_whose_mode_cannot_be_restored_leaves_the_pool(app, token, monkeypatch):
    with app.app_context():
        dialect = db.engine.dialect
        if dialect.name != "postgresql":  # SQLite reads without changing the mode
            monkeypatch.setattr(dialect, "name", "postgresql")
            services.DRAFT_ROW_BY_TOKEN._prepared.clear()
        invalidated = []
        event.listen(db.engine.pool, "invalidate", lambda *args: invalidated.append(args))

        def refuse(dbapi_connection):
            raise dialect.loaded_dbapi.OperationalError("cannot change the mode now")

        monkeypatch.setattr(dialect, "reset_isolation_level", refuse)
        row = services.draft_row_for(token)
        monkeypatch.undo()
        services.DRAFT_ROW_BY_TOKEN._prepared.clear()

        assert row.completed_pages == ["start", "about"]
        assert len(invalidated) == 1
        assert db.engine.pool.checkedout() == 0
        assert services.draft_row_for(token).answers["about"]["region"] == "OR"
