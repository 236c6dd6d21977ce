"""delivery scheduling, tracking and run approvals

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COUNTER_TABLES = ("variant_stats", "campaign_tone_stats")


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("mailbox", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("recipient_domain", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("email_message_id", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("delivery_error", sa.Text(), nullable=True))
        batch_op.create_index("ix_messages_mailbox_sent_at", ["mailbox", "sent_at"])
        batch_op.create_index("ix_messages_domain_sent_at", ["recipient_domain", "sent_at"])
        batch_op.create_unique_constraint("uq_messages_email_message_id", ["email_message_id"])
        batch_op.create_index("ix_messages_provider_message_id", ["provider_message_id"])
    for table in COUNTER_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("unsubscribed", "complained"):
                batch_op.add_column(
                    sa.Column(column, sa.Integer(), nullable=False, server_default="0")
                )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("approved")
    for table in COUNTER_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("complained")
            batch_op.drop_column("unsubscribed")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_provider_message_id")
        batch_op.drop_constraint("uq_messages_email_message_id", type_="unique")
        batch_op.drop_index("ix_messages_domain_sent_at")
        batch_op.drop_index("ix_messages_mailbox_sent_at")
        for column in (
            "delivery_error", "email_message_id", "recipient_domain", "mailbox", "scheduled_for"
        ):  # fmt: skip
            batch_op.drop_column(column)
