"""queue counts by status and highest level

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-22 10:00:00

The queue shows how many submissions there are by status and level on every request; counting
the submission table each time grows with the table. These fifteen rows are kept in step by the
app in the same transaction as each change (screening/queue_counts.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUSES = ("new", "in_review", "reviewed")
RANKS = range(5)


def upgrade():
    queue_count = op.create_table(
        "queue_count",
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("highest_level_rank", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", "highest_level_rank", name=op.f("pk_queue_count")),
    )
    counted = {
        (status, rank): count
        for status, rank, count in op.get_bind().execute(
            sa.text(
                "SELECT status, highest_level_rank, count(*) FROM submission"
                " GROUP BY status, highest_level_rank"
            )
        )
    }
    op.bulk_insert(
        queue_count,
        [
            {"status": s, "highest_level_rank": r, "count": counted.get((s, r), 0)}
            for s in STATUSES
            for r in RANKS
        ],
    )


def downgrade():
    op.drop_table("queue_count")
