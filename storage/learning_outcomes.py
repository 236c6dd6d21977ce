"""A campaign's sends and positive replies per segment, hook kind and tone, since its reset.

A sent message counts once, under the campaign segment it recorded when written (else its
lead's `segment` field, else the industry),
the kind of fact its chosen draft's first hook cites ("none" without a hook) and the tone sent;
it counts as positive when any reply to it was classified interested or a meeting request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.learning import ResetMarker, fallback_segment, recorded_segment
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


FACT_CHUNK = 1_000
"""Leads whose facts one query reads (an IN list stays far below every driver's limit)."""


def first_hook_fact(variants: Any, selected: str | None) -> str | None:
    """Return the fact id the sent draft's first hook cites, if any."""
    chosen: dict[str, Any] = next(
        (v for v in variants or [] if isinstance(v, dict) and v.get("tone") == selected), {}
    )
    for hook in chosen.get("hooks") or []:
        for fact_id in (hook.get("fact_ids") if isinstance(hook, dict) else None) or []:
            return str(fact_id)
    return None


async def angle_outcomes(
    session: AsyncSession, *, campaign_id: int, since: ResetMarker | None = None
) -> list[AngleCount]:
    """Count the campaign's sent messages and positive replies per segment, hook and tone.

    Only the columns counted are read (not whole messages), and facts in chunks of leads."""
    query = (
        select(
            MessageRow.id,
            MessageRow.lead_id,
            MessageRow.selected_variant,
            MessageRow.variants,
            MessageRow.generation,
            LeadRow.extra,
            LeadRow.industry,
        )
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .where(MessageRow.campaign_id == campaign_id, MessageRow.sent_at.is_not(None))
    )
    if since is not None:
        query = query.where(MessageRow.sent_at > since.at)
    sent = []
    for message_id, lead_id, tone, variants, generation, extra, industry in await session.execute(
        query
    ):
        segment = recorded_segment(generation) or fallback_segment(extra, industry)
        sent.append((message_id, lead_id, str(tone or "unknown"), segment,
                     first_hook_fact(variants, tone)))  # fmt: skip
    if not sent:
        return []
    kinds = await _fact_kinds(session, {(lead, fact) for _, lead, _, _, fact in sent if fact})
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
    for message_id, lead_id, tone, segment, fact in sent:
        kind = kinds.get((lead_id, fact), NO_HOOK) if fact else NO_HOOK
        tally = counts.setdefault((segment, kind, tone), [0, 0])
        tally[0] += 1
        tally[1] += message_id in positive
    return [
        AngleCount(segment, kind, tone, sent_n, positive_n)
        for (segment, kind, tone), (sent_n, positive_n) in sorted(counts.items())
    ]


async def _fact_kinds(
    session: AsyncSession, wanted: set[tuple[int, str]]
) -> dict[tuple[int, str], str]:
    """The kind of each (lead, fact id) wanted, read a chunk of leads at a time."""
    leads = sorted({lead for lead, _ in wanted})
    kinds: dict[tuple[int, str], str] = {}
    for start in range(0, len(leads), FACT_CHUNK):
        rows = await session.execute(
            select(FactRow.lead_id, FactRow.fact_id, FactRow.kind).where(
                FactRow.lead_id.in_(leads[start : start + FACT_CHUNK])
            )
        )
        kinds.update({(lead, fact): kind for lead, fact, kind in rows if (lead, fact) in wanted})
    return kinds
