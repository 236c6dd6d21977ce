"""Batch runs and messages over HTTP: generate, follow (poll and SSE), review, report status."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx

from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.runs import start_run
from tests.server.api_helpers import create_campaign, import_demo_leads, serve


def wait_for_run(client: httpx.Client, run_id: str, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run = client.get(f"/api/v1/runs/{run_id}").json()
        if run["status"] in ("completed", "failed"):
            return dict(run)
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish")


def test_generate_and_wait_returns_the_seed_shape(client: httpx.Client) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client)
    response = client.post(
        f"/api/v1/campaigns/{campaign['id']}/generate-messages?wait=true",
        json={"custom_context": "We are at KubeCon next month."},
        timeout=180,
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["success"] is True and result["campaign_id"] == campaign["id"]
    assert result["messages_generated"] == 7
    assert result["total_cost_usd"] == 0.0 and result["average_latency_ms"] > 0
    by_lead = {m["lead_id"]: m for m in result["messages"]}
    maya = by_lead[ids["Maya Okafor"]]
    assert [v["tone"] for v in maya["variants"]] == ["professional", "friendly", "direct"]
    assert maya["status"] == "approved", maya["reason"]
    chosen = maya["variants"][maya["selected_variant"]]
    assert chosen["tone"] == maya["selected_tone"]
    assert "Maya" in chosen["body"] and chosen["subject"]
    assert by_lead[ids["Tom Keller"]]["status"] == "rejected"  # a bakery: not the audience
    assert by_lead[ids["Alex Moreno"]]["status"] == "queued"  # research failed: a human checks
    counts = {s: sum(m["status"] == s for m in result["messages"]) for s in ("approved", "queued")}
    assert counts == {"approved": 4, "queued": 2}
    # Nothing left the machine: approved messages wait for the campaign to send them.
    assert all(m["sent_at"] is None for m in result["messages"])


def test_background_run_progress_and_event_stream(client: httpx.Client) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client)
    chosen = [ids["Maya Okafor"], ids["Tom Keller"]]
    started = client.post(
        f"/api/v1/campaigns/{campaign['id']}/generate-messages", json={"lead_ids": chosen}
    )
    assert started.status_code == 202, started.text
    run = started.json()
    assert started.headers["location"] == f"/api/v1/runs/{run['id']}"
    assert run["total"] == 2 and run["lead_ids"] == chosen
    events: list[tuple[str, dict[str, Any]]] = []
    with client.stream("GET", run["events_url"], timeout=120) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        kind = ""
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append((kind, json.loads(line.split(":", 1)[1])))
                if kind == "end":
                    break
    messages = [data for kind, data in events if kind == "message"]
    assert sorted(m["lead_id"] for m in messages) == sorted(chosen)
    assert events[-1] == ("end", {"status": "completed"})
    last_progress = [data for kind, data in events if kind == "progress"][-1]
    assert last_progress["processed"] == 2
    finished = client.get(f"/api/v1/runs/{run['id']}").json()
    assert finished["status"] == "completed" and finished["finished_at"]
    assert (finished["approved"], finished["rejected"]) == (1, 1)
    listed = client.get("/api/v1/messages", params={"run_id": run["id"]}).json()
    assert listed["total"] == 2
    # Asking again writes only to leads this campaign has not written to yet.
    again = client.post(f"/api/v1/campaigns/{campaign['id']}/generate-messages")
    assert again.status_code == 202 and again.json()["total"] == 5


def test_generate_refuses_bad_requests_with_the_field_named(client: httpx.Client) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client)
    unknown = client.post(
        f"/api/v1/campaigns/{campaign['id']}/generate-messages",
        json={"lead_ids": [ids["Maya Okafor"], 999_999]},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "lead_ids"
    assert "999999" in unknown.json()["detail"]
    missing = client.post("/api/v1/campaigns/424242/generate-messages")
    assert missing.status_code == 404
    strict = create_campaign(client, name="Strict", min_qualification_score=90)
    none_qualify = client.post(f"/api/v1/campaigns/{strict['id']}/generate-messages")
    assert (
        none_qualify.status_code == 422 and "qualification score" in none_qualify.json()["detail"]
    )
    assert client.get("/api/v1/messages").json()["total"] == 0  # nothing was started


def test_campaign_without_a_value_proposition_is_refused(
    server_settings: Settings, api_key: str
) -> None:
    with serve(server_settings, None, api_key) as client:
        ids = import_demo_leads(client)
        campaign = client.post(
            "/api/v1/campaigns", json={"name": "Bare", "channel": "email"}
        ).json()
        assert campaign["value_proposition"] is None  # unset, not blank text
        response = client.post(
            f"/api/v1/campaigns/{campaign['id']}/generate-messages",
            json={"lead_ids": [ids["Maya Okafor"]]},
        )
        patched = client.patch(
            f"/api/v1/campaigns/{campaign['id']}", json={"value_proposition": "We make CI fast."}
        ).json()
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "value_proposition"
    assert patched["value_proposition"] == "We make CI fast."


def test_messages_filters_variants_and_status_reports(client: httpx.Client) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client)
    result = client.post(
        f"/api/v1/campaigns/{campaign['id']}/generate-messages?wait=true",
        json={"lead_ids": [ids["Maya Okafor"], ids["Alex Moreno"]]},
        timeout=120,
    ).json()
    by_lead = {m["lead_id"]: m for m in result["messages"]}
    maya, alex = by_lead[ids["Maya Okafor"]], by_lead[ids["Alex Moreno"]]
    base = f"/api/v1/campaigns/{campaign['id']}/messages"
    pending = client.get(base, params={"status": "pending"}).json()
    assert pending["total"] == 2
    approved = client.get(base, params={"status": "approved,sent"}).json()
    assert [m["id"] for m in approved["items"]] == [maya["id"]]
    bad = client.get(base, params={"status": "shipped"})
    assert bad.status_code == 422 and "shipped" in bad.json()["detail"]
    variants = client.get(f"/api/v1/messages/{maya['id']}/variants").json()["variants"]
    assert [v["variant_number"] for v in variants] == [0, 1, 2]
    assert all(v["quality_score"] is not None for v in variants)
    assert client.get("/api/v1/messages/999999").status_code == 404

    early = client.put(f"/api/v1/messages/{maya['id']}/status", json={"status": "opened"})
    assert early.status_code == 409 and "never sent" in early.json()["detail"]
    sent = client.put(
        f"/api/v1/messages/{maya['id']}/status",
        json={"status": "sent", "channel_data": {"email_id": "msg_123", "provider": "sendgrid"}},
    ).json()
    assert sent["status"] == "sent" and sent["provider_message_id"] == "msg_123"
    assert sent["sent_at"]
    client.put(f"/api/v1/messages/{maya['id']}/status", json={"status": "clicked"})
    opened = client.put(f"/api/v1/messages/{maya['id']}/status", json={"status": "opened"})
    assert opened.json()["status"] == "clicked"  # an open after a click does not undo it
    assert client.get(f"/api/v1/campaigns/{campaign['id']}").json()["messages_sent"] == 1
    assert alex["status"] == "queued"


def test_review_actions_resume_the_paused_lead(client: httpx.Client) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client, auto_send=False)
    result = client.post(
        f"/api/v1/campaigns/{campaign['id']}/generate-messages?wait=true",
        json={"lead_ids": [ids["Maya Okafor"], ids["Jonas Weber"]]},
        timeout=120,
    ).json()
    maya, jonas = sorted(result["messages"], key=lambda m: m["lead_id"] != ids["Maya Okafor"])
    assert maya["status"] == "queued" and "auto-send is off" in maya["reason"]

    approved = client.post(
        f"/api/v1/messages/{maya['id']}/review",
        json={"action": "approve", "tone": "direct", "expected_version": maya["version"]},
        timeout=60,
    )
    assert approved.status_code == 200, approved.text
    message = approved.json()["message"]
    assert message["status"] == "approved" and message["selected_tone"] == "direct"
    stale = client.post(
        f"/api/v1/messages/{maya['id']}/review",
        json={"action": "reject", "reason": "changed my mind", "expected_version": 1},
    )
    assert stale.status_code == 409

    incomplete = client.post(f"/api/v1/messages/{jonas['id']}/review", json={"action": "edit"})
    assert incomplete.status_code == 422 and "body" in incomplete.json()["detail"]
    rejected = client.post(
        f"/api/v1/messages/{jonas['id']}/review",
        json={"action": "reject", "reason": "already a customer"},
        timeout=60,
    ).json()["message"]
    assert rejected["status"] == "rejected" and "already a customer" in rejected["reason"]


async def record_accepted_run(url: str, *, run_id: str, campaign_id: int, leads: list[int]) -> None:
    """Write a run row as the API does on accepting a run, without running it."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        await start_run(
            session,
            run_id=run_id,
            campaign_id=campaign_id,
            total=len(leads),
            options={"api": True, "lead_ids": leads},
        )


def _cut_off(settings: Settings, run_id: str, campaign_id: int, leads: list[int]) -> None:
    """A server accepted this run and died before running any of it."""
    assert settings.database_url is not None
    asyncio.run(
        record_accepted_run(
            settings.database_url, run_id=run_id, campaign_id=campaign_id, leads=leads
        )
    )


def _lead_ids(client: httpx.Client, run_id: str) -> list[int]:
    """The leads of the messages a run stored, sorted."""
    messages = client.get("/api/v1/messages", params={"run_id": run_id}).json()
    return sorted(m["lead_id"] for m in messages["items"])


def test_a_run_cut_off_by_a_restart_resumes_on_start_up(
    server_settings: Settings, api_key: str, campaign: Campaign
) -> None:
    with serve(server_settings, campaign, api_key) as client:
        ids = import_demo_leads(client)
        created = create_campaign(client)
    # The server died right after accepting a run: the run row exists, nothing ran.
    chosen = [ids["Maya Okafor"], ids["Priya Natarajan"], ids["Tom Keller"]]
    _cut_off(server_settings, "cutoff123456", created["id"], chosen)
    with serve(server_settings, campaign, api_key) as client:
        run = wait_for_run(client, "cutoff123456")
        assert run["processed"] == 3 and run["approved"] == 2 and run["rejected"] == 1
        assert _lead_ids(client, "cutoff123456") == sorted(chosen)


def test_a_cut_off_run_is_resumed_over_the_api_once(
    server_settings: Settings, api_key: str, campaign: Campaign
) -> None:
    with serve(server_settings, campaign, api_key) as client:
        ids = import_demo_leads(client)
        created = create_campaign(client)
        # Another server accepted this run and died before running it; this one is up.
        chosen = [ids["Maya Okafor"], ids["Tom Keller"]]
        _cut_off(server_settings, "elsewhere123", created["id"], chosen)
        resumed = client.post("/api/v1/runs/elsewhere123/resume")
        assert resumed.status_code == 202, resumed.text
        assert resumed.json()["id"] == "elsewhere123"
        run = wait_for_run(client, "elsewhere123")
        assert (run["status"], run["processed"]) == ("completed", 2)
        assert _lead_ids(client, "elsewhere123") == sorted(chosen)

        again = client.post("/api/v1/runs/elsewhere123/resume")
        assert again.status_code == 409
        assert again.json()["reason"] == "finished"
        assert client.post("/api/v1/runs/nosuchrun000/resume").status_code == 404
