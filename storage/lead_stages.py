"""Where each lead stands in its lifecycle, derived in SQL from its status, its sent messages
and its enrolments, so lists, filters and reports agree without a second column to keep in
step:

new → contacted → replied → interested → meeting_booked → won / lost, and beside them
paused, unsubscribed and bounced.

A reply moves a lead to replied (or interested, as the reply classifier reads it); people set
meeting_booked, won and lost, which end the lead's sequences like a reply does.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from sqlalchemy import case, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow

Stage = Literal[
    "new", "contacted", "replied", "interested", "meeting_booked", "won", "lost", "paused",
    "unsubscribed", "bounced",
]  # fmt: skip
STAGES: tuple[str, ...] = get_args(Stage)
"""A lead's lifecycle stages, in the order reports list them."""
SET_BY_PEOPLE = ("meeting_booked", "won", "lost")
"""Stages a person sets (the API, `outreach leads stage`); the rest follow from events."""
KEPT_STAGES = ("replied", "interested", *SET_BY_PEOPLE)
"""Lead statuses that are stages as they stand."""


def lead_stage() -> Any:
    """The SQL expression of a lead's stage (select it, filter on it, group by it)."""
    paused = exists().where(
        SequenceEnrollmentRow.lead_id == LeadRow.id, SequenceEnrollmentRow.status == "paused"
    )
    contacted = exists().where(MessageRow.lead_id == LeadRow.id, MessageRow.sent_at.is_not(None))
    return case(
        (LeadRow.status.in_(("unsubscribed", "complained")), literal("unsubscribed")),
        (LeadRow.status == "bounced", literal("bounced")),
        (LeadRow.status.in_(KEPT_STAGES), LeadRow.status),
        (paused, literal("paused")),
        (contacted, literal("contacted")),
        else_=literal("new"),
    )


async def stages_of(session: AsyncSession, lead_ids: list[int]) -> dict[int, str]:
    """Return each lead's stage."""
    if not lead_ids:
        return {}
    rows = await session.execute(select(LeadRow.id, lead_stage()).where(LeadRow.id.in_(lead_ids)))
    return {int(lead_id): str(stage) for lead_id, stage in rows}


async def stage_counts(session: AsyncSession, *, campaign_id: int) -> dict[str, int]:
    """Count the campaign's leads (those it wrote to) per stage; every stage is listed."""
    in_campaign = select(MessageRow.lead_id).where(MessageRow.campaign_id == campaign_id)
    stage = lead_stage()
    rows = await session.execute(
        select(stage, func.count()).where(LeadRow.id.in_(in_campaign)).group_by(stage)
    )
    counts = dict.fromkeys(STAGES, 0)
    for name, count in rows:
        counts[str(name)] = int(count)
    return counts
