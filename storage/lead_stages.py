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

from sqlalchemy import case, exists, func, literal, or_, select
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


def lead_stage(*, sent_known: Any = None) -> Any:
    """The SQL expression of a lead's stage (select it, filter on it, group by it).

    sent_known: an expression true when the lead is already known to have a sent message,
    which spares looking its messages up."""
    paused = exists().where(
        SequenceEnrollmentRow.lead_id == LeadRow.id, SequenceEnrollmentRow.status == "paused"
    )
    contacted: Any = exists().where(
        MessageRow.lead_id == LeadRow.id, MessageRow.sent_at.is_not(None)
    )
    if sent_known is not None:
        contacted = or_(sent_known, contacted)
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


async def stages_and_sends(
    session: AsyncSession, *, campaign_id: int, segment: Any
) -> tuple[dict[str, int], dict[str, int]]:
    """Count, in one pass over the campaign's leads, those it wrote to per stage (every stage
    is listed) and its sent messages per `segment` (an SQL expression over the lead; those
    with none sent are left out)."""
    in_campaign = (
        select(MessageRow.lead_id.label("lead_id"), func.count(MessageRow.sent_at).label("sent"))
        .where(MessageRow.campaign_id == campaign_id)
        .group_by(MessageRow.lead_id)
        .subquery()
    )
    # A send in this campaign spares looking the lead's messages up.
    lead = (
        select(
            lead_stage(sent_known=in_campaign.c.sent > 0).label("stage"),
            segment.label("segment"),
            in_campaign.c.sent,
        )
        .join_from(in_campaign, LeadRow, LeadRow.id == in_campaign.c.lead_id)
        .subquery()
    )
    rows = await session.execute(
        select(lead.c.stage, lead.c.segment, func.count(), func.sum(lead.c.sent)).group_by(
            lead.c.stage, lead.c.segment
        )
    )
    stages = dict.fromkeys(STAGES, 0)
    sends: dict[str, int] = {}
    for stage, name, leads, sent in rows:
        stages[str(stage)] += int(leads)
        if sent:
            sends[str(name)] = sends.get(str(name), 0) + int(sent)
    return stages, sends
