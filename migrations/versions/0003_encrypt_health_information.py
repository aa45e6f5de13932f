"""encrypt health information at rest

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 20:30:00

The answer documents, flags and notes become Fernet tokens (text), encrypted with the app's
ENCRYPTION_KEYS; rows already stored are encrypted in place (and decrypted on downgrade).
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = (
    ("draft", "answers", True),
    ("submission", "answers", True),
    ("submission", "flags", True),
    ("note", "body", False),
)


def _rewrite(table_name, column_name, change):
    connection = op.get_bind()
    table = sa.table(table_name, sa.column("id"), sa.column(column_name, sa.Text))
    for row_id, value in connection.execute(sa.select(table.c.id, table.c[column_name])).all():
        if value is not None:
            connection.execute(
                table.update().where(table.c.id == row_id).values({column_name: change(value)})
            )


def upgrade():
    fernet = current_app.extensions["screening.fernet"]
    for table_name, column_name, is_json in COLUMNS:
        if is_json:
            with op.batch_alter_table(table_name) as batch:
                batch.alter_column(
                    column_name, type_=sa.Text(), postgresql_using=f"{column_name}::text"
                )
        _rewrite(
            table_name, column_name, lambda text: fernet.encrypt(text.encode()).decode("ascii")
        )


def downgrade():
    fernet = current_app.extensions["screening.fernet"]
    for table_name, column_name, is_json in COLUMNS:
        _rewrite(
            table_name, column_name, lambda token: fernet.decrypt(token.encode("ascii")).decode()
        )
        if is_json:
            with op.batch_alter_table(table_name) as batch:
                batch.alter_column(
                    column_name, type_=sa.JSON(), postgresql_using=f"{column_name}::json"
                )
