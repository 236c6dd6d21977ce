"""A campaign's `stop_account_on_positive_reply` over the API: on unless set off, and kept on
the stored campaign that the reply path reads."""

from __future__ import annotations

import asyncio

import httpx

from agent.replies.account_stop import stops_account
from storage.database import Database
from storage.models import CampaignRow
from tests.server.api_helpers import create_campaign


async def stored_setting(url: str, campaign_id: int) -> bool:
    async with await Database.connect(url) as db, db.sessions() as session:
        return stops_account(await session.get(CampaignRow, campaign_id))


def test_the_account_stop_is_on_unless_a_campaign_turns_it_off(
    client: httpx.Client, database_url: str
) -> None:
    default = create_campaign(client)
    assert default["stop_account_on_positive_reply"] is True
    assert asyncio.run(stored_setting(database_url, default["id"])) is True

    off = create_campaign(client, name="one by one", stop_account_on_positive_reply=False)
    assert off["stop_account_on_positive_reply"] is False
    assert asyncio.run(stored_setting(database_url, off["id"])) is False
    url = f"/api/v1/campaigns/{off['id']}"
    kept = client.patch(url, json={"description": "another field changes"})
    assert kept.status_code == 200 and kept.json()["stop_account_on_positive_reply"] is False
    on = client.patch(url, json={"stop_account_on_positive_reply": True})
    assert on.status_code == 200 and on.json()["stop_account_on_positive_reply"] is True
    assert asyncio.run(stored_setting(database_url, off["id"])) is True
    bad = client.patch(url, json={"stop_account_on_positive_reply": "perhaps"})
    assert bad.status_code == 422
