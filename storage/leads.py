"""Lead rows, deduplicated on the normalized email address."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LeadRow

LEAD_FIELDS = (
    "name", "email", "company", "title", "phone", "profile_url", "company_url",
    "linkedin_url", "industry", "source",
)  # fmt: skip


def normalize_email(email: str | None) -> str | None:
    """Return the form used to spot the same person twice."""
    return email.strip().lower() if email else None


async def missing_lead_ids(session: AsyncSession, ids: list[int]) -> list[int]:
    """Return the ids, in the order given, that no stored lead has."""
    found = set(await session.scalars(select(LeadRow.id).where(LeadRow.id.in_(ids))))
    return [i for i in ids if i not in found]


async def upsert_lead(
    session: AsyncSession, *, lead: dict[str, Any], lead_id: int | None = None
) -> LeadRow:
    """Insert a lead, or update the existing one: the row `lead_id` names, else the same email."""
    normalized = normalize_email(lead.get("email"))
    row = await session.get(LeadRow, lead_id) if lead_id is not None else None
    if row is None and normalized:
        row = await session.scalar(select(LeadRow).where(LeadRow.email_normalized == normalized))
    if row is None:
        row = LeadRow(email_normalized=normalized, name=lead["name"], company=lead["company"])
        session.add(row)
    for field in LEAD_FIELDS:
        if lead.get(field) is not None:
            setattr(row, field, lead[field])
    row.extra = dict(lead.get("extra") or {})
    await session.flush()
    return row


async def list_leads(
    session: AsyncSession, *, limit: int = 100, offset: int = 0, min_score: float | None = None
) -> list[LeadRow]:
    """Return leads in import order, optionally only those qualified at min_score or above."""
    query = select(LeadRow).order_by(LeadRow.id).limit(limit).offset(offset)
    if min_score is not None:
        query = query.where(LeadRow.qualification_score >= min_score)
    return list(await session.scalars(query))
