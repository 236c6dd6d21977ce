"""Campaign rows: find or create by name, keep totals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CampaignRow


async def get_or_create_campaign(
    session: AsyncSession, *, name: str, channel: str, value_proposition: str,
    target_audience: dict[str, Any], settings: dict[str, Any],
) -> CampaignRow:  # fmt: skip
    """Return the campaign with this name, creating it (as draft) the first time."""
    row = await session.scalar(select(CampaignRow).where(CampaignRow.name == name))
    if row is None:
        row = CampaignRow(
            name=name,
            channel=channel,
            value_proposition=value_proposition,
            target_audience=target_audience,
            settings=settings,
        )
        session.add(row)
        await session.flush()
    return row


async def get_campaign(session: AsyncSession, *, name: str) -> CampaignRow | None:
    """Return a campaign by name."""
    return await session.scalar(select(CampaignRow).where(CampaignRow.name == name))
