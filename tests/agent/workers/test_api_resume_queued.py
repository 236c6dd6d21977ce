"""Resuming a run on the workers from the API (the console's "Resume the run"): the leads not
done go back on the queue, the one done does not, and the run completes when the workers have
them; a server without a broker says where the run can be resumed instead of starting it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

import pytest

from agent.runs.background import BackgroundRuns, ResumeRefused
from agent.settings import Settings
from agent.workers.runtime import WorkerRuntime
from storage.database import Database
from tests.agent.workers.cluster import seed_campaign
from tests.agent.workers.test_counted_once import RecordingQueue, _run, _start, runtime
from tests.demo_people import people
from tools.facts import utc_now

__all__ = ["runtime"]  # the fixture, shared with test_counted_once


def _later(minutes: float) -> Callable[[], dt.datetime]:
    return lambda: utc_now() + dt.timedelta(minutes=minutes)


async def _resume(
    url: str, run_id: str, queue: RecordingQueue | None, *, clock: Callable[[], dt.datetime]
) -> None:
    async with await Database.connect(url) as db:
        runs = BackgroundRuns(db, Settings(database_url=url), queue=queue, clock=clock)
        await runs.resume(run_id)


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
        asyncio.run(_resume(database_url, run_id, queue=None, clock=_later(3)))
    assert refused.value.reason == "elsewhere"

    # Right after a lead was stored the workers may have others in flight: queued again,
    # those would run twice at once, so resume waits until the workers have gone quiet.
    busy = RecordingQueue()
    with pytest.raises(ResumeRefused, match="being worked on") as running:
        asyncio.run(_resume(database_url, run_id, busy, clock=_later(0)))
    assert running.value.reason == "running"
    assert busy.queued == []

    queue = RecordingQueue()
    asyncio.run(_resume(database_url, run_id, queue, clock=_later(3)))
    assert sorted(queue.queued) == sorted([(run_id, priya), (run_id, jonas)])
    for _, lead_id in queue.queued:  # the workers take them
        runtime.call(runtime.run_lead(run_id, lead_id, None))
    status, processed, total, done = asyncio.run(_run(database_url, run_id))
    assert (status, processed, total, len(done)) == ("completed", 3, 3, 3)

    with pytest.raises(ResumeRefused) as finished:  # nothing left to resume
        asyncio.run(_resume(database_url, run_id, RecordingQueue(), clock=_later(3)))
    assert finished.value.reason == "finished"
