"""Helpers shared by the chat tests."""

from __future__ import annotations

from typing import Any

from agent.campaigns.spec import PIPELINE_FIELDS
from graphs.lead import Campaign
from storage.campaigns import get_or_create_campaign
from storage.database import Database


async def seed_campaign(url: str, campaign: Campaign, name: str = "Q1 launch") -> int:
    """Store the demo campaign as the API would (auto-send off: every message is reviewed)."""
    values = campaign.model_dump(mode="json")
    settings: dict[str, Any] = {k: values[k] for k in PIPELINE_FIELDS if values.get(k)}
    settings["policy"] = {"auto_send": False}
    async with await Database.connect(url, migrate=True) as db, db.sessions.begin() as session:
        row = await get_or_create_campaign(
            session,
            name=name,
            channel="email",
            value_proposition=campaign.value_proposition,
            target_audience=values["target"],
            settings=settings,
        )
        return row.id
