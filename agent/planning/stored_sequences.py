"""What a campaign's stored sequences bring to a week's plan: the steps already due in it (they
take their mailbox's room first) and the leads already enrolled (no new first touch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from agent.planning.week_days import DueStep
from storage.cadence_reads import enrolled_lead_ids, steps_due_between
from storage.database import Database


@dataclass(frozen=True)
class StoredCadence:
    """A campaign's enrolments as the week's plan reads them."""

    due: list[DueStep]
    enrolled: frozenset[int]


async def stored_cadence(db: Database, *, campaign_id: int, week_start: dt.date) -> StoredCadence:
    """Return the campaign's steps due in the week starting `week_start`, and its enrolled
    leads. A step's day is the UTC date of its due time (the opening of its window)."""
    start = dt.datetime.combine(week_start, dt.time(0), tzinfo=dt.UTC)
    async with db.sessions() as session:
        rows = await steps_due_between(
            session, campaign_id=campaign_id, start=start, end=start + dt.timedelta(days=7)
        )
        enrolled = await enrolled_lead_ids(session, campaign_id=campaign_id)
    due = [
        DueStep(
            lead_id=row.lead_id,
            lead=row.email or row.name,
            step=row.step,
            channel=row.channel,
            kind=row.kind,
            day=_utc(row.due_at).date(),
            mailbox=row.mailbox,
            country=row.country,
            sequence=row.sequence_preset,
        )
        for row in rows
    ]
    return StoredCadence(due, frozenset(enrolled))


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
