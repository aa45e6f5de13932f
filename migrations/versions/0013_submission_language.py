"""the language a submission was answered in, beside its answers

Revision ID: 0013
Revises: 0011b
Create Date: 2026-11-22 11:15:00

The queue and the CSV show it without decrypting the answers (which also record it as
`language`); every earlier submission was answered in English.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=2), server_default="en", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("language")
