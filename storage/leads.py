"""Lead rows (deduplicated on the normalized email address) and the facts and analyses of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.lead_stages import lead_stage
from storage.lock_order import takes_row_locks
from storage.models import AnalysisRow, FactRow, LeadRow, MessageRow

LEAD_FIELDS = (
    "name", "email", "company", "title", "phone", "profile_url", "company_url",
    "linkedin_url", "industry", "source", "language",
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
        row = new_lead_row(lead)
        session.add(row)
    else:
        write_lead_fields(row, lead)
    await session.flush()
    return row


def new_lead_row(lead: dict[str, Any]) -> LeadRow:
    """Return an unsaved row for a lead seen for the first time."""
    row = LeadRow(
        email_normalized=normalize_email(lead.get("email")),
        name=lead["name"],
        company=lead["company"],
    )
    write_lead_fields(row, lead)
    return row


def write_lead_fields(row: LeadRow, lead: dict[str, Any]) -> None:
    """Copy the fields a lead row gives onto its stored row (those it leaves out stay)."""
    for field in LEAD_FIELDS:
        if lead.get(field) is not None:
            setattr(row, field, lead[field])
    row.extra = dict(lead.get("extra") or {})


async def list_leads(
    session: AsyncSession,
    *,
    limit: int = 100,
    offset: int = 0,
    min_score: float | None = None,
    campaign_id: int | None = None,
    status: str | None = None,
    stage: str | None = None,
) -> list[LeadRow]:
    """Return leads in import order; min_score, status, stage (storage/lead_stages.py) and
    campaign_id narrow them if given."""
    query = select(LeadRow).order_by(LeadRow.id).limit(limit).offset(offset)
    if stage is not None:
        query = query.where(lead_stage() == stage)
    if min_score is not None:
        query = query.where(LeadRow.qualification_score >= min_score)
    if campaign_id is not None:
        in_campaign = select(MessageRow.lead_id).where(MessageRow.campaign_id == campaign_id)
        query = query.where(LeadRow.id.in_(in_campaign))
    if status is not None:
        query = query.where(LeadRow.status == status)
    return list(await session.scalars(query))


async def lead_names(session: AsyncSession, *, ids: Sequence[int]) -> dict[int, str]:
    """Return the names of the stored leads among ids, by lead id."""
    rows = await session.execute(select(LeadRow.id, LeadRow.name).where(LeadRow.id.in_(ids)))
    return {lead_id: name for lead_id, name in rows}


async def lead_facts(
    session: AsyncSession, *, lead_id: int, fact_ids: Sequence[str] | None = None
) -> list[FactRow]:
    """Return a lead's stored facts in fact-id order, only those named if fact_ids is given."""
    query = select(FactRow).where(FactRow.lead_id == lead_id).order_by(FactRow.fact_id)
    if fact_ids is not None:
        query = query.where(FactRow.fact_id.in_(list(fact_ids)))
    return list(await session.scalars(query))


async def latest_analysis(session: AsyncSession, *, lead_id: int) -> AnalysisRow | None:
    """Return the lead's most recent analysis, or None if it was never analysed."""
    return await session.scalar(
        select(AnalysisRow)
        .where(AnalysisRow.lead_id == lead_id)
        .order_by(AnalysisRow.id.desc())
        .limit(1)
    )


async def lead_rows(session: AsyncSession, *, ids: Sequence[int]) -> list[LeadRow]:
    """Return the stored leads with these ids (unknown ids are left out)."""
    return list(await session.scalars(select(LeadRow).where(LeadRow.id.in_(ids))))


async def leads_without_message_in(
    session: AsyncSession, *, campaign_id: int, min_score: float
) -> list[int]:
    """Return the ids of leads the campaign has no message for (scoring min_score, if above 0)."""
    already = select(MessageRow.lead_id).where(MessageRow.campaign_id == campaign_id)
    query = select(LeadRow.id).where(LeadRow.id.not_in(already)).order_by(LeadRow.id)
    if min_score > 0:
        query = query.where(LeadRow.qualification_score >= min_score)
    return list(await session.scalars(query))


async def lock_person(session: AsyncSession, key: str) -> None:
    """Hold, until the transaction ends, a lock on one person's key (a normalized address or
    name): two writers about to create the same lead take turns. PostgreSQL's advisory lock;
    SQLite has one writer and needs none."""
    if not takes_row_locks(session):
        return
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"person:{key}"))))
