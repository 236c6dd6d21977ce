"""Sequence metrics: where a campaign's leads stand, and what each step's messages did.

Every figure is an aggregate the database computes (a handful of GROUP BY queries per campaign,
whatever its size); the median time to reply is taken with window functions, so at most two
rows per step come back. Steps are 1-based here, as the sequence names them (a message's
`sequence_step` is 0-based: step 1 is message step 0).

A reply counts for the step whose message it answered (the event's message), over that step's
sends. A reply's intent (`payload.intent`) is set by the reply classifier (replies recorded
before it existed carry none: `with_intent` counts those that do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import EventRow, MessageRow, VariantStatRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow, TaskRow

POSITIVE_INTENTS = ("interested", "meeting_request")
"""Reply intents that count as a positive reply."""
SPOKEN = ("sent", "done")
"""Step statuses whose message reached the person (sent, or done by hand on LinkedIn)."""
ENGAGEMENT = ("sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed",
              "complained")  # fmt: skip
MAX_COMPARED = 10
"""Campaigns one comparison reads at most."""


@dataclass
class Engagement:
    """What the messages of a step (or of the whole sequence) did; each message counts once."""

    sent: int = 0
    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    replied: int = 0
    bounced: int = 0
    unsubscribed: int = 0
    complained: int = 0
    with_intent: int = 0
    """Replied messages whose reply carries an intent (the reply classifier's)."""
    positive: int = 0
    """Replied messages whose reply's intent is interested or meeting_request."""
    meeting_requests: int = 0
    """Replied messages whose reply asked for a meeting."""
    median_reply_s: float | None = None
    """Median seconds from a message's send to its first reply; None without replies."""


@dataclass
class StepCounts:
    """One step of a campaign's sequence across its leads."""

    step: int
    states: dict[str, int] = field(default_factory=dict)
    """Step rows by status (scheduled, sent, task, done, skipped, stopped, ...)."""
    leads: dict[str, int] = field(default_factory=dict)
    """Enrolments whose current step this is, by status (active, paused, stopped, finished)."""
    engagement: Engagement = field(default_factory=Engagement)
    tasks: dict[str, int] = field(default_factory=dict)
    """Tasks for a person made for this step, by status (open, done, skipped)."""

    @property
    def reached(self) -> int:
        """Return how many leads this step was scheduled for."""
        return sum(self.states.values())


@dataclass
class SequenceCounts:
    """A campaign's sequence: its leads by status, each step, and the whole."""

    leads: dict[str, int]
    steps: dict[int, StepCounts]
    total: Engagement


@dataclass(frozen=True)
class ArmCount:
    """Leads in one arm of a whole-sequence comparison, and how many replied at any step."""

    name: str
    leads: int
    replied: int


@dataclass(frozen=True)
class CampaignArm:
    """One campaign's sequence in a comparison."""

    campaign_id: int
    enrolled: int
    contacted: int
    """Leads whose first step reached them."""
    replied: int
    """Enrolled leads who replied at any step."""


def _step(counts: dict[int, StepCounts], number: int) -> StepCounts:
    return counts.setdefault(number, StepCounts(step=number))


def _seconds_between(dialect: str, start: Any, end: Any) -> ColumnElement[Any]:
    """Return the SQL for the seconds from start to end on this database."""
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


async def sequence_counts(session: AsyncSession, *, campaign_id: int) -> SequenceCounts:
    """Return the campaign's sequence counts: leads, steps, tasks, engagement and reply times."""
    leads: dict[str, int] = {}
    steps: dict[int, StepCounts] = {}
    enrolled = await session.execute(
        select(SequenceEnrollmentRow.current_step, SequenceEnrollmentRow.status, func.count())
        .where(SequenceEnrollmentRow.campaign_id == campaign_id)
        .group_by(SequenceEnrollmentRow.current_step, SequenceEnrollmentRow.status)
    )
    for number, status, count in enrolled:
        leads[status] = leads.get(status, 0) + count
        _step(steps, number).leads[status] = count
    states = await session.execute(
        select(SequenceStepRow.step, SequenceStepRow.status, func.count())
        .where(SequenceStepRow.campaign_id == campaign_id)
        .group_by(SequenceStepRow.step, SequenceStepRow.status)
    )
    for number, status, count in states:
        _step(steps, number).states[status] = count
    tasks = await session.execute(
        select(SequenceStepRow.step, TaskRow.status, func.count())
        .join(SequenceStepRow, SequenceStepRow.id == TaskRow.step_id)
        .where(TaskRow.campaign_id == campaign_id)
        .group_by(SequenceStepRow.step, TaskRow.status)
    )
    for number, status, count in tasks:
        _step(steps, number).tasks[status] = count
    total = Engagement()
    await _engagement(session, campaign_id, steps, total)
    await _reply_intents(session, campaign_id, steps, total)
    await _median_reply_times(session, campaign_id, steps, total)
    return SequenceCounts(leads=leads, steps=dict(sorted(steps.items())), total=total)


async def _engagement(
    session: AsyncSession, campaign_id: int, steps: dict[int, StepCounts], total: Engagement
) -> None:
    sums = [func.coalesce(func.sum(getattr(VariantStatRow, name)), 0) for name in ENGAGEMENT]
    rows = await session.execute(
        select(MessageRow.sequence_step, *sums)
        .join(VariantStatRow, VariantStatRow.message_id == MessageRow.id)
        .where(MessageRow.campaign_id == campaign_id)
        .group_by(MessageRow.sequence_step)
    )
    for message_step, *values in rows:
        engagement = _step(steps, message_step + 1).engagement
        for name, value in zip(ENGAGEMENT, values, strict=True):
            setattr(engagement, name, int(value))
            setattr(total, name, getattr(total, name) + int(value))


async def _reply_intents(
    session: AsyncSession, campaign_id: int, steps: dict[int, StepCounts], total: Engagement
) -> None:
    intent = EventRow.payload["intent"].as_string()
    with_intent = func.count(distinct(case((intent.is_not(None), EventRow.message_id))))
    positive = func.count(distinct(case((intent.in_(POSITIVE_INTENTS), EventRow.message_id))))
    meetings = func.count(distinct(case((intent == "meeting_request", EventRow.message_id))))
    rows = await session.execute(
        select(MessageRow.sequence_step, with_intent, positive, meetings)
        .join(MessageRow, MessageRow.id == EventRow.message_id)
        .where(EventRow.campaign_id == campaign_id, EventRow.type == "replied")
        .group_by(MessageRow.sequence_step)
    )
    for message_step, told, good, meet in rows:
        engagement = _step(steps, message_step + 1).engagement
        engagement.with_intent, engagement.positive = int(told), int(good)
        engagement.meeting_requests = int(meet)
        total.with_intent += int(told)
        total.positive += int(good)
        total.meeting_requests += int(meet)


async def _median_reply_times(
    session: AsyncSession, campaign_id: int, steps: dict[int, StepCounts], total: Engagement
) -> None:
    first_reply = (
        select(
            EventRow.message_id.label("message_id"),
            func.min(EventRow.occurred_at).label("replied_at"),
        )
        .where(
            EventRow.campaign_id == campaign_id,
            EventRow.type == "replied",
            EventRow.message_id.is_not(None),
        )
        .group_by(EventRow.message_id)
        .subquery()
    )
    delay = _seconds_between(
        session.get_bind().dialect.name, MessageRow.sent_at, first_reply.c.replied_at
    )
    answered = and_(
        MessageRow.campaign_id == campaign_id,
        MessageRow.sent_at.is_not(None),
        first_reply.c.replied_at >= MessageRow.sent_at,
    )
    per_step = (
        select(
            MessageRow.sequence_step.label("step"),
            delay.label("delay"),
            func.row_number()
            .over(partition_by=MessageRow.sequence_step, order_by=delay)
            .label("rank"),
            func.count().over(partition_by=MessageRow.sequence_step).label("n"),
        )
        .select_from(MessageRow)
        .join(first_reply, first_reply.c.message_id == MessageRow.id)
        .where(answered)
        .subquery()
    )
    middle = per_step.c.rank.in_([(per_step.c.n + 1) // 2, (per_step.c.n + 2) // 2])
    rows = await session.execute(
        select(per_step.c.step, func.avg(per_step.c.delay)).where(middle).group_by(per_step.c.step)
    )
    for message_step, median in rows:
        _step(steps, message_step + 1).engagement.median_reply_s = float(median)
    overall = (
        select(
            delay.label("delay"),
            func.row_number().over(order_by=delay).label("rank"),
            func.count().over().label("n"),
        )
        .select_from(MessageRow)
        .join(first_reply, first_reply.c.message_id == MessageRow.id)
        .where(answered)
        .subquery()
    )
    middle = overall.c.rank.in_([(overall.c.n + 1) // 2, (overall.c.n + 2) // 2])
    median = await session.scalar(select(func.avg(overall.c.delay)).where(middle))
    total.median_reply_s = float(median) if median is not None else None


def _replied_leads(campaign_ids: Sequence[int]) -> Any:
    """Return (campaign_id, lead_id) of every lead who replied to any of a campaign's messages."""
    return (
        select(MessageRow.campaign_id, MessageRow.lead_id)
        .join(VariantStatRow, VariantStatRow.message_id == MessageRow.id)
        .where(MessageRow.campaign_id.in_(campaign_ids), VariantStatRow.replied > 0)
        .distinct()
        .subquery()
    )


async def tone_arms(session: AsyncSession, *, campaign_id: int) -> list[ArmCount]:
    """Return, per tone of the first message that reached them, the leads and those who replied
    at any step (a thread keeps its first message's tone, so a tone is an arm of the whole
    sequence)."""
    replied = _replied_leads([campaign_id])
    rows = await session.execute(
        select(
            MessageRow.selected_variant,
            func.count(distinct(SequenceStepRow.lead_id)),
            func.count(distinct(replied.c.lead_id)),
        )
        .select_from(SequenceStepRow)
        .join(MessageRow, MessageRow.id == SequenceStepRow.message_id)
        .outerjoin(replied, replied.c.lead_id == SequenceStepRow.lead_id)
        .where(
            SequenceStepRow.campaign_id == campaign_id,
            SequenceStepRow.step == 1,
            SequenceStepRow.status.in_(SPOKEN),
            MessageRow.selected_variant.is_not(None),
        )
        .group_by(MessageRow.selected_variant)
    )
    return [ArmCount(str(tone), int(leads), int(answered)) for tone, leads, answered in rows]


async def campaign_arms(session: AsyncSession, *, campaign_ids: Sequence[int]) -> list[CampaignArm]:
    """Return each campaign's enrolled leads, those its first step reached, and those who
    replied at any step (in the order given; at most MAX_COMPARED campaigns)."""
    ids = list(dict.fromkeys(campaign_ids))[:MAX_COMPARED]
    enrolled = dict(
        (
            await session.execute(
                select(SequenceEnrollmentRow.campaign_id, func.count())
                .where(SequenceEnrollmentRow.campaign_id.in_(ids))
                .group_by(SequenceEnrollmentRow.campaign_id)
            )
        ).all()
    )
    contacted = dict(
        (
            await session.execute(
                select(SequenceStepRow.campaign_id, func.count(distinct(SequenceStepRow.lead_id)))
                .where(
                    SequenceStepRow.campaign_id.in_(ids),
                    SequenceStepRow.step == 1,
                    SequenceStepRow.status.in_(SPOKEN),
                )
                .group_by(SequenceStepRow.campaign_id)
            )
        ).all()
    )
    answered = _replied_leads(ids)
    replied = dict(
        (
            await session.execute(
                select(SequenceEnrollmentRow.campaign_id, func.count())
                .join(
                    answered,
                    and_(
                        answered.c.campaign_id == SequenceEnrollmentRow.campaign_id,
                        answered.c.lead_id == SequenceEnrollmentRow.lead_id,
                    ),
                )
                .group_by(SequenceEnrollmentRow.campaign_id)
            )
        ).all()
    )
    return [
        CampaignArm(
            campaign_id=i,
            enrolled=int(enrolled.get(i, 0)),
            contacted=int(contacted.get(i, 0)),
            replied=int(replied.get(i, 0)),
        )
        for i in ids
    ]
