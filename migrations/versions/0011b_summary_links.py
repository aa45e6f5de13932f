"""links to a patient's own summary, for the confirmation email

Revision ID: 0011b
Revises: 0011
Create Date: 2026-11-22 09:50:00

Stored only as a hash of the token; each opening is audited against the submission.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011b"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "summary_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_summary_link_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_summary_link_token_hash")),
    )
    with op.batch_alter_table("summary_link") as batch:
        batch.create_index(batch.f("ix_summary_link_submission_id"), ["submission_id"])


def downgrade():
    with op.batch_alter_table("summary_link") as batch:
        batch.drop_index(batch.f("ix_summary_link_submission_id"))
    op.drop_table("summary_link")
