"""outbox of emails to deliver

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 09:30:00

Every email is first a row here, written in the transaction of the change that caused it;
a worker delivers it and marks it sent.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_email")),
    )
    with op.batch_alter_table("outbox_email") as batch:
        batch.create_index("ix_outbox_email_pending", ["sent_at", "next_attempt_at"])


def downgrade():
    with op.batch_alter_table("outbox_email") as batch:
        batch.drop_index("ix_outbox_email_pending")
    op.drop_table("outbox_email")
