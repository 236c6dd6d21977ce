"""What replies said, counted: intents and reasons per campaign and tone.

A reply event carries the reply classifier's verdict flat in its payload (`intent`,
`intent_reason`); replies recorded before the classifier carry none and are counted apart
(`unread`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import EventRow, LeadRow, MessageRow

POSITIVE_INTENTS = ("interested", "meeting_request")
"""Reply intents that count as a positive reply."""
REASONED_INTENTS = ("not_interested", "objection")
"""Intents whose reasons roll up into the campaign report."""


def _rank(intent: str | None) -> int:
    """Which of a message's replies counts: a meeting request, interest, any read reply."""
    return {"meeting_request": 3, "interested": 2}.get(intent or "", 1 if intent else 0)


@dataclass
class ToneReplies:
    """The replies to one tone's messages, by what they said."""

    replied: int = 0
    unread: int = 0
    """Replies recorded before the classifier read replies (no intent)."""
    intents: Counter[str] = field(default_factory=Counter)

    @property
    def positive(self) -> int:
        """Positive replies: interested or asking for a meeting."""
        return sum(self.intents[intent] for intent in POSITIVE_INTENTS)


@dataclass
class ReplyOutcomes:
    """A campaign's replies: per tone, overall, and the reasons people gave."""

    tones: dict[str, ToneReplies] = field(default_factory=dict)
    reasons: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def total(self) -> ToneReplies:
        """All tones together."""
        whole = ToneReplies()
        for tone in self.tones.values():
            whole.replied += tone.replied
            whole.unread += tone.unread
            whole.intents.update(tone.intents)
        return whole


async def reply_outcomes(session: AsyncSession, *, campaign_id: int) -> ReplyOutcomes:
    """Read a campaign's reply events once. A message counts once, by its most telling reply
    (a meeting request, else interest, else its first read reply), as the sequence metrics
    count it; each counted reply's reason counts under its intent."""
    intent = EventRow.payload["intent"].as_string()
    reason = EventRow.payload["intent_reason"].as_string()
    rows = await session.execute(
        select(MessageRow.id, MessageRow.selected_variant, intent, reason)
        .join(MessageRow, MessageRow.id == EventRow.message_id)
        .where(EventRow.campaign_id == campaign_id, EventRow.type == "replied")
        .order_by(EventRow.id)
    )
    outcomes = ReplyOutcomes(reasons={name: Counter() for name in REASONED_INTENTS})
    chosen: dict[int, tuple[str, str | None, str | None]] = {}
    for message_id, tone, said, why in rows:
        kept = chosen.get(message_id)
        if kept is None or _rank(said) > _rank(kept[1]):
            chosen[message_id] = (str(tone or "unknown"), said, why)
    for tone, said, why in chosen.values():
        counts = outcomes.tones.setdefault(tone, ToneReplies())
        counts.replied += 1
        if said is None:
            counts.unread += 1
            continue
        counts.intents[str(said)] += 1
        if said in REASONED_INTENTS:
            outcomes.reasons[str(said)][str(why or "unstated")] += 1
    return outcomes


@dataclass
class SegmentCounts:
    """One segment's sends and what came back."""

    sent: int = 0
    replied: int = 0
    positive: int = 0
    meeting_requests: int = 0


def lead_segment() -> Any:
    """The SQL expression of a lead's segment here: its `segment` custom field, else its
    industry, else "unknown"."""
    return func.coalesce(LeadRow.extra["segment"].as_string(), LeadRow.industry, "unknown")


async def segment_outcomes(
    session: AsyncSession, *, campaign_id: int, sent: Mapping[str, int]
) -> dict[str, SegmentCounts]:
    """Count a campaign's first replies per segment (lead_segment), beside its sent messages
    per segment as counted already (lead_stages.stages_and_sends)."""
    segment = lead_segment()
    counts: dict[str, SegmentCounts] = {name: SegmentCounts(sent=n) for name, n in sent.items()}
    intent = EventRow.payload["intent"].as_string()
    replies = await session.execute(
        select(MessageRow.id, segment, intent)
        .join(MessageRow, MessageRow.id == EventRow.message_id)
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .where(EventRow.campaign_id == campaign_id, EventRow.type == "replied")
        .order_by(EventRow.id)
    )
    chosen: dict[int, tuple[str, str | None]] = {}
    for message_id, name, said in replies:
        kept = chosen.get(message_id)
        if kept is None or _rank(said) > _rank(kept[1]):
            chosen[message_id] = (str(name), said)
    for name, said in chosen.values():
        row = counts.setdefault(name, SegmentCounts())
        row.replied += 1
        row.positive += said in POSITIVE_INTENTS
        row.meeting_requests += said == "meeting_request"
    return counts
