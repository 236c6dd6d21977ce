"""Researched facts from the database as planning reads them: for a lead file's addresses, or
for stored leads with their facts (the API)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row

from agent.planning.prospects import Prospect, prospect_of
from agent.planning.signals import FactRecord
from storage.database import Database
from storage.prospect_reads import facts_by_email, leads_with_facts, suppressed_addresses


def fact_record(row: Row[Any]) -> FactRecord:
    """Return a stored fact (storage/prospect_reads.py's FACT_COLUMNS) as plain data."""
    return FactRecord(
        kind=row.kind,
        text=row.text,
        title=row.title,
        published=row.published,
        found=row.retrieved_at.date() if row.retrieved_at else None,
        attributes=row.attributes or {},
        fact_id=row.fact_id,
    )


@dataclass
class StoredEvidence:
    """What the database knows about a lead file's addresses (normalized)."""

    facts: dict[str, list[FactRecord]]
    suppressed: dict[str, str]
    """Why an address is on the suppression list."""


async def evidence_for_emails(db: Database, emails: Sequence[str]) -> StoredEvidence:
    """Return the facts stored for these addresses, and those on the suppression list."""
    async with db.sessions() as session:
        rows = await facts_by_email(session, emails)
        suppressed = await suppressed_addresses(session, emails)
    facts = {email: [fact_record(r) for r in found] for email, found in rows.items()}
    return StoredEvidence(facts, suppressed)


async def stored_prospects(
    db: Database, *, today: date, lead_ids: Sequence[int] | None, limit: int
) -> list[Prospect]:
    """Return stored leads (these ids, else the first `limit`) as prospects with their facts."""
    async with db.sessions() as session:
        rows = await leads_with_facts(session, lead_ids=lead_ids, limit=limit)
        suppressed = await suppressed_addresses(session, [lead.email or "" for lead, _ in rows])
    return [
        prospect_of(
            lead,
            [fact_record(f) for f in facts],
            today=today,
            lead_id=lead.id,
            suppressed=suppressed.get((lead.email or "").strip().lower()),
        )
        for lead, facts in rows
    ]
