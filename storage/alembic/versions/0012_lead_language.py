"""leads: the language to write to the lead in (en, es, fr, de; empty: inferred at each run)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: rebuilding `leads` drops the old table, and with foreign keys on,
        # SQLite deletes every lead's facts, analyses and messages with it (ON DELETE CASCADE).
        # SQLite 3.35+ drops a plain column in place; an older one refuses, and nothing is lost.
        op.execute("ALTER TABLE leads DROP COLUMN language")
    else:
        op.drop_column("leads", "language")
