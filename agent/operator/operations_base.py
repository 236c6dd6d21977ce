"""The state every operation shares (settings, database, reviewer, clock) and its row lookups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from agent.campaigns.stored import find_campaign
from agent.operator.views import OperatorError
from agent.settings import Settings
from storage.campaigns import list_campaigns
from storage.database import Database
from storage.leads import lead_facts
from storage.models import MAX_ROW_ID, CampaignRow, FactRow, LeadRow, MessageRow
from tools.facts import utc_now


def check_id(value: int, what: str) -> int:
    """Return value if it can be a row id, else raise OperatorError naming what it should be."""
    if not 0 < value <= MAX_ROW_ID:
        raise OperatorError(f"{what} {value} is not a valid id (ids are positive numbers)")
    return value


def fact_data(fact: FactRow) -> dict[str, Any]:
    """Return a stored fact as the agent reads it."""
    return {
        "id": fact.fact_id,
        "kind": fact.kind,
        "text": fact.text,
        "title": fact.title,
        "source_url": fact.source_url,
        "published": fact.published.isoformat() if fact.published else None,
        "retrieved_at": fact.retrieved_at.isoformat(),
    }


class OperationsBase:
    """The operations' shared state, bound to one database and configuration."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        reviewer: str = "operator",
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.db = db
        self.reviewer = reviewer
        self.clock = clock

    async def _campaign(self, ref: str | int) -> CampaignRow:
        async with self.db.sessions() as session:
            row = await find_campaign(session, ref)
            if row is None:
                names = [c.name for c in await list_campaigns(session, limit=20)]
                known = ", ".join(names) if names else "none yet"
                raise OperatorError(f"there is no campaign {ref!r} (campaigns: {known})")
            return row

    async def _lead(self, lead_id: int) -> LeadRow:
        async with self.db.sessions() as session:
            row = await session.get(LeadRow, check_id(lead_id, "lead"))
        if row is None:
            raise OperatorError(f"there is no lead {lead_id}; `leads` lists them")
        return row

    async def _message(self, message_id: int) -> tuple[MessageRow, LeadRow, CampaignRow]:
        async with self.db.sessions() as session:
            message = await session.get(MessageRow, check_id(message_id, "message"))
            if message is None:
                raise OperatorError(f"there is no message {message_id}; `queue` lists them")
            lead = await session.get(LeadRow, message.lead_id)
            campaign = await session.get(CampaignRow, message.campaign_id)
        assert lead is not None and campaign is not None
        return message, lead, campaign

    async def _facts(self, lead_id: int, ids: Sequence[str] | None = None) -> list[FactRow]:
        async with self.db.sessions() as session:
            return await lead_facts(session, lead_id=lead_id, fact_ids=ids)
