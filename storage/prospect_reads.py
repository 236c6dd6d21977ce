"""Reads for planning and campaign metrics: researched facts of many leads at once, by email, by
lead id, or the very facts messages cited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.leads import normalize_email
from storage.models import FactRow, LeadRow, SuppressionRow
from storage.suppressions import address_hash

CHUNK = 500
"""Keys per IN (...) list: well under SQLite's and asyncpg's parameter limits."""


LEAD_COLUMNS = (
    LeadRow.id, LeadRow.name, LeadRow.company, LeadRow.email, LeadRow.title, LeadRow.phone,
    LeadRow.linkedin_url, LeadRow.industry, LeadRow.language, LeadRow.extra,
)  # fmt: skip
"""What planning reads of a lead: columns, not whole rows, so 100,000 leads load quickly."""
FACT_COLUMNS = (
    FactRow.lead_id, FactRow.fact_id, FactRow.kind, FactRow.text, FactRow.title,
    FactRow.published, FactRow.retrieved_at, FactRow.attributes,
)  # fmt: skip


async def facts_by_email(session: AsyncSession, emails: Sequence[str]) -> dict[str, list[Row[Any]]]:
    """Return the stored facts (FACT_COLUMNS) of the leads with these addresses, by normalized
    address."""
    wanted = sorted({e for e in (normalize_email(x) for x in emails) if e})
    found: dict[str, list[Row[Any]]] = defaultdict(list)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = await session.execute(
            select(LeadRow.email_normalized, *FACT_COLUMNS)
            .join(FactRow, FactRow.lead_id == LeadRow.id)
            .where(LeadRow.email_normalized.in_(chunk))
            .order_by(FactRow.lead_id, FactRow.fact_id)
        )
        for row in rows:
            if row.email_normalized:
                found[row.email_normalized].append(row)
    return dict(found)


async def leads_with_facts(
    session: AsyncSession, *, lead_ids: Sequence[int] | None, limit: int
) -> list[tuple[Row[Any], list[Row[Any]]]]:
    """Return stored leads (LEAD_COLUMNS; these ids, else the first `limit` in import order)
    with their facts (FACT_COLUMNS)."""
    query = select(*LEAD_COLUMNS).order_by(LeadRow.id)
    if lead_ids is not None:
        query = query.where(LeadRow.id.in_(list(lead_ids)))
    leads = list(await session.execute(query.limit(limit)))
    facts: dict[int, list[Row[Any]]] = defaultdict(list)
    ids = [lead.id for lead in leads]
    for start in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(*FACT_COLUMNS)
            .where(FactRow.lead_id.in_(ids[start : start + CHUNK]))
            .order_by(FactRow.lead_id, FactRow.fact_id)
        )
        for fact in rows:
            facts[fact.lead_id].append(fact)
    return [(lead, facts.get(lead.id, [])) for lead in leads]


async def facts_cited(
    session: AsyncSession, pairs: Sequence[tuple[int, str]]
) -> dict[int, list[Row[Any]]]:
    """Return these facts (FACT_COLUMNS; each a lead id and a fact id) by lead: those still
    stored."""
    found: dict[int, list[Row[Any]]] = defaultdict(list)
    wanted = sorted(set(pairs))
    for start in range(0, len(wanted), CHUNK):
        rows = await session.execute(
            select(*FACT_COLUMNS)
            .where(tuple_(FactRow.lead_id, FactRow.fact_id).in_(wanted[start : start + CHUNK]))
            .order_by(FactRow.lead_id, FactRow.fact_id)
        )
        for fact in rows:
            found[fact.lead_id].append(fact)
    return dict(found)


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
