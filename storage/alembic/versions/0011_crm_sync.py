"""crm_sync: which of our records became which HubSpot object (the CRM sync ledger)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crm_sync",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("local_key", sa.String(300), nullable=False),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("leads.id", ondelete="CASCADE")),
        sa.Column("hubspot_id", sa.String(40), nullable=False),
        sa.Column(
            "synced_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint("kind", "local_key"),
    )
    op.create_index("ix_crm_sync_lead_id", "crm_sync", ["lead_id"])


def downgrade() -> None:
    op.drop_index("ix_crm_sync_lead_id", table_name="crm_sync")
    op.drop_table("crm_sync")
