"""Sequence queries: enrol, claim due steps, settle and advance them, stop, pause and resume.

Claiming is one statement: the due steps' ids are selected oldest first (on PostgreSQL with
FOR UPDATE SKIP LOCKED, so two schedulers never take the same row and neither waits on the
other) and marked claimed with a lease. A scheduler that dies holding a claim loses it when
the lease runs out; the step's message and its send ledger key make the second attempt finish
what the first started instead of doing it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CampaignRow, MessageRow
from storage.sequence_models import (
    FINISHED_STEP_STATUSES,
    SequenceEnrollmentRow,
    SequenceStepRow,
    TaskRow,
)

STOPPABLE = ("scheduled", "claimed", "waiting", "task", "paused")
"""Step statuses a stop ends (a claimed step's scheduler sees the stop before it sends)."""


@dataclass(frozen=True)
class StepPlan:
    """What a step is, as the campaign's sequence defines it."""

    step: int
    kind: str
    channel: str


async def enroll(
    session: AsyncSession,
    *,
    campaign_id: int,
    lead_id: int,
    first: StepPlan,
    due_at: dt.datetime,
    timezone: str | None,
    country: str | None,
    paused: bool = False,
    mailbox: str | None = None,
    sequence_preset: str | None = None,
) -> SequenceEnrollmentRow | None:
    """Enrol a lead and schedule its first step (its emails from `mailbox`, else the campaign's
    sender; its steps `sequence_preset`'s, else the campaign's); None when enrolled already."""
    existing = await session.scalar(
        select(SequenceEnrollmentRow.id).where(
            SequenceEnrollmentRow.campaign_id == campaign_id,
            SequenceEnrollmentRow.lead_id == lead_id,
        )
    )
    if existing is not None:
        return None
    enrollment = SequenceEnrollmentRow(
        campaign_id=campaign_id,
        lead_id=lead_id,
        status="active",
        current_step=first.step,
        timezone=timezone,
        country=country,
        mailbox=mailbox,
        sequence_preset=sequence_preset,
    )
    session.add(enrollment)
    await session.flush()
    session.add(_step_row(enrollment, first, due_at, paused=paused))
    return enrollment


def _step_row(
    enrollment: SequenceEnrollmentRow, plan: StepPlan, due_at: dt.datetime, *, paused: bool
) -> SequenceStepRow:
    return SequenceStepRow(
        enrollment_id=enrollment.id,
        campaign_id=enrollment.campaign_id,
        lead_id=enrollment.lead_id,
        step=plan.step,
        kind=plan.kind,
        channel=plan.channel,
        due_at=due_at,
        status="paused" if paused else "scheduled",
        attempts=0,
        detail="",
    )


async def claim_due(
    session: AsyncSession,
    *,
    now: dt.datetime,
    worker: str,
    lease: dt.timedelta,
    limit: int,
) -> list[int]:
    """Claim up to `limit` steps due by `now`, oldest first; return their ids."""
    due = (
        select(SequenceStepRow.id)
        .where(SequenceStepRow.status == "scheduled", SequenceStepRow.due_at <= now)
        .order_by(SequenceStepRow.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = await session.scalars(
        update(SequenceStepRow)
        .where(SequenceStepRow.id.in_(due.scalar_subquery()))
        .values(
            status="claimed",
            claimed_by=worker,
            claim_expires_at=now + lease,
            attempts=SequenceStepRow.attempts + 1,
        )
        .returning(SequenceStepRow.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(claimed)


async def release_expired(session: AsyncSession, *, now: dt.datetime) -> int:
    """Give back claims whose lease ran out (the scheduler was killed, or hung): due again.
    A scheduler sets the lease when it claims a step, again when it starts work on it, and
    renews it while it works (renew_claim)."""
    result = await session.execute(
        update(SequenceStepRow)
        .where(SequenceStepRow.status == "claimed", SequenceStepRow.claim_expires_at < now)
        .values(status="scheduled", claimed_by=None, claim_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def renew_claim(
    session: AsyncSession, step_id: int, *, worker: str, until: dt.datetime
) -> bool:
    """Extend this worker's lease on a claimed step to `until` (its heartbeat while it works);
    False when the claim is gone: released after its lease ran out, or another worker's now."""
    renewed = await session.scalars(
        update(SequenceStepRow)
        .where(
            SequenceStepRow.id == step_id,
            SequenceStepRow.claimed_by == worker,
            SequenceStepRow.status == "claimed",
        )
        .values(claim_expires_at=until)
        .returning(SequenceStepRow.id)
        .execution_options(synchronize_session=False)
    )
    return renewed.first() is not None


async def locked_step(session: AsyncSession, step_id: int, worker: str) -> SequenceStepRow | None:
    """Return the step, locked, while this worker's claim on it holds; None otherwise."""
    step = await session.get(SequenceStepRow, step_id, with_for_update=True)
    if step is None or step.status != "claimed" or step.claimed_by != worker:
        return None
    return step


async def waiting_steps(session: AsyncSession, *, limit: int) -> list[SequenceStepRow]:
    """Return steps whose message is written and waits for a reviewer or the sender."""
    query = (
        select(SequenceStepRow)
        .where(SequenceStepRow.status == "waiting")
        .order_by(SequenceStepRow.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def steps_to_advance(session: AsyncSession, *, limit: int) -> list[int]:
    """Return finished steps whose next step is not scheduled yet."""
    query = (
        select(SequenceStepRow.id)
        .where(
            SequenceStepRow.status.in_(FINISHED_STEP_STATUSES),
            SequenceStepRow.advanced.is_(False),
        )
        .order_by(SequenceStepRow.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def take_advance(session: AsyncSession, step_id: int) -> SequenceStepRow | None:
    """Mark a finished step advanced; None when another scheduler did it first."""
    result = await session.scalars(
        update(SequenceStepRow)
        .where(SequenceStepRow.id == step_id, SequenceStepRow.advanced.is_(False))
        .values(advanced=True)
        .returning(SequenceStepRow.id)
        .execution_options(synchronize_session=False)
    )
    if result.first() is None:
        return None
    return await session.get(SequenceStepRow, step_id, populate_existing=True)


async def schedule_step(
    session: AsyncSession,
    enrollment: SequenceEnrollmentRow,
    plan: StepPlan,
    *,
    due_at: dt.datetime,
    paused: bool,
) -> SequenceStepRow:
    """Schedule the enrolment's next step (paused while the lead or campaign is)."""
    enrollment.current_step = plan.step
    row = _step_row(enrollment, plan, due_at, paused=paused)
    session.add(row)
    await session.flush()
    return row


async def stop_lead_sequences(
    session: AsyncSession,
    *,
    lead_id: int,
    reason: str,
    now: dt.datetime,
    all_tasks: bool = False,
    campaign_id: int | None = None,
) -> int:
    """End every open step and task of the lead's sequences (it replied or opted out), or of
    its sequence in `campaign_id` alone (a colleague replied there). A draft answer to a reply
    (a task of no step) stays open for a person unless `all_tasks` (an opt-out or a bounce:
    there is nobody to answer). Return how many steps were stopped."""
    enrollments, tasks, steps = (
        [model.lead_id == lead_id]
        + ([model.campaign_id == campaign_id] if campaign_id is not None else [])
        for model in (SequenceEnrollmentRow, TaskRow, SequenceStepRow)
    )
    await session.execute(
        update(SequenceEnrollmentRow)
        .where(*enrollments, SequenceEnrollmentRow.status.in_(("active", "paused")))
        .values(status="stopped", stop_reason=reason)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(TaskRow)
        .where(
            *tasks,
            TaskRow.status == "open",
            true() if all_tasks else TaskRow.step_id.is_not(None),
        )
        .values(status="skipped", note=f"not needed: {reason}", completed_at=now)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(
        update(SequenceStepRow)
        .where(*steps, SequenceStepRow.status.in_(STOPPABLE))
        .values(status="stopped", detail=reason, finished_at=now, advanced=True)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def lead_steps(
    session: AsyncSession, *, campaign_id: int, lead_id: int
) -> tuple[SequenceEnrollmentRow | None, list[SequenceStepRow]]:
    """Return a lead's enrolment in a campaign and its steps so far, in order."""
    enrolled = SequenceEnrollmentRow.campaign_id == campaign_id
    enrollment = await session.scalar(
        select(SequenceEnrollmentRow).where(enrolled, SequenceEnrollmentRow.lead_id == lead_id)
    )
    if enrollment is None:
        return None, []
    steps = await session.scalars(
        select(SequenceStepRow)
        .where(SequenceStepRow.enrollment_id == enrollment.id)
        .order_by(SequenceStepRow.step)
    )
    return enrollment, list(steps)


async def steps_of_lead(
    session: AsyncSession, *, enrollment_id: int, before: int
) -> Sequence[SequenceStepRow]:
    """Return the enrolment's steps before step `before`, in order."""
    return list(
        await session.scalars(
            select(SequenceStepRow)
            .where(SequenceStepRow.enrollment_id == enrollment_id, SequenceStepRow.step < before)
            .order_by(SequenceStepRow.step)
        )
    )


async def step_of_message(
    session: AsyncSession, message_id: int
) -> tuple[SequenceStepRow, SequenceEnrollmentRow] | None:
    """Return the sequence step a message was written for, with its enrolment, if any."""
    step = await session.scalar(
        select(SequenceStepRow).where(SequenceStepRow.message_id == message_id).limit(1)
    )
    if step is None:
        return None
    enrollment = await session.get(SequenceEnrollmentRow, step.enrollment_id)
    assert enrollment is not None
    return step, enrollment


async def next_wakeup(session: AsyncSession) -> dt.datetime | None:
    """Return when the scheduler next has something to do: the earliest due step, or the
    earliest message waiting for its send time; None when nothing is pending."""
    step_due = await session.scalar(
        select(func.min(SequenceStepRow.due_at)).where(SequenceStepRow.status == "scheduled")
    )
    message_due = await session.scalar(
        select(func.min(MessageRow.scheduled_for)).where(
            MessageRow.status.in_(("scheduled", "approved")),
            MessageRow.scheduled_for.is_not(None),
        )
    )
    moments = [
        m.replace(tzinfo=dt.UTC) if m.tzinfo is None else m
        for m in (step_due, message_due)
        if m is not None
    ]
    return min(moments, default=None)


async def revive_paused(session: AsyncSession, *, now: dt.datetime) -> int:
    """Schedule again the paused steps whose campaign and lead are both active again, however
    the campaign was resumed (the sequence API, a status change, an enrolment, a send)."""
    active_campaigns = select(CampaignRow.id).where(CampaignRow.status == "active")
    active_leads = select(SequenceEnrollmentRow.id).where(SequenceEnrollmentRow.status == "active")
    revived = await session.scalars(
        update(SequenceStepRow)
        .where(
            SequenceStepRow.status == "paused",
            SequenceStepRow.campaign_id.in_(active_campaigns),
            SequenceStepRow.enrollment_id.in_(active_leads),
        )
        .values(status="scheduled")
        .returning(SequenceStepRow.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(revived)
    if ids:
        await session.execute(
            update(SequenceStepRow)
            .where(SequenceStepRow.id.in_(ids), SequenceStepRow.due_at < now)
            .values(due_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(ids)
