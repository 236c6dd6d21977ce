"""A worker handed the same lead twice (a broker redelivering it, a run queued again) counts it
once, whatever became of it: stored, kept (its campaign message already stands) or erased;
and a lead the infrastructure keeps failing is stored as held, so its run still ends.

The runtime is the one `outreach worker` hosts, driven here without a broker."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from agent.leads.store import erase_person
from agent.runs.background import BackgroundRuns, RunRequest
from agent.settings import Settings
from agent.workers.runtime import WorkerRuntime
from graphs.lead import Lead
from storage.database import Database
from storage.models import CampaignRow, RunRow
from storage.runs import finished_threads
from tests.agent.workers.cluster import seed_campaign
from tests.demo_people import people


class RecordingQueue:
    """Stands in for the broker: keeps what a run would have queued."""

    def __init__(self) -> None:
        self.queued: list[tuple[str, int]] = []

    async def enqueue(self, run_id: str, leads: Sequence[tuple[int, Lead | None]]) -> int:
        self.queued += [(run_id, lead_id) for lead_id, _ in leads]
        return len(leads)


@pytest.fixture
def runtime(
    database_url: str, tmp_path: Path, demo_resolve: dict[str, str]
) -> Iterator[WorkerRuntime]:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "worker",
        llm_provider="offline",
        resolve=demo_resolve,
        allow_private_networks=True,
        _env_file=None,  # type: ignore[call-arg]
    )
    asyncio.run(_migrated(database_url))
    running = WorkerRuntime(settings)
    yield running
    running.close()


async def _migrated(url: str) -> None:
    async with await Database.connect(url, migrate=True):
        pass


async def _start(url: str, campaign_id: int, lead_ids: list[int]) -> str:
    async with await Database.connect(url) as db:
        runs = BackgroundRuns(db, Settings(database_url=url), queue=RecordingQueue())
        async with db.sessions() as session:
            campaign = await session.get(CampaignRow, campaign_id)
        assert campaign is not None
        return await runs.start(campaign, RunRequest(lead_ids=lead_ids))


async def _run(url: str, run_id: str) -> tuple[str, int, int, set[str]]:
    async with await Database.connect(url) as db, db.sessions() as session:
        run = await session.get(RunRow, run_id)
        assert run is not None
        return run.status, run.processed, run.total, await finished_threads(session, run_id=run_id)


async def _erase(url: str, lead_id: int) -> None:
    async with await Database.connect(url) as db:
        assert await erase_person(db, lead_id) is not None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_stored_kept_and_erased_leads_are_each_counted_once(
    database_url: str, runtime: WorkerRuntime
) -> None:
    leads = people(("maya", "priya", "jonas"), 1)
    campaign_id, (maya, priya, jonas) = asyncio.run(
        seed_campaign(database_url, leads, sender="ana@brightpath.example")
    )
    first = asyncio.run(_start(database_url, campaign_id, [maya]))
    assert runtime.call(runtime.run_lead(first, maya, None)) == f"lead {maya}: approved"
    # A second run meets Maya's approved message (kept), an erased Jonas and a new Priya.
    second = asyncio.run(_start(database_url, campaign_id, [maya, priya, jonas]))
    asyncio.run(_erase(database_url, jonas))
    for lead_id in (maya, maya, jonas, jonas):  # each handed out twice
        runtime.call(runtime.run_lead(second, lead_id, None))
    status, processed, total, _ = asyncio.run(_run(database_url, second))
    assert (status, processed, total) == ("running", 2, 3)  # Priya is still to come
    outcomes = [runtime.call(runtime.run_lead(second, priya, None)) for _ in range(2)]
    assert outcomes[1] == f"lead {priya} was already done"
    status, processed, total, done = asyncio.run(_run(database_url, second))
    assert (status, processed, total) == ("completed", 3, 3)
    assert len(done) == 3  # a resumed run would queue none of them again


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_lead_the_infrastructure_keeps_failing_is_held_and_the_run_ends(
    database_url: str, runtime: WorkerRuntime
) -> None:
    campaign_id, (maya,) = asyncio.run(
        seed_campaign(database_url, people(("maya",), 1), sender="ana@brightpath.example")
    )
    run_id = asyncio.run(_start(database_url, campaign_id, [maya]))
    said = runtime.call(runtime.hold_lead(run_id, maya, None, "OperationalError: DB away"))
    assert said == f"lead {maya} held: OperationalError: DB away"
    status, processed, total, done = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total) == ("completed", 1, 1)
    assert not done  # held: a resumed run (or a restarted API server) queues it again
    outcome: Any = runtime.call(runtime.run_lead(run_id, maya, None))
    assert outcome == f"lead {maya}: approved"  # retried from where it was, once
    assert asyncio.run(_run(database_url, run_id))[1:3] == (1, 1)
