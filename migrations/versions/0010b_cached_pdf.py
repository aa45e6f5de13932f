"""rendered visit-summary PDFs, encrypted, one per submission

Revision ID: 0010b
Revises: 0010
Create Date: 2026-11-22 10:15:00

A second download of an unchanged submission reuses the PDF instead of rendering it again; the
key is a digest of the printout, so any change to it renders a new one (screening/pdf_cache.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010b"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cached_pdf",
        sa.Column("submission_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("printout_key", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_cached_pdf_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_cached_pdf")),
    )


def downgrade():
    op.drop_table("cached_pdf")
