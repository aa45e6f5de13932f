"""The committed migrations build exactly the models' schema, keep stored data, and undo it."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from screening import create_app
from screening.extensions import db
from screening.models import Draft
from tests.helpers import worked_example

QUEUE_INDEXES = {"ix_submission_queue", "ix_submission_status_queue"}


def _is_index_on(diff: tuple, names: set[str]) -> bool:
    return diff[0] in ("add_index", "remove_index") and diff[1].name in names


def test_upgrade_matches_models_and_downgrade_removes_everything(database_url):
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            differences = [
                diff
                for diff in compare_metadata(context, db.metadata)
                # SQLite reflects a DESC index column as an expression Alembic cannot compare.
                if not (db.engine.name == "sqlite" and _is_index_on(diff, QUEUE_INDEXES))
            ]
            assert differences == []
        indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("submission")}
        assert set(indexes) >= QUEUE_INDEXES
        tables = set(inspect(db.engine).get_table_names())
        assert {"draft", "submission", "submission_flag", "user_account", "note"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_encryption_migration_keeps_stored_answers(database_url):
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": database_url})
    doc = worked_example()
    with app.app_context():
        upgrade(revision="0002")
        db.session.execute(
            text(
                "INSERT INTO draft (token, answers, completed_pages, created_at, updated_at) "
                "VALUES ('t', :answers, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"answers": json.dumps(doc)},
        )
        db.session.commit()
        upgrade()
        raw = db.session.execute(text("SELECT answers FROM draft")).scalar_one()
        assert raw.startswith("gAAAAA") and "Alex" not in raw
        assert db.session.scalars(db.select(Draft)).one().answers == doc
        db.session.commit()
        downgrade(revision="0002")
        raw = db.session.execute(text("SELECT answers FROM draft")).scalar_one()
        assert json.loads(raw if isinstance(raw, str) else json.dumps(raw)) == doc
        db.session.commit()
        downgrade(revision="base")
        db.engine.dispose()
