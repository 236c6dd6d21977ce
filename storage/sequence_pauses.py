"""Pausing and resuming sequences: a campaign's or one lead's steps, and their enrolments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow


async def set_paused(
    session: AsyncSession,
    *,
    paused: bool,
    campaign_id: int,
    lead_id: int | None = None,
    resume_at: dt.datetime | None = None,
) -> int:
    """Pause (scheduled → paused) or resume (paused → scheduled) a campaign's or one lead's
    steps; a resumed step that fell due meanwhile is due at `resume_at`. Return how many."""
    where = [SequenceStepRow.campaign_id == campaign_id]
    if lead_id is not None:
        where.append(SequenceStepRow.lead_id == lead_id)
        await session.execute(
            update(SequenceEnrollmentRow)
            .where(
                SequenceEnrollmentRow.campaign_id == campaign_id,
                SequenceEnrollmentRow.lead_id == lead_id,
                SequenceEnrollmentRow.status == ("active" if paused else "paused"),
            )
            .values(status="paused" if paused else "active")
            .execution_options(synchronize_session=False)
        )
    elif not paused:  # a campaign's resume leaves leads paused one by one as they are
        paused_leads = select(SequenceEnrollmentRow.id).where(
            SequenceEnrollmentRow.campaign_id == campaign_id,
            SequenceEnrollmentRow.status == "paused",
        )
        where.append(SequenceStepRow.enrollment_id.not_in(paused_leads))
    values: dict[str, object] = {"status": "paused" if paused else "scheduled"}
    rows = await session.execute(
        update(SequenceStepRow)
        .where(*where, SequenceStepRow.status == ("scheduled" if paused else "paused"))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not paused and resume_at is not None:
        await session.execute(
            update(SequenceStepRow)
            .where(
                *where, SequenceStepRow.status == "scheduled", SequenceStepRow.due_at < resume_at
            )
            .values(due_at=resume_at)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(rows, "rowcount", 0) or 0)
