"""messages (campaign_id, lead_id, sent_at) and events (campaign_id, type): a campaign's
metrics count in SQL over a lead's first send and the campaign's replies without reading all
of its messages and events

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_messages_campaign_lead_sent", "messages", ["campaign_id", "lead_id", "sent_at"]
    )
    op.create_index("ix_events_campaign_type", "events", ["campaign_id", "type"])


def downgrade() -> None:
    op.drop_index("ix_events_campaign_type", table_name="events")
    op.drop_index("ix_messages_campaign_lead_sent", table_name="messages")
