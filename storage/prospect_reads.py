"""Reads for planning: researched facts of many leads at once, by email or by lead id."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.leads import normalize_email
from storage.models import FactRow, LeadRow, SuppressionRow
from storage.suppressions import address_hash

CHUNK = 500
"""Keys per IN (...) list: well under SQLite's and asyncpg's parameter limits."""


async def facts_by_email(session: AsyncSession, emails: Sequence[str]) -> dict[str, list[FactRow]]:
    """Return the stored facts of the leads with these addresses, by normalized address."""
    wanted = sorted({e for e in (normalize_email(x) for x in emails) if e})
    found: dict[str, list[FactRow]] = defaultdict(list)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = await session.execute(
            select(LeadRow.email_normalized, FactRow)
            .join(FactRow, FactRow.lead_id == LeadRow.id)
            .where(LeadRow.email_normalized.in_(chunk))
            .order_by(FactRow.lead_id, FactRow.fact_id)
        )
        for email, fact in rows:
            if email:
                found[email].append(fact)
    return dict(found)


async def leads_with_facts(
    session: AsyncSession, *, lead_ids: Sequence[int] | None, limit: int
) -> list[tuple[LeadRow, list[FactRow]]]:
    """Return stored leads (these ids, else the first `limit` in import order) with their
    facts."""
    query = select(LeadRow).order_by(LeadRow.id)
    if lead_ids is not None:
        query = query.where(LeadRow.id.in_(list(lead_ids)))
    leads = list(await session.scalars(query.limit(limit)))
    facts: dict[int, list[FactRow]] = defaultdict(list)
    ids = [lead.id for lead in leads]
    for start in range(0, len(ids), CHUNK):
        rows = await session.scalars(
            select(FactRow)
            .where(FactRow.lead_id.in_(ids[start : start + CHUNK]))
            .order_by(FactRow.lead_id, FactRow.fact_id)
        )
        for fact in rows:
            facts[fact.lead_id].append(fact)
    return [(lead, facts.get(lead.id, [])) for lead in leads]


async def suppressed_addresses(session: AsyncSession, addresses: Sequence[str]) -> dict[str, str]:
    """Return why each of these addresses is on the suppression list, by normalized address
    (those not on it are left out)."""
    by_hash = {address_hash(a): a.strip().lower() for a in addresses if a and a.strip()}
    hashes = sorted(by_hash)
    found: dict[str, str] = {}
    for start in range(0, len(hashes), CHUNK):
        rows = await session.execute(
            select(SuppressionRow.email_hash, SuppressionRow.reason).where(
                SuppressionRow.email_hash.in_(hashes[start : start + CHUNK])
            )
        )
        for digest, reason in rows:
            found[by_hash[digest]] = reason
    return found
