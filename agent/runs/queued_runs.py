"""API runs handed to workers: queue their leads, re-queue what a stop left, wait for the end.

The run row is the same as for a run this process works on itself (`background.py`); the
leads go to a `RunQueue` (the broker, agent/workers/lead_queue.py) and the workers write the
outcomes, so progress, the event stream and `?wait=true` all read the database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from typing import Protocol

from agent.runs.batch import lead_key
from graphs.lead import Lead
from storage.checkpoints import thread_id
from storage.database import Database
from storage.leads import lead_rows
from storage.models import RunRow
from storage.runs import (
    RESUMABLE,
    RUN_ROW_LOCK,
    finish_run,
    finished_threads,
    mark_requeued,
    quiet_for,
    resumable_runs,
    uncount_held,
)

log = logging.getLogger(__name__)

POLL_S = 0.25
"""How often waiting on a queued run reads its row."""

WORKERS_QUIET = dt.timedelta(minutes=2)
"""How long a run on the workers must show no sign of them before its leads are queued again:
a lead still in flight, queued again, would run twice at once (stored and sent once, but its
model calls paid twice)."""


class RunQueue(Protocol):
    """Where a distributed run's leads go: the broker, for `outreach worker` processes."""

    async def enqueue(self, run_id: str, leads: Sequence[tuple[int, Lead | None]]) -> int:
        """Queue each (stored lead id, None) for the workers; return how many."""
        ...


class WorkersUnreachable(Exception):
    """The leads could not be handed to the workers; the run was marked failed."""


class WorkersBusy(Exception):
    """The run's workers stored a lead, or its leads were queued again, too recently."""

    def __init__(self, run_id: str, quiet: dt.timedelta) -> None:
        super().__init__(
            f"run {run_id} is being worked on: its workers stored a lead (or it was queued "
            f"again) {max(0, int(quiet.total_seconds()))} s ago; a run on the workers is "
            f"queued again once they have shown none for {int(WORKERS_QUIET.total_seconds())} s"
        )


async def enqueue_or_fail(db: Database, queue: RunQueue, run_id: str, lead_ids: list[int]) -> None:
    """Queue the run's leads; if the broker refuses, fail the run (freeing its leads) and say
    why, so no run waits for ever on leads nobody will take."""
    try:
        await queue.enqueue(run_id, [(lead_id, None) for lead_id in lead_ids])
    except Exception as exc:
        reason = f"the leads could not be handed to the workers: {type(exc).__name__}: {exc}"
        async with db.write_lock, db.sessions.begin() as session:
            await finish_run(session, run_id=run_id, status="failed", error=reason)
        raise WorkersUnreachable(f"run {run_id} failed: {reason}") from exc


async def requeue_unfinished(db: Database, queue: RunQueue) -> list[str]:
    """Queue again the leads of queued API runs that are not done (a broker that lost its
    queue, a restart); a lead already done is skipped by the worker. Return the run ids."""
    async with db.sessions() as session:
        runs = [
            row
            for row in await resumable_runs(session)
            if row.options.get("api") and row.options.get("distributed")
        ]
    for run in runs:
        try:
            # Not waiting for the workers to go quiet: a start is when a lost queue is found
            # again, and a lead in flight that runs twice is still stored and sent once.
            await requeue_run(db, queue, run, wait_for_quiet=False)
        except WorkersUnreachable as exc:
            log.error("%s", exc)
    return [run.id for run in runs]


async def requeue_run(
    db: Database, queue: RunQueue, run: RunRow, *, wait_for_quiet: bool = True
) -> int:
    """Queue again the leads of one queued run that are not done; return how many. Raises
    WorkersBusy while its workers show signs of working on it (WORKERS_QUIET; unless not
    wait_for_quiet), and
    WorkersUnreachable (the run marked failed) when the broker refuses the leads."""
    from agent.runs.background import lead_from_row  # the one mapping from stored leads

    async with db.write_lock, db.sessions.begin() as session:
        current = await session.get(RunRow, run.id, with_for_update=RUN_ROW_LOCK)
        if current is None or current.status not in RESUMABLE:
            return 0  # finished meanwhile: nothing to queue, and its counts stay as they are
        quiet = await quiet_for(session, run=current)
        if wait_for_quiet and quiet < WORKERS_QUIET:
            raise WorkersBusy(run.id, quiet)
        await mark_requeued(session, run=current)  # a second resume right after waits too
        done = await finished_threads(session, run_id=run.id)
        await uncount_held(session, run_id=run.id)  # counted again once retried
        rows = await lead_rows(session, ids=[int(i) for i in run.options.get("lead_ids", [])])
    left = [
        row.id
        for row in rows
        if thread_id(run.id, lead_key(row.id, lead_from_row(row))) not in done
    ]
    await enqueue_or_fail(db, queue, run.id, left)
    return len(left)


async def wait_for_run(db: Database, run_id: str) -> None:
    """Wait until a queued run is no longer running (its workers finished it, or it failed)."""
    while True:
        async with db.sessions() as session:
            run = await session.get(RunRow, run_id)
        if run is None or run.status not in RESUMABLE:
            return
        await asyncio.sleep(POLL_S)
