"""Redis (the shared rate limits) going away mid-batch is the infrastructure failing, not the
lead: the worker hands the lead back to the broker to be tried again, rather than storing it as
held for a person, and once Redis is back the lead runs to its own outcome, counted once.

The runtime is the one `outreach worker` hosts, driven here without a broker; Redis is a server
of this test's own, killed and restarted (the machine's Redis stays up for the other tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.exceptions as redis_errors
from sqlalchemy import select

from agent.settings import Settings
from agent.workers.runtime import WorkerRuntime
from storage.database import Database
from storage.models import MessageRow
from tests.agent.test_openai_provider import answer_like_a_model
from tests.agent.workers.cluster import seed_campaign
from tests.agent.workers.test_counted_once import _migrated, _run, _start
from tests.demo_people import people
from tests.fakes.openai_stub import OpenAIStub, Respond
from tests.fakes.private_redis import PrivateRedis


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    with PrivateRedis(tmp_path) as server:
        yield server


@pytest.fixture
def runtime(
    database_url: str,
    tmp_path: Path,
    demo_resolve: dict[str, str],
    stub: OpenAIStub,
    redis: PrivateRedis,
) -> Iterator[WorkerRuntime]:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "worker",
        llm_provider="openai",
        llm_base_url=stub.base_url,
        llm_api_key="test-key",  # type: ignore[arg-type]
        llm_max_retries=0,
        llm_requests_per_second=1000,
        llm_fallback="none",
        redis_url=redis.url,
        resolve=demo_resolve,
        allow_private_networks=True,
        _env_file=None,  # type: ignore[call-arg]
    )
    asyncio.run(_migrated(database_url))
    running = WorkerRuntime(settings)
    yield running
    running.close()


async def _messages(url: str, run_id: str) -> list[str]:
    async with await Database.connect(url) as db, db.sessions() as session:
        rows = await session.scalars(select(MessageRow.status).where(MessageRow.run_id == run_id))
        return list(rows)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_lead_cut_off_by_redis_going_away_is_retried_not_held(
    database_url: str, runtime: WorkerRuntime, redis: PrivateRedis, stub: OpenAIStub
) -> None:
    campaign_id, (priya, maya) = asyncio.run(
        seed_campaign(database_url, people(("priya", "maya"), 1), sender="ana@brightpath.example")
    )
    run_id = asyncio.run(_start(database_url, campaign_id, [priya, maya]))
    stub.enqueue(*[Respond(answer_like_a_model)] * 8)
    # The run is open in this worker (its pipeline, its limiters) when Redis goes away.
    assert runtime.call(runtime.run_lead(run_id, priya, None)) == f"lead {priya}: approved"
    redis.stop()
    # The task fails (Celery tries it again, backing off) instead of storing the lead as held.
    with pytest.raises(redis_errors.ConnectionError):
        runtime.call(runtime.run_lead(run_id, maya, None))
    status, processed, total, done = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total) == ("running", 1, 2)  # Maya not counted, not held
    assert len(done) == 1
    assert asyncio.run(_messages(database_url, run_id)) == ["approved"]  # Priya's alone

    redis.start()
    assert runtime.call(runtime.run_lead(run_id, maya, None)) == f"lead {maya}: approved"
    status, processed, total, done = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total) == ("completed", 2, 2)
    assert len(done) == 2
    assert asyncio.run(_messages(database_url, run_id)) == ["approved", "approved"]
