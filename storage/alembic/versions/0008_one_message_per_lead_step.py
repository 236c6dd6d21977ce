"""one current message per lead, campaign and sequence step

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 13:00:00

Re-runs could store several messages for one lead in one campaign, each of which could be
sent. Before the unique index goes on, each lead's duplicates are settled: the message that
reached the person (the first one sent) stays current; failing that, one on its way out
(approved, scheduled, being reviewed), then the newest waiting for review, then the newest.
The others stay as history with superseded_by naming the current one; those never sent become
`superseded` (their old status and reason kept in the reason), so nothing sends them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CURRENT = "superseded_by IS NULL"
INDEX = "uq_messages_current_lead_step"
REACHED = (
    "sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed", "complained",
)  # fmt: skip
ON_ITS_WAY = ("approved", "scheduled", "reviewing")

messages = sa.table(
    "messages",
    sa.column("id", sa.Integer()),
    sa.column("campaign_id", sa.Integer()),
    sa.column("lead_id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("sent_at", sa.DateTime(timezone=True)),
    sa.column("scheduled_for", sa.DateTime(timezone=True)),
    sa.column("superseded_by", sa.Integer()),
)


def _reached(row: Any) -> bool:
    return row.sent_at is not None or row.status in REACHED


def _keeper(rows: list[Any]) -> Any:
    reached = [r for r in rows if _reached(r)]
    if reached:  # the first message that went out is the conversation the person saw
        return min(reached, key=lambda r: (r.sent_at is None, r.sent_at or 0, r.id))
    for statuses in (ON_ITS_WAY, ("queued",)):
        waiting = [r for r in rows if r.status in statuses]
        if waiting:
            return max(waiting, key=lambda r: r.id)
    return max(rows, key=lambda r: r.id)


def _settle_duplicates() -> None:
    bind = op.get_bind()
    duplicated = (
        sa.select(messages.c.campaign_id, messages.c.lead_id)
        .group_by(messages.c.campaign_id, messages.c.lead_id)
        .having(sa.func.count() > 1)
    )
    groups: dict[tuple[int, int], list[Any]] = defaultdict(list)
    rows = bind.execute(
        sa.select(messages).where(
            sa.tuple_(messages.c.campaign_id, messages.c.lead_id).in_(duplicated)
        )
    )
    for row in rows:
        groups[(row.campaign_id, row.lead_id)].append(row)
    for group in groups.values():
        keeper = _keeper(group)
        for row in group:
            if row.id == keeper.id:
                continue
            values: dict[str, Any] = {"superseded_by": keeper.id}
            if not _reached(row):
                was = f"was {row.status}" + (f": {row.reason}" if row.reason else "")
                values.update(
                    status="superseded",
                    reason=f"superseded by message {keeper.id}: a lead has one message per "
                    f"campaign ({was})",
                    scheduled_for=None,
                )
            bind.execute(sa.update(messages).where(messages.c.id == row.id).values(**values))


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sequence_step", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
    _settle_duplicates()
    op.create_index(
        INDEX,
        "messages",
        ["campaign_id", "lead_id", "sequence_step"],
        unique=True,
        sqlite_where=sa.text(CURRENT),
        postgresql_where=sa.text(CURRENT),
    )


def downgrade() -> None:
    # Superseded duplicates keep their 'superseded' status: they must not become sendable.
    op.drop_index(INDEX, table_name="messages")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("superseded_by")
        batch_op.drop_column("sequence_step")
