"""Each lead a campaign wrote to, by its first sent message, and what came back from it,
counted in SQL: leads alike in everything segment_metrics groups them by come back as one row
with their number, and only leads whose group needs Python (a segment to place with the
campaign's rules, a hook citing a news item with no trigger recorded, drafts shaped unlike the
pipeline's) come back one by one. The fact a hook cites is found in SQL where the chosen draft
is among the first HOOKED_VARIANTS and its first hook's first id is a string, as `_hook_fact`
reads it; leads group by that fact's kind and recorded trigger.

The unit is the lead, not the message: a lead counts once, in the week its first message in
the campaign went, and counts as replied (positively) when any of its messages in the campaign
got such a reply, as a sequence's whole-sequence arms count it. A reply's intent is the reply
classifier's (`payload.intent`); replies recorded before the classifier carry none (`unread`).
A meeting is a lead a person marked meeting_booked (or, past it, won).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, and_, case, cast, exists, func, literal, null, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import EventRow, FactRow, LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow

POSITIVE_INTENTS = ("interested", "meeting_request")
"""Reply intents that count as a positive reply."""
MEETING_STAGES = ("meeting_booked", "won")
"""Lead statuses that mean a meeting was booked (won comes after one)."""
RECORDED = ("prompts", "generate", "segment")
"""Where a message records the segment it was written for, in `generation`."""
CITES_FACT = '"fact_ids"'
"""Text a message's drafts hold when a hook may cite a fact: without it, no hook does."""
HOOKED_VARIANTS = 4
"""Drafts per message looked through in SQL for the chosen one (the pipeline writes one per
tone, three): a message whose chosen draft comes later is read in Python, lead by lead."""
ENROLLED, MEETING, REPLIED, READ, POSITIVE = 16, 8, 4, 2, 1
"""A lead's yes-or-no facts, as bits of one number to group by."""


@dataclass
class FirstTouch:
    """Leads' first messages in a campaign and what the leads did afterwards: one lead
    (lead_id set), or `leads` leads alike in all of the fields below (lead_id None)."""

    lead_id: int | None
    sent_at: dt.datetime
    """When the (earliest of these) leads' first message in the campaign went (UTC)."""
    tone: str
    """The variant the first message went out in ('' before one was chosen)."""
    hook_fact_id: str | None
    """The fact the first message's first hook cites, if its drafts recorded hooks (read for
    one lead only; leads counted together have hook_kind instead)."""
    enrolled: bool
    """The lead is enrolled in the campaign's sequence."""
    segment: str | None = None
    """The segment the first message was written for, as it recorded (None before runs
    recorded it, or in a campaign without segments)."""
    emphasis: str | None = None
    """That segment's emphasis as the message recorded it."""
    field_segment: Any = None
    """The lead's `segment` column (lead file) as stored, when asked for."""
    replied: bool = False
    positive: bool = False
    """Any reply read as interested or asking for a meeting."""
    read: bool = False
    """At least one reply carries the reply classifier's intent."""
    meeting: bool = False
    leads: int = 1
    hook_kind: str | None = None
    """Leads counted together whose hook cites a fact: that fact's kind ('' when the fact is
    no longer stored); None when no hook cites one, or for one lead (see hook_fact_id)."""
    hook_trigger: Any = None
    """That fact's recorded `trigger` attribute, as stored, for a news item."""


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


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _recorded_segment(name: Any, emphasis: Any) -> tuple[str | None, str | None]:
    """The segment and emphasis a message recorded when it was written
    (generation.prompts.generate.segment: its `segment`, its `angle.emphasis`), read
    defensively: it is stored JSON."""
    if not isinstance(name, str):
        return None, None
    return name, emphasis if isinstance(emphasis, str) and emphasis else None


def _as_text(json_value: Any) -> Any:
    """A JSON value as its JSON text, the same on SQLite and PostgreSQL ('"x"' for a string;
    NULL or 'null' when missing), to compare, group by and decode."""
    return cast(json_value, Text)


def _week(moment: Any, mondays: Sequence[dt.datetime]) -> Any:
    """Which of the window's weeks (0, 1, ...) a time in the window falls in."""
    if len(mondays) == 1:
        return literal(0)
    whens = [(moment < monday, n) for n, monday in enumerate(mondays[1:])]
    return case(*whens, else_=len(mondays) - 1)


def _replies(campaign_id: int) -> Any:
    """Per lead: replied to any of the campaign's messages, any reply read, any positive."""
    intent = EventRow.payload["intent"].as_string()
    return (
        select(
            MessageRow.lead_id.label("lead_id"),
            func.max(case((intent.is_not(None), 1), else_=0)).label("read"),
            func.max(case((intent.in_(POSITIVE_INTENTS), 1), else_=0)).label("positive"),
        )
        .join(MessageRow, MessageRow.id == EventRow.message_id)
        .where(EventRow.campaign_id == campaign_id, EventRow.type == "replied")
        .group_by(MessageRow.lead_id)
        .subquery()
    )


def _hook_fact_sql(first: Any) -> tuple[Any, Any]:
    """The id of the fact the chosen draft's first hook cites, where SQL can tell it as
    `_hook_fact` would (the first draft in the message's tone, among the first HOOKED_VARIANTS,
    has a first hook whose first id is a string), and whether it could."""
    ids, texts = [], []
    for n in range(HOOKED_VARIANTS):
        tone = first.variants[(n, "tone")]
        chosen = and_(_as_text(tone).startswith('"'), tone.as_string() == first.selected_variant)
        cited = first.variants[(n, "hooks", 0, "fact_ids", 0)]
        ids.append((chosen, cited.as_string()))
        texts.append((chosen, _as_text(cited)))
    return case(*ids), func.coalesce(case(*texts), "").startswith('"')


def _per_lead(
    campaign_id: int, mondays: Sequence[dt.datetime], until: dt.datetime, rules: bool
) -> Any:
    """One row per lead first written to in the window: its first message (the earliest sent,
    the lowest id of those sent at once) and what segment_metrics groups it by."""
    earlier = aliased(MessageRow)
    first = MessageRow
    replies = _replies(campaign_id)
    recorded = _as_text(first.generation[(*RECORDED, "segment")])
    # A hook can cite a fact only where the drafts' JSON names `fact_ids`.
    cites = _as_text(first.variants).contains(CITES_FACT, autoescape=True)
    fact_id, found = _hook_fact_sql(first)
    trigger = _as_text(FactRow.attributes["trigger"])
    # What the hook's type needs is its fact's kind, and a news item's recorded trigger.
    grouped = and_(
        found,
        or_(
            FactRow.kind.is_(None),
            FactRow.kind != "news",
            func.coalesce(trigger, "").startswith('"'),
        ),
    )
    hooked = and_(cites, ~grouped)
    alone = or_(hooked, ~func.coalesce(recorded, "").startswith('"')) if rules else hooked
    enrolled = exists().where(
        SequenceEnrollmentRow.campaign_id == campaign_id,
        SequenceEnrollmentRow.lead_id == first.lead_id,
    )
    return (
        select(
            _week(first.sent_at, mondays).label("week"),
            first.sent_at.label("sent_at"),
            first.selected_variant.label("tone"),
            recorded.label("segment"),
            _as_text(first.generation[(*RECORDED, "angle", "emphasis")]).label("emphasis"),
            (null() if rules else _as_text(LeadRow.extra["segment"])).label("field"),
            # One small key instead of five to group by: ENROLLED | MEETING | ... bits.
            (
                case((enrolled, ENROLLED), else_=0)
                + case((LeadRow.status.in_(MEETING_STAGES), MEETING), else_=0)
                + case((replies.c.lead_id.is_not(None), REPLIED), else_=0)
                + func.coalesce(replies.c.read, 0) * READ
                + func.coalesce(replies.c.positive, 0) * POSITIVE
            ).label("flags"),
            case((alone, first.lead_id)).label("alone"),
            case((and_(cites, grouped), func.coalesce(FactRow.kind, ""))).label("hook_kind"),
            case((and_(cites, grouped, FactRow.kind == "news"), trigger)).label("trigger"),
            case((and_(cites, alone), _as_text(first.variants))).label("variants"),
            first.id.label("message_id"),
        )
        .join(LeadRow, LeadRow.id == first.lead_id)
        .outerjoin(FactRow, and_(FactRow.lead_id == first.lead_id, FactRow.fact_id == fact_id))
        .outerjoin(replies, replies.c.lead_id == first.lead_id)
        .where(
            first.campaign_id == campaign_id,
            first.sent_at >= mondays[0],
            first.sent_at < until,
            ~exists().where(
                earlier.campaign_id == campaign_id,
                earlier.lead_id == first.lead_id,
                # One range of the index per lead: sent no later, and earlier or a lower id.
                earlier.sent_at <= first.sent_at,
                or_(earlier.sent_at < first.sent_at, earlier.id < first.id),
            ),
        )
        .subquery()
    )


async def first_touches(
    session: AsyncSession,
    *,
    campaign_id: int,
    mondays: Sequence[dt.datetime],
    until: dt.datetime,
    rules: bool,
) -> list[FirstTouch]:
    """Return the leads whose first message in the campaign went in [mondays[0], until), by
    the window's weeks (their Mondays, UTC), each with its replies, positive replies and
    meeting, counted together where alike, earliest first.

    rules: the campaign places leads with segment rules; each lead whose message recorded no
    segment then comes back alone (to be placed), and the leads' `segment` column is not read
    (it is otherwise, as field_segment)."""
    lead = _per_lead(campaign_id, mondays, until, rules)
    keys = [
        lead.c.week, lead.c.flags, lead.c.tone, lead.c.segment, lead.c.emphasis, lead.c.field,
        lead.c.alone, lead.c.hook_kind, lead.c.trigger,
    ]  # fmt: skip
    rows = await session.execute(
        select(
            *keys,
            func.count().label("leads"),
            func.min(lead.c.sent_at).label("sent_at"),
            func.max(lead.c.variants).label("variants"),
        )
        .group_by(*keys)
        .order_by(func.min(lead.c.sent_at), func.min(lead.c.message_id))
    )
    touches: list[FirstTouch] = []
    for row in rows:
        segment, emphasis = _recorded_segment(_json(row.segment), _json(row.emphasis))
        touches.append(
            FirstTouch(
                lead_id=row.alone,
                sent_at=_utc(row.sent_at),
                tone=row.tone or "",
                hook_fact_id=_hook_fact(_json(row.variants), row.tone),
                enrolled=bool(row.flags & ENROLLED),
                segment=segment,
                emphasis=emphasis,
                field_segment=_json(row.field),
                replied=bool(row.flags & REPLIED),
                positive=bool(row.flags & POSITIVE),
                read=bool(row.flags & READ),
                meeting=bool(row.flags & MEETING),
                leads=int(row.leads),
                hook_kind=None if row.alone is not None else row.hook_kind,
                hook_trigger=_json(row.trigger),
            )
        )
    return touches
