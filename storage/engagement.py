"""What happens to a message after it is sent: delivery, opens, clicks, replies, bounces.

Every event is appended to the event log once (a provider's event id makes a replayed webhook a
no-op), moves the message's status forward (an open after a click does not undo the click),
counts once per message in the variant's counters and the campaign's rollup, and suppresses the
address on a bounce, complaint or unsubscribe. A reply or an opt-out stops the lead's other
unsent messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import EventRow, LeadRow, MessageRow, VariantStatRow
from storage.outcomes import count_send, tone_rollup
from storage.suppressions import suppress

Engagement = Literal[
    "sent", "delivered", "opened", "clicked", "replied", "bounced", "failed", "unsubscribed",
    "complained",
]  # fmt: skip

# A status only moves up this ladder; the outcomes at the top end the conversation.
RANK = {
    "sent": 1, "delivered": 2, "opened": 3, "clicked": 4, "replied": 5, "failed": 6,
    "bounced": 6, "unsubscribed": 7, "complained": 8,
}  # fmt: skip
COUNTED = ("delivered", "opened", "clicked", "replied", "bounced", "unsubscribed", "complained")
SUPPRESSES = {"bounced": "bounced", "unsubscribed": "unsubscribed", "complained": "complained"}
STOPS_LEAD = ("replied", "unsubscribed", "complained", "bounced")
UNSENT = ("queued", "approved", "scheduled")
"""Statuses of messages that have not gone out yet (and can still be stopped)."""


def tone_of(message: MessageRow) -> str:
    """Return the variant a message went out as ('' before one is chosen)."""
    return message.selected_variant or ""


async def seen_event(session: AsyncSession, external_id: str) -> bool:
    """Return whether a provider's event id was already recorded."""
    found = await session.scalar(select(EventRow.id).where(EventRow.external_id == external_id))
    return found is not None


async def record_engagement(
    session: AsyncSession,
    message: MessageRow,
    kind: Engagement,
    *,
    external_id: str | None = None,
    payload: dict[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
) -> bool:
    """Apply one event to a message; return False if this event id was already recorded."""
    if external_id is not None and await seen_event(session, external_id):
        return False
    event = EventRow(
        type=kind,
        campaign_id=message.campaign_id,
        message_id=message.id,
        external_id=external_id,
        payload=payload or {},
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    session.add(event)
    if kind == "sent" and message.sent_at is None and tone_of(message):
        message.sent_at = occurred_at or dt.datetime.now(dt.UTC)
        await count_send(session, message, tone_of(message))
    if RANK.get(kind, 0) > RANK.get(message.status, 0):
        message.status = kind
        message.version += 1
    tone = tone_of(message)
    if kind in COUNTED and tone:
        stat = await session.get(VariantStatRow, (message.id, tone))
        if stat is None:
            stat = VariantStatRow(message_id=message.id, tone=tone, sent=0)
            session.add(stat)
        if not getattr(stat, kind):  # each message counts once per kind (unique opens)
            setattr(stat, kind, 1)
            rollup = await tone_rollup(session, message.campaign_id, tone)
            setattr(rollup, kind, (getattr(rollup, kind) or 0) + 1)
    lead = await session.get(LeadRow, message.lead_id)
    if lead is not None and kind in SUPPRESSES:
        for address in (lead.email, lead.phone):
            if address:
                await suppress(session, address=address, reason=SUPPRESSES[kind])
    if lead is not None and kind in STOPS_LEAD:
        lead.status = kind
        await stop_unsent(
            session, lead_id=lead.id, reason=f"the lead {kind} (message {message.id})"
        )
    await session.flush()
    return True


async def stop_unsent(session: AsyncSession, *, lead_id: int, reason: str) -> None:
    """Stop every message to a lead that has not gone out yet."""
    await session.execute(
        update(MessageRow)
        .where(MessageRow.lead_id == lead_id, MessageRow.status.in_(UNSENT))
        .values(status="stopped", reason=reason, version=MessageRow.version + 1)
        .execution_options(synchronize_session=False)
    )
