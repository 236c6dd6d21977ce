"""A person moves a lead to a stage only people decide: a meeting booked, won, lost."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from storage.engagement import stop_unsent
from storage.lead_stages import SET_BY_PEOPLE
from storage.lock_order import lock_lead_rows
from storage.models import LeadRow
from storage.sequences import stop_lead_sequences


class StageConflict(Exception):
    """The lead cannot be moved to that stage (it opted out or bounced)."""


async def set_stage(
    session: AsyncSession, lead_id: int, stage: str, *, now: dt.datetime
) -> LeadRow | None:
    """Set a stage people decide (meeting_booked, won, lost); None if there is no such lead.
    The lead's unsent messages and sequences stop: a person has the conversation now."""
    if stage not in SET_BY_PEOPLE:
        raise ValueError(f"a person sets only {', '.join(SET_BY_PEOPLE)}, not {stage!r}")
    await lock_lead_rows(session, lead_ids={lead_id})
    lead = await session.get(LeadRow, lead_id)
    if lead is None:
        return None
    if lead.status in ("unsubscribed", "complained", "bounced"):
        raise StageConflict(f"lead {lead_id} {lead.status}: its stage stays as it is")
    lead.status = stage
    await session.flush()
    why = f"a person marked the lead {stage.replace('_', ' ')}"
    await stop_unsent(session, lead_id=lead_id, reason=why)
    await stop_lead_sequences(session, lead_id=lead_id, reason=why, now=now)
    return lead
