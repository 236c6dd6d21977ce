"""Each lead a campaign wrote to, by its first sent message, and what came back from it.

The unit is the lead, not the message: a lead counts once, in the week its first message in
the campaign went, and counts as replied (positively) when any of its messages in the campaign
got such a reply, as a sequence's whole-sequence arms count it. A reply's intent is the reply
classifier's (`payload.intent`); replies recorded before the classifier carry none (`unread`).
A meeting is a lead a person marked meeting_booked (or, past it, won).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import EventRow, LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow

POSITIVE_INTENTS = ("interested", "meeting_request")
"""Reply intents that count as a positive reply."""
MEETING_STAGES = ("meeting_booked", "won")
"""Lead statuses that mean a meeting was booked (won comes after one)."""


@dataclass
class FirstTouch:
    """One lead's first message in a campaign and what the lead did afterwards."""

    lead_id: int
    message_id: int
    sent_at: dt.datetime
    """When the lead's first message in the campaign went (UTC)."""
    tone: str
    """The variant the first message went out in ('' before one was chosen)."""
    hook_fact_id: str | None
    """The fact the first message's first hook cites, if its drafts recorded hooks."""
    enrolled: bool
    """The lead is enrolled in the campaign's sequence."""
    segment: str | None = None
    """The segment the first message was written for, as it recorded (None before runs
    recorded it, or in a campaign without segments)."""
    emphasis: str | None = None
    """That segment's emphasis as the message recorded it."""
    replied: bool = False
    positive: bool = False
    """Any reply read as interested or asking for a meeting."""
    read: bool = False
    """At least one reply carries the reply classifier's intent."""
    meeting: bool = False


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _hook_fact(variants: Any, tone: str | None) -> str | None:
    """Return the first fact id of the first hook of the chosen variant's recorded hooks."""
    if not isinstance(variants, list):
        return None
    for variant in variants:
        if not isinstance(variant, dict) or variant.get("tone") != tone:
            continue
        for hook in variant.get("hooks") or []:
            ids = hook.get("fact_ids") if isinstance(hook, dict) else None
            if isinstance(ids, list) and ids and isinstance(ids[0], str):
                return ids[0]
    return None


def _recorded_segment(generation: object) -> tuple[str | None, str | None]:
    """The segment and emphasis a message recorded when it was written
    (generation.prompts.generate.segment), read defensively: it is stored JSON."""
    node: object = generation
    for key in ("prompts", "generate", "segment"):
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict) or not isinstance(name := node.get("segment"), str):
        return None, None
    angle = node.get("angle")
    emphasis = angle.get("emphasis") if isinstance(angle, dict) else None
    return name, emphasis if isinstance(emphasis, str) and emphasis else None


async def first_touches(
    session: AsyncSession, *, campaign_id: int, since: dt.datetime, until: dt.datetime
) -> list[FirstTouch]:
    """Return the leads whose first message in the campaign went in [since, until), each with
    its replies, positive replies and meeting, ordered by first send."""
    first = (
        select(MessageRow.lead_id, func.min(MessageRow.sent_at).label("first_sent"))
        .where(MessageRow.campaign_id == campaign_id, MessageRow.sent_at.is_not(None))
        .group_by(MessageRow.lead_id)
        .having(func.min(MessageRow.sent_at) >= since, func.min(MessageRow.sent_at) < until)
        .subquery()
    )
    enrolled = select(SequenceEnrollmentRow.lead_id).where(
        SequenceEnrollmentRow.campaign_id == campaign_id
    )
    rows = await session.execute(
        select(
            MessageRow.id,
            MessageRow.lead_id,
            MessageRow.sent_at,
            MessageRow.selected_variant,
            MessageRow.variants,
            MessageRow.generation,
            LeadRow.status,
            LeadRow.id.in_(enrolled.scalar_subquery()),
        )
        .join(
            first,
            and_(first.c.lead_id == MessageRow.lead_id, first.c.first_sent == MessageRow.sent_at),
        )
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .where(MessageRow.campaign_id == campaign_id)
        .order_by(MessageRow.sent_at, MessageRow.id)
    )
    touches: dict[int, FirstTouch] = {}
    for message_id, lead_id, sent_at, tone, variants, generation, status, in_sequence in rows:
        if lead_id in touches:  # two messages sent at the same instant: the first one counts
            continue
        segment, emphasis = _recorded_segment(generation)
        touches[lead_id] = FirstTouch(
            lead_id=lead_id,
            message_id=message_id,
            sent_at=_utc(sent_at),
            tone=tone or "",
            hook_fact_id=_hook_fact(variants, tone),
            enrolled=bool(in_sequence),
            segment=segment,
            emphasis=emphasis,
            meeting=status in MEETING_STAGES,
        )
    await _add_replies(session, campaign_id, touches)
    return list(touches.values())


async def _add_replies(
    session: AsyncSession, campaign_id: int, touches: dict[int, FirstTouch]
) -> None:
    intent = EventRow.payload["intent"].as_string()
    replies = await session.execute(
        select(MessageRow.lead_id, intent)
        .join(MessageRow, MessageRow.id == EventRow.message_id)
        .where(EventRow.campaign_id == campaign_id, EventRow.type == "replied")
    )
    for lead_id, said in replies:
        touch = touches.get(lead_id)
        if touch is None:  # first written to outside the window
            continue
        touch.replied = True
        touch.read = touch.read or said is not None
        touch.positive = touch.positive or said in POSITIVE_INTENTS
