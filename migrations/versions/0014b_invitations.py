"""staff invitations

Revision ID: 0014b
Revises: 0014
Create Date: 2026-11-22 10:20:00

An admin invites a person by email: a single-use link (only its hash stored) valid for a
limited time, where they choose a password and set up two-factor sign-in.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014b"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('clinician', 'admin')", name=op.f("ck_invitation_role_known")),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_invited_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    with op.batch_alter_table("invitation") as batch:
        batch.create_index(batch.f("ix_invitation_email"), ["email"], unique=False)


def downgrade():
    with op.batch_alter_table("invitation") as batch:
        batch.drop_index(batch.f("ix_invitation_email"))
    op.drop_table("invitation")
