"""The suppression list: addresses we must never contact, kept only as hashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeliveryRow, EventRow, LeadRow, MessageRow, SuppressionRow

SUPPRESSION_REASONS = ("unsubscribed", "bounced", "complained", "erased", "manual")


def address_hash(address: str) -> str:
    """Hash an email address, phone number or profile URL in its normalized form."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


async def suppress(session: AsyncSession, *, address: str, reason: str) -> None:
    """Add an address to the suppression list (the first reason recorded is kept)."""
    if reason not in SUPPRESSION_REASONS:
        raise ValueError(f"unknown suppression reason {reason!r}")
    digest = address_hash(address)
    if await session.scalar(select(SuppressionRow).where(SuppressionRow.email_hash == digest)):
        return
    session.add(SuppressionRow(email_hash=digest, reason=reason))
    await session.flush()


async def suppression_reason(session: AsyncSession, address: str) -> str | None:
    """Return why an address is suppressed, or None if it may be contacted."""
    row = await session.scalar(
        select(SuppressionRow).where(SuppressionRow.email_hash == address_hash(address))
    )
    return row.reason if row else None


def _addresses(lead: LeadRow) -> list[str]:
    return [a for a in (lead.email, lead.phone, lead.linkedin_url) if a]


@dataclass(frozen=True)
class Erasure:
    """What erasing a person removed and kept."""

    threads: list[str]
    """Checkpoint threads that hold their data; the caller deletes them from the checkpointer."""
    suppressed: int
    """How many of their addresses are now on the suppression list (as hashes)."""


async def erase_lead(session: AsyncSession, *, lead_id: int) -> Erasure | None:
    """Erase a person (GDPR): their lead, facts, analyses, messages, events and ledger rows.

    What remains is a hash of each of their addresses on the suppression list, so they are
    never contacted again. Returns None if there is no such lead.
    """
    lead = await session.get(LeadRow, lead_id)
    if lead is None:
        return None
    messages = list(await session.scalars(select(MessageRow).where(MessageRow.lead_id == lead_id)))
    message_ids = [m.id for m in messages]
    threads = [m.thread_id for m in messages if m.thread_id]
    if message_ids:
        await session.execute(delete(EventRow).where(EventRow.message_id.in_(message_ids)))
        keys = [m.idempotency_key for m in messages if m.idempotency_key]
        if keys:
            await session.execute(delete(DeliveryRow).where(DeliveryRow.idempotency_key.in_(keys)))
    addresses = _addresses(lead)
    if addresses:
        # Ledger rows of sends that never got a message id still name the person.
        await session.execute(delete(DeliveryRow).where(DeliveryRow.recipient.in_(addresses)))
    for address in addresses:
        await session.execute(
            update(SuppressionRow)
            .where(SuppressionRow.email_hash == address_hash(address))
            .values(reason="erased")
        )
        await suppress(session, address=address, reason="erased")
    await session.delete(lead)  # facts, analyses and messages go with it (ON DELETE CASCADE)
    await session.flush()
    return Erasure(threads=threads, suppressed=len(addresses))
