"""A lead whose pipeline failed is held over the API too: refused approval, regenerate, reject."""

from __future__ import annotations

import pytest

from agent.settings import Settings
from graphs.lead import Campaign
from tests.fakes.failing_step import FailingDecide
from tests.server.api_helpers import create_campaign, import_demo_leads, serve


def test_a_held_lead_can_be_regenerated_or_rejected_over_the_api(
    server_settings: Settings, api_key: str, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = FailingDecide(monkeypatch, "Maya Okafor", "Jonas Weber")
    with serve(server_settings, campaign, api_key, timeout=120) as client:
        ids = import_demo_leads(client)
        created = create_campaign(client)
        result = client.post(
            f"/api/v1/campaigns/{created['id']}/generate-messages?wait=true",
            json={"lead_ids": [ids["Maya Okafor"], ids["Jonas Weber"], ids["Daniel Brandt"]]},
        ).json()
        by_lead = {m["lead_id"]: m for m in result["messages"]}
        maya, jonas = by_lead[ids["Maya Okafor"]], by_lead[ids["Jonas Weber"]]
        assert by_lead[ids["Daniel Brandt"]]["status"] == "approved"  # the others go on
        for held in (maya, jonas):
            assert held["status"] == "queued"
            assert held["reason"].startswith("held for a person: the pipeline could not finish")
            assert "regenerate it to run it again, or reject it" in held["reason"]

        url = f"/api/v1/messages/{maya['id']}/review"
        refused = client.post(url, json={"action": "approve"})
        assert refused.status_code == 409 and "no paused drafts" in refused.json()["detail"]

        failing.repair()
        regenerated = client.post(
            url,
            json={
                "action": "regenerate",
                "instruction": "keep it short",
                "expected_version": maya["version"],
            },
        )
        assert regenerated.status_code == 200, regenerated.text
        message = regenerated.json()["message"]
        assert message["status"] == "queued" and not message["reason"].startswith("held")
        drafts = client.get(f"/api/v1/messages/{maya['id']}/variants").json()["variants"]
        assert [d["tone"] for d in drafts] == ["professional", "friendly", "direct"]
        approved = client.post(url, json={"action": "approve", "tone": "direct"})
        assert approved.status_code == 200 and approved.json()["message"]["status"] == "approved"

        rejected = client.post(
            f"/api/v1/messages/{jonas['id']}/review",
            json={"action": "reject", "reason": "wrong person"},
        )
        assert rejected.status_code == 200, rejected.text
        assert rejected.json()["message"]["status"] == "rejected"
        assert rejected.json()["message"]["reason"] == "rejected by api: wrong person"
