"""Message rows as the API lists them: filtered by campaign and status, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MessageRow


async def list_messages(
    session: AsyncSession,
    *,
    campaign_id: int | None = None,
    statuses: Sequence[str] = (),
    run_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[MessageRow], int]:
    """Return a page of messages (oldest first) and how many match in all."""
    conditions = []
    if campaign_id is not None:
        conditions.append(MessageRow.campaign_id == campaign_id)
    if statuses:
        conditions.append(MessageRow.status.in_(statuses))
    if run_id is not None:
        conditions.append(MessageRow.run_id == run_id)
    total = await session.scalar(select(func.count(MessageRow.id)).where(*conditions)) or 0
    rows = await session.scalars(
        select(MessageRow).where(*conditions).order_by(MessageRow.id).limit(limit).offset(offset)
    )
    return list(rows), total
