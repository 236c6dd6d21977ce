"""What happens to a message after it is sent: delivery, opens, clicks, replies, bounces.

Every event is appended to the event log once (a provider's event id makes a replayed webhook a
no-op), moves the message's status forward (an open after a click does not undo the click),
counts once per message in the variant's counters and the campaign's rollup, and suppresses the
address on a bounce, complaint or unsubscribe. A reply or an opt-out stops the lead's other
unsent messages and its sequences.

Everything a batch of events may write is locked first, in the order storage/lock_order.py
documents (the lead's steps before the lead, its enrolments, messages and tasks), so a
reply arriving while the sequence scheduler writes or sends the lead's next step waits for it
instead of deadlocking with it on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.lock_order import in_lists, lock_lead_rows
from storage.models import Base, EventRow, LeadRow, MessageRow, VariantStatRow
from storage.outcomes import ENDED_CONVERSATION, count_send, counters_row, tone_rollup
from storage.sequences import stop_lead_sequences
from storage.suppressions import suppress

Engagement = Literal[
    "sent", "delivered", "opened", "clicked", "replied", "bounced", "failed", "unsubscribed",
    "complained", "auto_reply",
]  # fmt: skip
"""What can happen to a message; an `auto_reply` (out of office) is only logged."""

# A status only moves up this ladder; the outcomes at the top end the conversation.
RANK = {
    "sent": 1, "delivered": 2, "opened": 3, "clicked": 4, "replied": 5, "failed": 6,
    "bounced": 6, "unsubscribed": 7, "complained": 8,
}  # fmt: skip
COUNTED = ("delivered", "opened", "clicked", "replied", "bounced", "unsubscribed", "complained")
SUPPRESSES = {"bounced": "bounced", "unsubscribed": "unsubscribed", "complained": "complained"}
STOPS_LEAD = ENDED_CONVERSATION
FURTHER_THAN_A_REPLY = ("interested", "meeting_booked", "won", "lost")
"""Lead statuses a reply has already gone past."""
KEEPS_ERROR = ("bounced", "failed")
"""Kinds whose payload `reason` (the provider's explanation) becomes the delivery error."""
DELIVERY_ERROR_MAX = 2000
UNSENT = ("queued", "approved", "scheduled")
"""Statuses of messages that have not gone out yet (and can still be stopped)."""


def tone_of(message: MessageRow) -> str:
    """Return the variant a message went out as ('' before one is chosen)."""
    return message.selected_variant or ""


async def seen_events(session: AsyncSession, external_ids: Iterable[str]) -> set[str]:
    """Return which of these provider event ids were already recorded."""
    seen: set[str] = set()
    for chunk in in_lists(list(dict.fromkeys(external_ids))):
        query = select(EventRow.external_id).where(EventRow.external_id.in_(chunk))
        seen.update(i for i in await session.scalars(query) if i is not None)
    return seen


@dataclass(frozen=True)
class Occurrence:
    """One event about one message, as a provider or the API reported it."""

    message: MessageRow
    kind: Engagement
    external_id: str | None = None
    """The provider's event id: an event seen before is not applied again."""
    payload: dict[str, Any] = field(default_factory=dict)
    occurred_at: dt.datetime | None = None


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
    occurrence = Occurrence(message, kind, external_id, payload or {}, occurred_at)
    return (await record_engagements(session, [occurrence]))[0]


async def record_engagements(
    session: AsyncSession, occurrences: Sequence[Occurrence]
) -> list[bool]:
    """Apply events in order; for each, return False if its event id was recorded before.

    What the events touch (seen ids, variant counters, leads) is locked and loaded in a few
    queries up front, so a webhook batch of thousands of events costs a handful of round trips.
    A caller that must read or change one of these rows first calls lock_for_events before
    (taking no lock of its own out of that order).
    """
    await lock_for_events(session, [(o.message, o.kind) for o in occurrences])
    message_ids = {o.message.id for o in occurrences}
    lead_ids = {o.message.lead_id for o in occurrences}
    with session.no_autoflush:
        seen = await seen_events(session, (o.external_id for o in occurrences if o.external_id))
        # Held so that session.get finds them in the identity map instead of asking the database.
        loaded = [
            *await _rows_where(session, VariantStatRow, VariantStatRow.message_id, message_ids),
            *await _rows_where(session, LeadRow, LeadRow.id, lead_ids),
        ]
        applied = [await _apply(session, occurrence, seen) for occurrence in occurrences]
    await session.flush()
    del loaded
    return applied


async def lock_for_events(session: AsyncSession, events: Iterable[tuple[MessageRow, str]]) -> None:
    """Lock what applying these events may write, in storage/lock_order.py's order: the
    messages, and for an event that ends the conversation (a reply, a bounce, an opt-out) the
    lead's steps, the lead, its enrolments, all its messages and its open tasks. The rows
    are refreshed as they are locked, so checks made after this see the current values."""
    events = list(events)
    await lock_lead_rows(
        session,
        campaign_ids={message.campaign_id for message, _ in events},
        lead_ids={message.lead_id for message, kind in events if kind in STOPS_LEAD},
        message_ids={message.id for message, _ in events},
    )


async def _rows_where(
    session: AsyncSession, model: type[Base], column: Any, values: set[int]
) -> list[Base]:
    rows: list[Base] = []
    for chunk in in_lists(sorted(values)):
        rows.extend(await session.scalars(select(model).where(column.in_(chunk))))
    return rows


async def _apply(session: AsyncSession, occurrence: Occurrence, seen: set[str]) -> bool:
    message, kind, external_id = occurrence.message, occurrence.kind, occurrence.external_id
    if external_id is not None:
        if external_id in seen:
            return False
        seen.add(external_id)
    event = EventRow(
        type=kind,
        campaign_id=message.campaign_id,
        message_id=message.id,
        external_id=external_id,
        payload=occurrence.payload,
    )
    if occurrence.occurred_at is not None:
        event.occurred_at = occurrence.occurred_at
    session.add(event)
    reason = occurrence.payload.get("reason")
    if kind in KEEPS_ERROR and reason:
        message.delivery_error = str(reason)[:DELIVERY_ERROR_MAX]
    if kind == "sent" and message.sent_at is None and tone_of(message):
        message.sent_at = occurrence.occurred_at or dt.datetime.now(dt.UTC)
        await count_send(session, message, tone_of(message))
    if RANK.get(kind, 0) > RANK.get(message.status, 0):
        message.status = kind
        message.version += 1
    tone = tone_of(message)
    if kind in COUNTED and tone:
        stat = await counters_row(session, VariantStatRow, message_id=message.id, tone=tone)
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
        # A later reply never undoes what it led to (interested, a meeting, won or lost); an
        # opt-out or a bounce always shows.
        if kind != "replied" or lead.status not in FURTHER_THAN_A_REPLY:
            lead.status = kind
        await session.flush()  # the bulk update below must not be overwritten by stale objects
        why = f"the lead {kind} (message {message.id})"
        await stop_unsent(session, lead_id=lead.id, reason=why)
        await stop_lead_sequences(
            session,
            lead_id=lead.id,
            reason=why,
            now=occurrence.occurred_at or dt.datetime.now(dt.UTC),
            all_tasks=kind != "replied",  # an opt-out or bounce: no answer to write either
        )
    return True


async def stop_unsent(
    session: AsyncSession, *, lead_id: int, reason: str, campaign_id: int | None = None
) -> int:
    """Stop every message to a lead (in one campaign, if given) that has not gone out yet;
    return how many."""
    where = [MessageRow.lead_id == lead_id, MessageRow.status.in_(UNSENT)]
    if campaign_id is not None:
        where.append(MessageRow.campaign_id == campaign_id)
    result = await session.execute(
        update(MessageRow)
        .where(*where)
        .values(status="stopped", reason=reason, version=MessageRow.version + 1)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
