"""Resuming a run on the workers from the console: while its workers show signs of working on
it, resume is refused (queued again, a lead in flight would run twice at once); once they went
quiet, the leads not done go back on the queue, the one done does not, a second resume right
after is refused, and the run completes when the workers have them. A server without a broker
says where the run can be resumed instead of starting it."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select, update

from agent.runs.background import BackgroundRuns, ResumeRefused
from agent.runs.queued_runs import WORKERS_QUIET
from agent.settings import Settings
from agent.workers.runtime import WorkerRuntime
from storage.database import Database
from storage.models import MessageRow, RunRow
from tests.agent.workers.cluster import seed_campaign
from tests.agent.workers.test_counted_once import RecordingQueue, _run, _start, runtime
from tests.demo_people import people

__all__ = ["runtime"]  # the fixture, shared with test_counted_once


async def _resume(url: str, run_id: str, queue: RecordingQueue | None) -> None:
    async with await Database.connect(url) as db:
        await BackgroundRuns(db, Settings(database_url=url), queue=queue).resume(run_id)


async def _workers_went_quiet(url: str, run_id: str) -> None:
    """Move the run's start and its stored leads back past WORKERS_QUIET (database clock)."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        now = await session.scalar(select(func.now()))
        assert now is not None
        before = now - WORKERS_QUIET - dt.timedelta(seconds=10)
        await session.execute(update(RunRow).where(RunRow.id == run_id).values(started_at=before))
        await session.execute(
            update(MessageRow).where(MessageRow.run_id == run_id).values(created_at=before)
        )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_run_on_the_workers_is_resumed_by_queueing_what_is_not_done(
    database_url: str, runtime: WorkerRuntime
) -> None:
    campaign_id, (maya, priya, jonas) = asyncio.run(
        seed_campaign(
            database_url, people(("maya", "priya", "jonas"), 1), sender="ana@brightpath.example"
        )
    )
    run_id = asyncio.run(_start(database_url, campaign_id, [maya, priya, jonas]))
    # One lead done; the broker then lost the other two (a flushed queue, say).
    assert runtime.call(runtime.run_lead(run_id, maya, None)) == f"lead {maya}: approved"

    with pytest.raises(ResumeRefused, match="no broker") as refused:
        asyncio.run(_resume(database_url, run_id, queue=None))
    assert refused.value.reason == "elsewhere"

    # Right after a lead was stored the workers may have others in flight.
    busy = RecordingQueue()
    with pytest.raises(ResumeRefused, match="being worked on") as running:
        asyncio.run(_resume(database_url, run_id, busy))
    assert running.value.reason == "running"
    assert busy.queued == []

    asyncio.run(_workers_went_quiet(database_url, run_id))
    queue = RecordingQueue()
    asyncio.run(_resume(database_url, run_id, queue))
    assert sorted(queue.queued) == sorted([(run_id, priya), (run_id, jonas)])

    again = RecordingQueue()  # a second click right after: the leads are already queued
    with pytest.raises(ResumeRefused, match="queued again") as twice:
        asyncio.run(_resume(database_url, run_id, again))
    assert twice.value.reason == "running"
    assert again.queued == []

    for _, lead_id in queue.queued:  # the workers take them
        runtime.call(runtime.run_lead(run_id, lead_id, None))
    status, processed, total, done = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total, len(done)) == ("completed", 3, 3, 3)

    with pytest.raises(ResumeRefused) as finished:  # nothing left to resume
        asyncio.run(_resume(database_url, run_id, RecordingQueue()))
    assert finished.value.reason == "finished"
