"""The API with a broker set: batch runs go to `outreach worker` processes, and come back the
same as when the server runs them itself (the in-process run is tests/server/test_runs_api.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import RunRow
from tests.agent.workers.cluster import cluster_env, start_worker, stop
from tests.server.api_helpers import create_campaign, import_demo_leads, serve
from tests.services import redis_url


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_batch_run_is_written_by_the_workers(
    database_url: str,
    tmp_path: Path,
    demo_resolve: dict[str, str],
    offline_settings: Callable[..., Settings],
    campaign: Campaign,
    api_key: str,
) -> None:
    env = cluster_env(
        database_url=database_url,
        broker_url=redis_url(),
        redis_url=redis_url(),
        data_dir=tmp_path / "worker",
        resolve=demo_resolve,
        OUTREACH_SEQUENCE_TICK_S="0",
    )
    settings = offline_settings(
        broker_url=env["OUTREACH_BROKER_URL"],
        broker_queue=env["OUTREACH_BROKER_QUEUE"],
        redis_url=env["OUTREACH_REDIS_URL"],
        sequence_tick_s=0,
        dispatch_interval_s=0,
    )
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        with serve(settings, campaign, api_key, timeout=180) as client:
            ids = import_demo_leads(client)
            created = create_campaign(client)
            response = client.post(f"/api/v1/campaigns/{created['id']}/generate-messages?wait=true")
            assert response.status_code == 200, response.text
            result = response.json()
    finally:
        stop(worker)
    assert result["messages_generated"] == 7
    by_lead = {m["lead_id"]: m for m in result["messages"]}
    maya = by_lead[ids["Maya Okafor"]]
    assert maya["status"] == "approved", maya["reason"]
    assert [v["tone"] for v in maya["variants"]] == ["professional", "friendly", "direct"]
    assert by_lead[ids["Tom Keller"]]["status"] == "rejected"  # a bakery: not the audience
    assert by_lead[ids["Alex Moreno"]]["status"] == "queued"  # research failed: a human checks
    # The worker wrote them (the server ran nothing itself), and the run says so.
    assert "Task outreach.run_lead" in (tmp_path / "worker.log").read_text()
    async with await Database.connect(database_url) as db, db.sessions() as session:
        run = await session.get(RunRow, result["run_id"])
    assert run is not None and run.options.get("distributed") is True
    assert run.status == "completed" and run.processed == 7


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_broker_that_cannot_be_reached_fails_the_run_and_frees_its_leads(
    database_url: str,
    offline_settings: Callable[..., Settings],
    campaign: Campaign,
    api_key: str,
) -> None:
    settings = offline_settings(
        broker_url="redis://127.0.0.1:1/0", sequence_tick_s=0, dispatch_interval_s=0
    )
    with serve(settings, campaign, api_key, timeout=60) as client:
        ids = import_demo_leads(client)
        created = create_campaign(client)
        asked = {"lead_ids": [ids["Maya Okafor"]]}
        url = f"/api/v1/campaigns/{created['id']}/generate-messages"
        refused = client.post(url, json=asked)
        assert refused.status_code == 503, refused.text
        assert "could not be handed to the workers" in refused.json()["detail"]
        again = client.post(url, json=asked)  # not 409: the failed run holds no lead
        assert again.status_code == 503, again.text
    async with await Database.connect(database_url) as db, db.sessions() as session:
        runs = list(await session.scalars(select(RunRow)))
    assert [run.status for run in runs] == ["failed", "failed"]
    assert all("could not be handed to the workers" in (run.error or "") for run in runs)
