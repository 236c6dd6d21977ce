"""sequence_enrollments: the mailbox a lead's sequence sends from (a weekly plan's choice)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sequence_enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mailbox", sa.String(320), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: rebuilding the table drops it, and with foreign keys on SQLite would
        # delete every enrolment's steps with it (ON DELETE CASCADE). SQLite 3.35+ drops a plain
        # column in place.
        op.execute("ALTER TABLE sequence_enrollments DROP COLUMN mailbox")
    else:
        op.drop_column("sequence_enrollments", "mailbox")
