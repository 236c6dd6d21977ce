"""A distributed run stopped with several leads held (the infrastructure failed them) and one
never run: queued again, every lead not done goes back to the workers exactly once, a held
lead is retried from its checkpoint rather than kept as held, a redelivery changes nothing,
and the run completes when the last retry is stored, each lead counted once.

The runtime is the one `outreach worker` hosts, driven here without a broker."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import select

from agent.runs.queued_runs import requeue_unfinished
from agent.workers.runtime import WorkerRuntime
from storage.database import Database
from storage.models import MessageRow
from tests.agent.workers.cluster import seed_campaign
from tests.agent.workers.test_counted_once import RecordingQueue, _run, _start, runtime
from tests.demo_people import people

__all__ = ["runtime"]  # the fixture, shared with test_counted_once


async def _requeue(url: str) -> list[tuple[str, int]]:
    queue = RecordingQueue()
    async with await Database.connect(url) as db:
        await requeue_unfinished(db, queue)
    return queue.queued


async def _messages(url: str, run_id: str) -> Counter[tuple[int | None, str]]:
    async with await Database.connect(url) as db, db.sessions() as session:
        rows = await session.execute(
            select(MessageRow.lead_id, MessageRow.status).where(MessageRow.run_id == run_id)
        )
        return Counter((lead_id, status) for lead_id, status in rows)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_requeued_run_retries_each_held_lead_once_and_completes_on_the_last(
    database_url: str, runtime: WorkerRuntime
) -> None:
    campaign_id, (maya, priya, jonas, daniel) = asyncio.run(
        seed_campaign(
            database_url,
            people(("maya", "priya", "jonas", "daniel"), 1),
            sender="ana@brightpath.example",
        )
    )
    run_id = asyncio.run(_start(database_url, campaign_id, [maya, priya, jonas, daniel]))
    for held in (maya, priya):
        said = runtime.call(runtime.hold_lead(run_id, held, None, "OperationalError: DB away"))
        assert said == f"lead {held} held: OperationalError: DB away"
    assert runtime.call(runtime.run_lead(run_id, jonas, None)) == f"lead {jonas}: approved"
    status, processed, total, done = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total) == ("running", 3, 4)  # Daniel's task was lost
    assert len(done) == 1  # Jonas alone is done; the held two are counted, not done

    # The API restarts: what is not done goes back to the workers, Jonas does not.
    requeued = asyncio.run(_requeue(database_url))
    assert sorted(requeued) == sorted((run_id, lead) for lead in (maya, priya, daniel))
    status, processed, total, _ = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total) == ("running", 1, 4)  # the held two count again later

    assert runtime.call(runtime.run_lead(run_id, maya, None)) == f"lead {maya}: approved"
    assert runtime.call(runtime.run_lead(run_id, maya, None)) == f"lead {maya} was already done"
    assert runtime.call(runtime.run_lead(run_id, daniel, None)) == f"lead {daniel}: approved"
    status, processed, total, _ = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total) == ("running", 3, 4)  # Priya's retry is still to come
    assert runtime.call(runtime.run_lead(run_id, priya, None)) == f"lead {priya}: approved"

    status, processed, total, done = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total) == ("completed", 4, 4)
    assert len(done) == 4
    # One message a lead, each the retry's outcome: no held record is left behind.
    assert asyncio.run(_messages(database_url, run_id)) == Counter(
        {(lead, "approved"): 1 for lead in (maya, priya, jonas, daniel)}
    )
    assert asyncio.run(_requeue(database_url)) == []  # nothing left to hand out
