"""The CRM sync's memory: what it already wrote to HubSpot, and who HubSpot says is off limits.

The ledger (`crm_sync`) maps our records to HubSpot object ids, so a second sync writes
nothing again. A contact HubSpot has at opportunity, customer or evangelist is held: their
addresses go on the suppression list with the reason `crm_<stage>`, so the dispatcher and the
sequence scheduler refuse to write to them with the checks they already make, without asking
HubSpot on every send.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crm_models import CRM_OBJECT_KINDS, CrmSyncRow
from storage.models import SuppressionRow
from storage.suppressions import address_hash, suppression_reason

CRM_HOLD_PREFIX = "crm_"
"""Suppression reasons the CRM sync records start with this (crm_customer, crm_opportunity)."""


def lead_key(lead_id: int) -> str:
    """Return the ledger key of a lead (its contact, its link to its company)."""
    return f"lead:{lead_id}"


def domain_key(domain: str) -> str:
    """Return the ledger key of a company domain."""
    return f"domain:{domain.strip().lower()}"


def message_key(message_id: int) -> str:
    """Return the ledger key of a sent message."""
    return f"message:{message_id}"


def event_key(event_id: int) -> str:
    """Return the ledger key of an event (a reply)."""
    return f"event:{event_id}"


async def synced_for_lead(session: AsyncSession, lead_id: int) -> dict[tuple[str, str], str]:
    """Return what the sync wrote for a lead: (kind, local key) -> HubSpot id."""
    rows = await session.scalars(select(CrmSyncRow).where(CrmSyncRow.lead_id == lead_id))
    return {(row.kind, row.local_key): row.hubspot_id for row in rows}


async def synced_company(session: AsyncSession, domain: str) -> str | None:
    """Return the HubSpot id of the company the sync made or found for a domain."""
    return await session.scalar(
        select(CrmSyncRow.hubspot_id).where(
            CrmSyncRow.kind == "company", CrmSyncRow.local_key == domain_key(domain)
        )
    )


async def record_synced(
    session: AsyncSession, *, kind: str, local_key: str, hubspot_id: str, lead_id: int | None
) -> None:
    """Remember that a record is in HubSpot as this object (a changed id replaces the old)."""
    if kind not in CRM_OBJECT_KINDS:
        raise ValueError(f"unknown CRM object kind {kind!r}")
    row = await session.scalar(
        select(CrmSyncRow).where(CrmSyncRow.kind == kind, CrmSyncRow.local_key == local_key)
    )
    if row is None:
        session.add(
            CrmSyncRow(kind=kind, local_key=local_key, hubspot_id=hubspot_id, lead_id=lead_id)
        )
    elif row.hubspot_id != hubspot_id:
        row.hubspot_id = hubspot_id
    await session.flush()


def hold_reason(stage: str) -> str:
    """Return the suppression reason for a contact HubSpot has at `stage` (crm_customer)."""
    return f"{CRM_HOLD_PREFIX}{stage}"[:20]  # the reason column's width


async def hold_for_crm(session: AsyncSession, *, addresses: list[str], stage: str) -> bool:
    """Put addresses on the suppression list because HubSpot has them at `stage`.

    Returns whether any was new. An address already suppressed keeps its first reason.
    """
    reason = hold_reason(stage)
    # Written here rather than through suppress(): its reasons are the ones a person or an
    # event gives, and this one names the CRM stage that holds the person.
    added = False
    for address in dict.fromkeys(a for a in addresses if a and a.strip()):
        digest = address_hash(address)
        if await session.scalar(select(SuppressionRow).where(SuppressionRow.email_hash == digest)):
            continue
        session.add(SuppressionRow(email_hash=digest, reason=reason))
        added = True
    await session.flush()
    return added


async def crm_hold(session: AsyncSession, address: str) -> str | None:
    """Return the CRM hold on an address (e.g. crm_customer), or None if the CRM set none."""
    reason = await suppression_reason(session, address)
    return reason if reason and reason.startswith(CRM_HOLD_PREFIX) else None
