"""message source row

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 23:00:30.893266
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_row", sa.String(length=300), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("source_row")
