"""run_counted_leads: each lead a run counted, once (workers may be handed a lead twice)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_counted_leads",
        sa.Column("run_id", sa.String(40), nullable=False),
        sa.Column("thread_id", sa.String(400), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "thread_id"),
    )


def downgrade() -> None:
    op.drop_table("run_counted_leads")
