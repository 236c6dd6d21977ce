"""A campaign's sends and positive replies per segment, hook kind and tone, since its reset.

A sent message counts once, under its lead's segment (the `segment` field, else the industry),
the kind of fact its chosen draft's first hook cites ("none" without a hook) and the tone sent;
it counts as positive when any reply to it was classified interested or a meeting request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.learning import ResetMarker, segment_of
from storage.models import EventRow, FactRow, LeadRow, MessageRow
from storage.reply_outcomes import POSITIVE_INTENTS

NO_HOOK = "none"


@dataclass(frozen=True, slots=True)
class AngleCount:
    """Sends and positive replies for one segment, hook kind and tone."""

    segment: str
    hook_kind: str
    tone: str
    sent: int
    positive: int


def first_hook_fact(message: MessageRow) -> str | None:
    """Return the fact id the sent draft's first hook cites, if any."""
    chosen: dict[str, Any] = next(
        (v for v in message.variants or [] if v.get("tone") == message.selected_variant), {}
    )
    for hook in chosen.get("hooks") or []:
        for fact_id in hook.get("fact_ids") or []:
            return str(fact_id)
    return None


async def angle_outcomes(
    session: AsyncSession, *, campaign_id: int, since: ResetMarker | None = None
) -> list[AngleCount]:
    """Count the campaign's sent messages and positive replies per segment, hook and tone."""
    query = (
        select(MessageRow, LeadRow)
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .where(MessageRow.campaign_id == campaign_id, MessageRow.sent_at.is_not(None))
    )
    if since is not None:
        query = query.where(MessageRow.sent_at > since.at)
    sent = [(m, lead) for m, lead in await session.execute(query)]
    if not sent:
        return []
    facts = {(m.lead_id, f) for m, _ in sent if (f := first_hook_fact(m)) is not None}
    kinds: dict[tuple[int, str], str] = {}
    if facts:
        rows = await session.execute(
            select(FactRow.lead_id, FactRow.fact_id, FactRow.kind).where(
                FactRow.lead_id.in_({lead for lead, _ in facts}),
                FactRow.fact_id.in_({fact for _, fact in facts}),
            )
        )
        kinds = {(lead, fact): kind for lead, fact, kind in rows}
    intent = EventRow.payload["intent"].as_string()
    replies = select(EventRow.message_id).where(
        EventRow.campaign_id == campaign_id,
        EventRow.type == "replied",
        intent.in_(POSITIVE_INTENTS),
    )
    if since is not None:
        replies = replies.where(EventRow.id > since.after_event)
    positive = {int(m) for m in await session.scalars(replies) if m is not None}
    counts: dict[tuple[str, str, str], list[int]] = {}
    for message, lead in sent:
        fact = first_hook_fact(message)
        kind = kinds.get((message.lead_id, fact), NO_HOOK) if fact else NO_HOOK
        key = (segment_of(lead), kind, str(message.selected_variant or "unknown"))
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += message.id in positive
    return [
        AngleCount(segment, kind, tone, sent_n, positive_n)
        for (segment, kind, tone), (sent_n, positive_n) in sorted(counts.items())
    ]
