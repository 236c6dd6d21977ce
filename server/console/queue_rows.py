"""The review queue a page at a time, and a draft's neighbours in it (for j/k)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storage.database import Database
from storage.messages import list_messages
from storage.models import CampaignRow, LeadRow, MessageRow

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueRow:
    """One waiting draft as the queue lists it."""

    id: int
    version: int
    lead: str
    company: str
    campaign: str
    reason: str
    tone: str | None
    quality: float | None
    relevance: float | None


@dataclass(frozen=True)
class QueuePage:
    """One page of waiting drafts, oldest first."""

    rows: list[QueueRow]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the queue fills (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


async def queue_page(db: Database, *, page: int) -> QueuePage:
    """Return page `page` (from 1) of the messages waiting for a human."""
    async with db.sessions() as session:
        messages, total = await list_messages(
            session, statuses=["queued"], limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        lead_ids = {m.lead_id for m in messages}
        campaign_ids = {m.campaign_id for m in messages}
        leads = {
            row.id: row
            for row in await session.scalars(select(LeadRow).where(LeadRow.id.in_(lead_ids)))
        }
        names = await session.execute(
            select(CampaignRow.id, CampaignRow.name).where(CampaignRow.id.in_(campaign_ids))
        )
        campaigns = {campaign_id: name for campaign_id, name in names}
    rows = [
        QueueRow(
            id=m.id,
            version=m.version,
            lead=leads[m.lead_id].name,
            company=leads[m.lead_id].company,
            campaign=campaigns.get(m.campaign_id, ""),
            reason=m.reason,
            tone=m.selected_variant,
            quality=m.quality_score,
            relevance=m.relevance_score,
        )
        for m in messages
    ]
    return QueuePage(rows=rows, total=total, page=page)


async def neighbours(db: Database, message_id: int) -> tuple[int | None, int | None]:
    """Return the waiting drafts just before and just after this one (ids, or None)."""
    queued = MessageRow.status == "queued"
    async with db.sessions() as session:
        before = await session.scalar(
            select(MessageRow.id)
            .where(queued, MessageRow.id < message_id)
            .order_by(MessageRow.id.desc())
            .limit(1)
        )
        after = await session.scalar(
            select(MessageRow.id)
            .where(queued, MessageRow.id > message_id)
            .order_by(MessageRow.id)
            .limit(1)
        )
    return before, after
