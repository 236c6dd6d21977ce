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


CAMPAIGN_STATUSES = ("draft", "active", "paused", "completed", "cancelled")
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"active", "cancelled"}),
    "active": frozenset({"paused", "completed", "cancelled"}),
    "paused": frozenset({"active", "completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
"""Which status each campaign status may move to; completed and cancelled are final."""


class CampaignConflict(Exception):
    """A campaign change that cannot be made (a name in use, a status move not allowed)."""


def check_transition(current: str, new: str) -> None:
    """Raise CampaignConflict unless a campaign may move from current to new status."""
    if new == current:
        return
    allowed = TRANSITIONS.get(current, frozenset())
    if new not in allowed:
        choices = ", ".join(sorted(allowed)) or "nothing (it is final)"
        raise CampaignConflict(f"a {current} campaign cannot become {new}; it can become {choices}")


async def check_name_free(session: AsyncSession, name: str) -> None:
    """Raise CampaignConflict if a campaign already has this name."""
    if await get_campaign(session, name=name) is not None:
        raise CampaignConflict(f"a campaign named {name!r} already exists")


async def create_campaign(session: AsyncSession, row: CampaignRow) -> CampaignRow:
    """Insert a new campaign; its name must be unused."""
    await check_name_free(session, row.name)
    session.add(row)
    await session.flush()
    await session.refresh(row)  # load database-side defaults (timestamps)
    return row


async def list_campaigns(
    session: AsyncSession, *, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[CampaignRow]:
    """Return campaigns, newest first, optionally of one status."""
    query = select(CampaignRow).order_by(CampaignRow.id.desc()).limit(limit).offset(offset)
    if status is not None:
        query = query.where(CampaignRow.status == status)
    return list(await session.scalars(query))


async def all_campaigns(session: AsyncSession) -> list[CampaignRow]:
    """Return every campaign, oldest first."""
    return list(await session.scalars(select(CampaignRow).order_by(CampaignRow.id)))
