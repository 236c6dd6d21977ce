"""The suppression list: addresses we must never contact, kept only as hashes.

Email addresses, phone numbers and profile URLs share the list. A phone number is kept as the
hash of its E.164 form (+14155550100): callers normalise it first (tools/delivery/sms.py), so
the same number given twice, or stored on a lead, hashes the same.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.lock_order import lock_lead_rows
from storage.models import DeliveryRow, EventRow, LeadRow, MessageRow, SuppressionRow
from storage.sequence_models import SequenceStepRow, TaskRow

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


E164 = re.compile(r"\+[1-9][0-9]{6,14}")
RESUBSCRIBABLE = ("unsubscribed",)
"""Suppressions a person may lift by opting in again (texting START): only their own opt-out,
never a bounce, a complaint, an erasure or an operator's decision."""


def _e164(phone: str) -> str:
    if not E164.fullmatch(phone):
        raise ValueError(
            f"{phone[:40]!r} is not a phone number in E.164 form (+ country code and digits, "
            "e.g. +14155550100); normalise it first"
        )
    return phone


async def suppress_phone(session: AsyncSession, phone: str, reason: str) -> None:
    """Add a phone number (E.164) to the suppression list (the first reason recorded is kept)."""
    await suppress(session, address=_e164(phone), reason=reason)


async def phone_suppression_reason(session: AsyncSession, phone: str) -> str | None:
    """Return why a phone number (E.164) is suppressed, or None if it may be texted."""
    return await suppression_reason(session, _e164(phone))


async def unsuppress_phone(
    session: AsyncSession, phone: str, *, reasons: tuple[str, ...] = RESUBSCRIBABLE
) -> bool:
    """Lift a phone number's suppression if it was for one of `reasons`; return whether it was.

    For a person who texts START after STOP. Other suppressions stay.
    """
    result = await session.execute(
        delete(SuppressionRow).where(
            SuppressionRow.email_hash == address_hash(_e164(phone)),
            SuppressionRow.reason.in_(reasons),
        )
    )
    await session.flush()
    return bool(getattr(result, "rowcount", 0))


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
    # Its sequence rows and messages in the order every writer takes them (storage/lock_order.py).
    await lock_lead_rows(session, lead_ids=[lead_id])
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
    # Its sequence steps point at its messages without a cascade of their own: they go first
    # (enrolments, steps and tasks would go with the lead, but after the messages on PostgreSQL).
    await session.execute(delete(TaskRow).where(TaskRow.lead_id == lead_id))
    await session.execute(delete(SequenceStepRow).where(SequenceStepRow.lead_id == lead_id))
    await session.delete(lead)  # facts, analyses and messages go with it (ON DELETE CASCADE)
    await session.flush()
    return Erasure(threads=threads, suppressed=len(addresses))
