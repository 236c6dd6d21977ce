"""sequence_enrollments: the preset a lead's sequence follows (its segment's own, from a plan)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 11:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sequence_enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence_preset", sa.String(40), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: rebuilding the table drops it, and with foreign keys on SQLite would
        # delete every enrolment's steps with it (ON DELETE CASCADE). SQLite 3.35+ drops a plain
        # column in place.
        op.execute("ALTER TABLE sequence_enrollments DROP COLUMN sequence_preset")
    else:
        op.drop_column("sequence_enrollments", "sequence_preset")
