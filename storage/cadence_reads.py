"""Reads for the weekly plan: a campaign's enrolled leads and the sequence steps due in a week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LeadRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow

MAX_DUE_STEPS = 200_000
"""Steps one plan reads at most (a week of a very large campaign)."""


async def enrolled_lead_ids(session: AsyncSession, *, campaign_id: int) -> set[int]:
    """Return the ids of the leads enrolled in the campaign's sequence, in any state."""
    rows = await session.execute(
        select(SequenceEnrollmentRow.lead_id).where(
            SequenceEnrollmentRow.campaign_id == campaign_id
        )
    )
    return {lead_id for (lead_id,) in rows}


async def steps_due_between(
    session: AsyncSession, *, campaign_id: int, start: dt.datetime, end: dt.datetime
) -> list[Any]:
    """Return the campaign's scheduled steps due in [start, end): lead id and address, step,
    channel, kind, when, and the enrolment's country, mailbox and sequence preset, earliest
    first."""
    rows = await session.execute(
        select(
            SequenceStepRow.lead_id,
            LeadRow.email,
            LeadRow.name,
            SequenceStepRow.step,
            SequenceStepRow.channel,
            SequenceStepRow.kind,
            SequenceStepRow.due_at,
            SequenceEnrollmentRow.country,
            SequenceEnrollmentRow.mailbox,
            SequenceEnrollmentRow.sequence_preset,
        )
        .join(LeadRow, LeadRow.id == SequenceStepRow.lead_id)
        .join(SequenceEnrollmentRow, SequenceEnrollmentRow.id == SequenceStepRow.enrollment_id)
        .where(
            SequenceStepRow.campaign_id == campaign_id,
            SequenceStepRow.status == "scheduled",
            SequenceStepRow.due_at >= start,
            SequenceStepRow.due_at < end,
        )
        .order_by(SequenceStepRow.due_at, SequenceStepRow.id)
        .limit(MAX_DUE_STEPS)
    )
    return list(rows.all())
