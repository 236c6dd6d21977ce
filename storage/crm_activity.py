"""What the CRM sync reads from our database: the leads, the messages sent to them, their replies.

Plain values go out, so the sync (agent/crm/) never holds a session while it talks to HubSpot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CampaignRow, EventRow, LeadRow, MessageRow


@dataclass(frozen=True)
class CrmLead:
    """A lead with an email address: the contact it becomes."""

    id: int
    name: str
    email: str
    company: str
    status: str
    company_url: str | None = None
    title: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class SentMessage:
    """A message that went out to a lead."""

    id: int
    channel: str
    sent_at: dt.datetime
    body: str
    subject: str | None = None
    mailbox: str | None = None


@dataclass(frozen=True)
class ReplyEvent:
    """A person's reply to one of our messages, as the reply classifier read it."""

    id: int
    occurred_at: dt.datetime
    intent: str | None
    reason: str | None
    snippet: str | None
    subject: str | None
    """The reply's subject line (else the subject of the message it answers)."""


def _chosen(message: MessageRow) -> dict[str, Any]:
    """Return the variant that went out (the selected one, else the first)."""
    variants = [v for v in message.variants or [] if isinstance(v, dict)]
    for variant in variants:
        if variant.get("tone") == message.selected_variant:
            return variant
    return variants[0] if variants else {}


def _text(payload: dict[str, Any], name: str) -> str | None:
    """Return a payload's text field, stripped, or None when it is missing or blank."""
    value = payload.get(name)
    return (value.strip() or None) if isinstance(value, str) else None


async def crm_leads(
    session: AsyncSession, *, campaign_id: int | None = None, lead_ids: list[int] | None = None
) -> list[CrmLead]:
    """Return the leads with an email address (of one campaign, or these ids), oldest first."""
    query = select(LeadRow).where(LeadRow.email.is_not(None), LeadRow.email != "")
    if campaign_id is not None:
        written = select(MessageRow.lead_id).where(MessageRow.campaign_id == campaign_id)
        query = query.where(LeadRow.id.in_(written))
    if lead_ids is not None:
        query = query.where(LeadRow.id.in_(lead_ids))
    rows = await session.scalars(query.order_by(LeadRow.id))
    return [
        CrmLead(
            id=row.id,
            name=row.name,
            email=(row.email or "").strip(),
            company=row.company,
            status=row.status,
            company_url=row.company_url,
            title=row.title,
            phone=row.phone,
        )
        for row in rows
    ]


async def sent_messages(session: AsyncSession, lead_id: int) -> list[SentMessage]:
    """Return the messages that went out to a lead, oldest first."""
    rows = await session.execute(
        select(MessageRow, CampaignRow.channel)
        .join(CampaignRow, CampaignRow.id == MessageRow.campaign_id)
        .where(MessageRow.lead_id == lead_id, MessageRow.sent_at.is_not(None))
        .order_by(MessageRow.sent_at, MessageRow.id)
    )
    sent = []
    for message, channel in rows:
        variant = _chosen(message)
        assert message.sent_at is not None
        sent.append(
            SentMessage(
                id=message.id,
                channel=channel,
                sent_at=message.sent_at,
                body=str(variant.get("body") or ""),
                subject=variant.get("subject") or None,
                mailbox=message.mailbox,
            )
        )
    return sent


async def reply_events(session: AsyncSession, lead_id: int) -> list[ReplyEvent]:
    """Return a lead's replies (not automatic ones), oldest first."""
    rows = await session.execute(
        select(EventRow, MessageRow)
        .join(MessageRow, MessageRow.id == EventRow.message_id)
        .where(MessageRow.lead_id == lead_id, EventRow.type == "replied")
        .order_by(EventRow.occurred_at, EventRow.id)
    )
    replies = []
    for event, message in rows:
        payload = event.payload or {}
        replies.append(
            ReplyEvent(
                id=event.id,
                occurred_at=event.occurred_at,
                intent=_text(payload, "intent"),
                reason=_text(payload, "intent_reason"),
                snippet=_text(payload, "snippet"),
                subject=_text(payload, "subject") or _chosen(message).get("subject") or None,
            )
        )
    return replies
