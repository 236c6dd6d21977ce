"""Campaign results as flat rows, for JSONL and CSV exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CampaignRow, LeadRow, MessageRow

EXPORT_COLUMNS = (
    "campaign", "run_id", "name", "email", "company", "title", "language", "status", "reason",
    "selected_variant", "subject", "body", "quality_score", "relevance_score", "cost_usd",
    "created_at",
)  # fmt: skip


async def campaign_rows(session: AsyncSession, *, campaign: str) -> list[dict[str, Any]]:
    """Return one row per message of the campaign, with the selected draft's text."""
    return await _rows(session, CampaignRow.name == campaign)


async def run_rows(session: AsyncSession, *, run_id: str) -> list[dict[str, Any]]:
    """Return one row per message a run wrote (a distributed run's results file)."""
    return await _rows(session, MessageRow.run_id == run_id)


async def _rows(session: AsyncSession, where: Any) -> list[dict[str, Any]]:
    result = await session.execute(
        select(MessageRow, LeadRow, CampaignRow.name)
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .join(CampaignRow, CampaignRow.id == MessageRow.campaign_id)
        .where(where)
        .order_by(MessageRow.id)
    )
    rows = []
    for message, lead, name in result.all():
        chosen = next(
            (v for v in message.variants if v.get("tone") == message.selected_variant), {}
        )
        rows.append(
            {
                "campaign": name,
                "run_id": message.run_id,
                "name": lead.name,
                "email": lead.email,
                "company": lead.company,
                "title": lead.title,
                # The language the message was written in, as its run recorded it (empty for a
                # message from before languages were recorded: the lead's may not be it).
                "language": (message.generation or {}).get("language"),
                "status": message.status,
                "reason": message.reason,
                "selected_variant": message.selected_variant,
                "subject": chosen.get("subject"),
                "body": chosen.get("body"),
                "quality_score": message.quality_score,
                "relevance_score": message.relevance_score,
                "cost_usd": message.cost_usd,
                "created_at": message.created_at.isoformat() if message.created_at else None,
            }
        )
    return rows
