"""runs: the model calls the run's leads made (each lead's once), for calls per lead

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("model_calls", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: rebuilding `runs` drops the old table, and with foreign keys on,
        # SQLite deletes every run's counted leads with it (ON DELETE CASCADE).
        # SQLite 3.35+ drops a plain column in place; an older one refuses, and nothing is lost.
        op.execute("ALTER TABLE runs DROP COLUMN model_calls")
    else:
        op.drop_column("runs", "model_calls")
