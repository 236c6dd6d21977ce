"""The API's priorities and weekly plan learn from the campaign's outcomes: leads of the
segment whose messages earned positive replies rank first, with the data and the prior in the
reason, and a reset of the campaign's learning takes the shift away."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import update

from storage.database import Database
from storage.models import CampaignRow
from tests.agent.learning.learning_seed import seed_learning_campaign

SEGMENTS = [
    {"name": "retail", "share": 0.5, "match": {"industry": "retail"}},
    {"name": "platform", "share": 0.5, "match": {"industry": "platform"}},
]


async def _seed(url: str) -> int:
    async with await Database.connect(url) as db:
        campaign_id = await seed_learning_campaign(db)
        async with db.sessions.begin() as session:
            settings = {"segments": SEGMENTS, "segment_split": "full"}
            await session.execute(
                update(CampaignRow).where(CampaignRow.id == campaign_id).values(settings=settings)
            )
        return campaign_id


def _ranked(client: httpx.Client, campaign_id: int) -> list[dict[str, Any]]:
    reply = client.post(f"/api/v1/campaigns/{campaign_id}/prioritize", json={"top": 80})
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


def test_outcomes_rank_the_answering_segment_first_until_learning_is_reset(
    client: httpx.Client, database_url: str
) -> None:
    campaign_id = asyncio.run(_seed(database_url))  # platform 12/40 positive, retail 1/40
    ranked = _ranked(client, campaign_id)
    assert [item["segment"] for item in ranked[:40]] == ["platform"] * 40
    assert (
        "+0.32 reply chance: segment 'platform' 12/40 positive, prior Beta(1,9)"
        in ranked[0]["reasons"]
    )
    assert (
        "-0.12 reply chance: segment 'retail' 1/40 positive, prior Beta(1,9)"
        in ranked[-1]["reasons"]
    )

    reset = client.delete(f"/api/v1/campaigns/{campaign_id}/learning")
    assert reset.status_code in (200, 204), reset.text
    after = _ranked(client, campaign_id)
    assert not any("reply chance" in str(item["reasons"]) for item in after)
    # Each score lost exactly its reply-chance part: +0.32 for platform, -0.12 for retail.
    lift = {"platform": 0.32, "retail": -0.12}
    before = {item["email"]: item for item in ranked}
    for item in after:
        shift = before[item["email"]]["score"] - item["score"]
        assert round(shift, 4) == lift[item["segment"]], item
