"""links to continue a draft in another browser, and reminders asked for

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-22 09:45:00

A resume link is stored only as a hash of its token; a reminder is an outbox row scheduled
ahead, which the person can cancel.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resume_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_resume_link_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_resume_link_token_hash")),
    )
    with op.batch_alter_table("resume_link") as batch:
        batch.create_index(batch.f("ix_resume_link_draft_id"), ["draft_id"])
    op.create_table(
        "draft_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("outbox_email_id", sa.Integer(), nullable=False),
        sa.Column("cancel_token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_draft_reminder_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_reminder")),
        sa.UniqueConstraint("cancel_token_hash", name=op.f("uq_draft_reminder_cancel_token_hash")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_draft_reminder_draft_id")),
    )


def downgrade():
    op.drop_table("draft_reminder")
    with op.batch_alter_table("resume_link") as batch:
        batch.drop_index(batch.f("ix_resume_link_draft_id"))
    op.drop_table("resume_link")
