"""Sequences through the REST API's campaigns, and the scheduler inside `outreach serve`."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select, update

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.leads.store import store_leads
from agent.sequences.enrollment import enroll_leads
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from storage.database import Database
from storage.sequence_models import SequenceStepRow
from tests.conftest import OPEN_LIMITS
from tests.server.api_helpers import DEMO_AUDIENCE, live_api


def test_a_campaign_sequence_is_refused_by_step_and_field_and_stored_when_valid(
    client: httpx.Client,
) -> None:
    bad = {
        "name": "q1-sequence",
        "channel": "email",
        "target_audience": DEMO_AUDIENCE,
        "sequence": [
            {"channel": "email", "kind": "first_touch"},
            {"channel": "pigeon", "kind": "soft_nudge", "delay_business_days": 2},
        ],
    }
    refused = client.post("/api/v1/campaigns", json=bad)
    assert refused.status_code == 422
    assert "sequence step 2, field channel" in refused.text
    assert client.get("/api/v1/campaigns").json()["items"] == []  # nothing was written
    created = client.post("/api/v1/campaigns", json={**bad, "sequence": "5-step"})
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    assert client.get(f"/api/v1/campaigns/{campaign_id}").json()["sequence"] == "5-step"
    steps = [{"channel": "email", "kind": "first_touch", "window": "08:00-11:30"}]
    changed = client.patch(f"/api/v1/campaigns/{campaign_id}", json={"sequence": steps})
    assert changed.status_code == 200, changed.text
    assert changed.json()["sequence"][0]["window"] == "08:00-11:30"
    other = client.patch(f"/api/v1/campaigns/{campaign_id}", json={"description": "Q1 push"})
    assert other.status_code == 200 and other.json()["sequence"] == changed.json()["sequence"]
    unknown = client.patch(f"/api/v1/campaigns/{campaign_id}", json={"sequence": "9-step"})
    assert unknown.status_code == 422 and "unknown preset" in unknown.text


async def _due_now(url: str, campaign: Campaign, maya: Lead, settings: Settings) -> None:
    spec = CampaignSpec.of_campaign(campaign).model_copy(
        update={
            "sequence": CampaignSpec.model_validate(
                {"name": "x", "sequence": [{"channel": "email", "kind": "first_touch",
                                            "window": "00:00-24:00"}]}
            ).sequence,
        }
    )  # fmt: skip
    spec.policy.auto_send = True
    async with await Database.connect(url, migrate=True) as db:
        ids = await store_leads(db, [maya])
        async with db.sessions.begin() as session:
            row = await store_spec(session, spec)
            await enroll_leads(session, row, ids, settings=settings, now=dt.datetime.now(dt.UTC))
            await session.execute(update(SequenceStepRow).values(due_at=dt.datetime.now(dt.UTC)))


async def _step_status(url: str) -> str:
    async with await Database.connect(url) as db, db.sessions() as session:
        return str(await session.scalar(select(SequenceStepRow.status)))


def test_the_server_runs_sequence_steps_as_they_come_due(
    database_url: str,
    offline_settings: Callable[..., Settings],
    campaign: Campaign,
    maya: Lead,
    api_key: str,
) -> None:
    settings = offline_settings(**OPEN_LIMITS, sequence_tick_s=0.2, dispatch_interval_s=0.2)
    asyncio.run(_due_now(database_url, campaign, maya, settings))
    outbox = settings.data_dir / "outbox.jsonl"
    with live_api(settings, campaign, clock=lambda: dt.datetime.now(dt.UTC)):
        deadline = time.monotonic() + 120
        while asyncio.run(_step_status(database_url)) != "sent" and time.monotonic() < deadline:
            time.sleep(0.1)
    assert asyncio.run(_step_status(database_url)) == "sent"
    sent: list[dict[str, Any]] = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert [m["to"] for m in sent] == [maya.email]
    assert "Maya" in sent[0]["body"]
