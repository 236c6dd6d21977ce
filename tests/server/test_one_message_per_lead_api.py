"""One lead has one current message per campaign (issue 17, item 7).

Re-running generate-messages with explicit lead_ids gave one lead four messages in the same
campaign. Now a re-run rewrites the drafts of a message nobody has acted on (same id, its
history kept) and refuses with 409, naming the lead and its message, a lead whose message is
approved, sent or otherwise settled; two concurrent requests for one lead never make two.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx

from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import MessageRow
from tests.server.api_helpers import api_client, create_campaign, import_demo_leads, live_api


def _generate(client: httpx.Client, campaign_id: int, lead_ids: list[int]) -> httpx.Response:
    return client.post(
        f"/api/v1/campaigns/{campaign_id}/generate-messages?wait=true",
        json={"lead_ids": lead_ids},
        timeout=180,
    )


def _messages_of(client: httpx.Client, campaign_id: int, lead_id: int) -> list[dict[str, Any]]:
    items = client.get(f"/api/v1/campaigns/{campaign_id}/messages", params={"limit": 500}).json()
    return [m for m in items["items"] if m["lead_id"] == lead_id]


async def _stored(url: str, message_id: int) -> MessageRow:
    async with await Database.connect(url) as db, db.sessions() as session:
        row = await session.get(MessageRow, message_id)
        assert row is not None
        return row


def test_generating_again_rewrites_a_waiting_message_in_place_and_keeps_its_history(
    client: httpx.Client, server_settings: Settings
) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client, auto_send=False)
    maya = ids["Maya Okafor"]
    first = _generate(client, campaign["id"], [maya])
    assert first.status_code == 200, first.text
    (message,) = first.json()["messages"]
    assert message["status"] == "queued"
    regenerated = client.post(
        f"/api/v1/messages/{message['id']}/review",
        json={"action": "regenerate", "instruction": "mention the Series B"},
        timeout=120,
    )
    assert regenerated.status_code == 200, regenerated.text
    version = regenerated.json()["message"]["version"]

    runs = []
    for _ in range(3):
        again = _generate(client, campaign["id"], [maya])
        assert again.status_code == 200, again.text
        (rewritten,) = again.json()["messages"]
        assert rewritten["id"] == message["id"], "the same message, not a new one"
        assert rewritten["run_id"] == again.json()["run_id"] != message["run_id"]
        assert rewritten["status"] == "queued" and rewritten["version"] > version
        version = rewritten["version"]
        runs.append(again.json()["run_id"])
    assert len(set(runs)) == 3
    assert [m["id"] for m in _messages_of(client, campaign["id"], maya)] == [message["id"]]
    assert client.get(f"/api/v1/campaigns/{campaign['id']}").json()["total_messages"] == 1

    assert server_settings.database_url is not None
    row = asyncio.run(_stored(server_settings.database_url, message["id"]))
    assert [r["action"] for r in row.reviews] == ["regenerate"], "its reviews are kept"
    history = row.generation["history"]
    assert [h["run_id"] for h in history] == [message["run_id"], *runs[:-1]]
    assert all(len(h["variants"]) == 3 for h in history), "earlier drafts are kept"

    # The reviewer still acts on it, in the run that wrote its current drafts.
    approved = client.post(f"/api/v1/messages/{message['id']}/review", json={"action": "approve"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["message"]["status"] == "approved"


def test_a_lead_whose_message_is_approved_is_refused_with_409_naming_it(
    client: httpx.Client,
) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client)  # auto-send on: good drafts are approved for sending
    maya, tom = ids["Maya Okafor"], ids["Tom Keller"]
    first = {
        m["lead_id"]: m for m in _generate(client, campaign["id"], [maya, tom]).json()["messages"]
    }
    assert first[maya]["status"] == "approved" and first[tom]["status"] == "rejected"

    refused = _generate(client, campaign["id"], [tom, maya])
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert f"lead {maya} (Maya Okafor) already has message {first[maya]['id']}" in problem["detail"]
    assert "approved" in problem["detail"] and "nothing was started" in problem["detail"]
    assert problem["errors"] == [
        {
            "field": "lead_ids",
            "lead_id": maya,
            "message_id": first[maya]["id"],
            "status": "approved",
            "message": problem["errors"][0]["message"],
        }
    ]
    # Nothing was started: Tom's rejected message was not rewritten either.
    assert (
        client.get(f"/api/v1/messages/{first[tom]['id']}").json()["version"]
        == first[tom]["version"]
    )
    assert len(_messages_of(client, campaign["id"], maya)) == 1

    # A rejected message is the lead's to rewrite: same id, new drafts.
    again = _generate(client, campaign["id"], [tom])
    assert again.status_code == 200, again.text
    assert [m["id"] for m in again.json()["messages"]] == [first[tom]["id"]]

    # Sent is settled too.
    client.put(f"/api/v1/messages/{first[maya]['id']}/status", json={"status": "sent"})
    sent = _generate(client, campaign["id"], [maya])
    assert sent.status_code == 409 and "sent" in sent.json()["detail"]


def test_two_concurrent_requests_for_one_lead_make_one_message(
    server_settings: Settings, api_key: str, campaign: Campaign
) -> None:
    with live_api(server_settings, campaign) as base_url:
        with api_client(base_url, api_key, timeout=180) as client:
            ids = import_demo_leads(client)
            created = create_campaign(client, auto_send=False)
        maya = ids["Maya Okafor"]
        ready = threading.Barrier(2)
        answers: list[httpx.Response] = []

        def ask() -> None:
            with api_client(base_url, api_key, timeout=180) as own:
                ready.wait()
                answers.append(_generate(own, created["id"], [maya]))

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(a.status_code for a in answers)
        assert statuses in ([200, 200], [200, 409]), [a.text for a in answers]
        for answer in answers:
            if answer.status_code == 409:
                assert f"lead {maya} (Maya Okafor)" in answer.json()["detail"]
                assert "being written to by run" in answer.json()["detail"]
        with api_client(base_url, api_key) as client:
            messages = _messages_of(client, created["id"], maya)
            assert len(messages) == 1, messages
            assert client.get(f"/api/v1/campaigns/{created['id']}").json()["total_messages"] == 1
