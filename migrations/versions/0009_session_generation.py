"""staff session generation

Revision ID: 0009
Revises: 0010b
Create Date: 2026-11-22 09:45:00

A staff session is valid only while its generation is the account's: signing out, disabling
the account or signing it out everywhere adds one and so ends every copy of the cookie.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0010b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_generation")
