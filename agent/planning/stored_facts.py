"""Researched facts from the database as planning reads them: for a lead file's addresses, or
for stored leads with their facts (the API)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from agent.planning.prospects import Prospect, prospect_of
from agent.planning.signals import FactRecord
from storage.database import Database
from storage.models import FactRow
from storage.prospect_reads import facts_by_email, leads_with_facts


def fact_record(row: FactRow) -> FactRecord:
    """Return a stored fact as plain data."""
    return FactRecord(
        kind=row.kind,
        text=row.text,
        title=row.title,
        published=row.published,
        found=row.retrieved_at.date() if row.retrieved_at else None,
        attributes=row.attributes or {},
        fact_id=row.fact_id,
    )


async def facts_for_emails(db: Database, emails: Sequence[str]) -> dict[str, list[FactRecord]]:
    """Return the facts stored for these addresses (normalized), for the leads that have any."""
    async with db.sessions() as session:
        rows = await facts_by_email(session, emails)
    return {email: [fact_record(r) for r in facts] for email, facts in rows.items()}


async def stored_prospects(
    db: Database, *, today: date, lead_ids: Sequence[int] | None, limit: int
) -> list[Prospect]:
    """Return stored leads (these ids, else the first `limit`) as prospects with their facts."""
    async with db.sessions() as session:
        rows = await leads_with_facts(session, lead_ids=lead_ids, limit=limit)
        return [
            prospect_of(lead, [fact_record(f) for f in facts], today=today, lead_id=lead.id)
            for lead, facts in rows
        ]
