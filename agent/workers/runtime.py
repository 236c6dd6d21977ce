"""A worker process's asyncio side: one event loop, one database pool, one checkpointer, and an
open pipeline per run it is working on.

Celery's thread pool runs each task on a thread of its own; the task hands its lead to this
loop and waits for the outcome, so one process works on many leads at once
(OUTREACH_WORKER_CONCURRENCY) while sharing its connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar

from agent.learning.overview import with_learning
from agent.providers import build_models
from agent.runs.batch import lead_key, run_one
from agent.runs.durable_pipeline import CHECKPOINT_TYPES
from agent.runs.pipeline_factory import Pipeline, open_pipeline
from agent.runs.results import internal_error_record
from agent.runs.store import RunStore
from agent.settings import Settings
from agent.shared_limits import check_shared_limits
from agent.workers.run_plans import RunPlan, load_plan, stored_lead
from graphs.critic.preload import preload_critic
from graphs.lead import Lead
from storage.checkpoints import open_checkpointer, thread_id
from storage.database import Database
from storage.deliveries import DeliveryLedger
from storage.runs import complete_if_done, count_outcome, thread_is_finished
from tools.delivery.send_queue import SendQueue
from tools.service_outage import is_service_outage

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_IDLE_RUNS = 8
"""Runs whose pipelines stay open with no lead in flight; older idle ones are closed."""


@dataclass
class _OpenRun:
    plan: RunPlan
    pipeline: Pipeline
    store: RunStore
    stack: AsyncExitStack
    active: int = 0
    last_used: float = field(default_factory=time.monotonic)


def _log_failure(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and (error := future.exception()) is not None:
        log.error("the sequence scheduler stopped: %s", error, exc_info=error)


class WorkerRuntime:
    """Run leads handed over from Celery's threads on this process's one event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="outreach-worker-loop", daemon=True
        )
        self._thread.start()
        self._runs: dict[str, _OpenRun] = {}
        self._opening = asyncio.Lock()
        self._in_flight: set[str] = set()
        self._background: list[asyncio.Task[None]] = []
        self.call(self._open())

    def call(self, work: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the worker's loop from another thread and return its result."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    async def _open(self) -> None:
        build_models(self.settings)  # a provider that cannot work fails the start, not each lead
        await check_shared_limits(self.settings)
        preload_critic()  # before the worker says it is ready, not inside its first leads
        self._stack = AsyncExitStack()
        self.db = await Database.connect(self.settings.database)
        self._stack.push_async_callback(self.db.close)
        pool = min(32, max(4, self.settings.worker_concurrency // 4))
        self.saver = await self._stack.enter_async_context(
            open_checkpointer(
                self.settings.database, allowed_types=CHECKPOINT_TYPES, pool_size=pool
            )
        )

    def start_sequences(self, interval_s: float) -> None:
        """Tick the sequence scheduler on this loop too (follow-ups, SMS, tasks, sends)."""
        self.call(self._start_ticking(interval_s))

    async def _start_ticking(self, interval_s: float) -> None:
        ticking = asyncio.create_task(self._tick_sequences(interval_s), name="sequence-ticks")
        ticking.add_done_callback(_log_failure)
        self._background.append(ticking)

    async def _tick_sequences(self, interval_s: float) -> None:
        from agent.sequences.scheduler import open_scheduler

        async with open_scheduler(self.settings, self.db) as scheduler:
            await scheduler.run_forever(interval_s)

    async def run_lead(self, run_id: str, row: int, payload: dict[str, Any] | None) -> str:
        """Run one lead of a run unless it is done; return what became of it, for the log."""
        entry = await self._enter(run_id)
        if entry is None:
            return f"run {run_id} is not in the database; lead {row} dropped"
        try:
            lead = await self._lead_of(entry.plan, row, payload)
            if lead is None:  # erased since the run started: gone from it, counted once
                erased = thread_id(run_id, f"erased|{row}")
                async with self.db.write_lock, self.db.sessions.begin() as session:
                    await count_outcome(session, run_id=run_id, decision="erased", thread=erased)
                    await complete_if_done(session, run_id=run_id)
                return f"lead {row} was erased"
            thread = thread_id(run_id, lead_key(row, lead))
            if thread in self._in_flight:
                return f"lead {row} is already running in this worker"
            async with self.db.sessions() as session:
                finished = await thread_is_finished(session, run_id=run_id, thread=thread)
            if finished:  # handed out again (a redelivery): done once is enough
                await self._complete(run_id)
                return f"lead {row} was already done"
            self._in_flight.add(thread)
            try:
                record = await run_one(
                    entry.pipeline,
                    row,
                    lead,
                    entry.plan.campaign,
                    passes_on=is_service_outage,
                )
                await entry.store.save(
                    {**record, "lead_id": row} if entry.plan.api else record,
                    complete_when_done=True,
                )
            finally:
                self._in_flight.discard(thread)
            return f"lead {row}: {record['decision']}"
        finally:
            entry.active -= 1
            entry.last_used = time.monotonic()
            await self._close_idle()

    async def hold_lead(
        self, run_id: str, row: int, payload: dict[str, Any] | None, reason: str
    ) -> str:
        """Store a lead that could not be run as held (queued for a person, retried when the run
        is resumed), so the run counts it and finishes; return what was done, for the log."""
        entry = await self._enter(run_id)
        if entry is None:
            return f"run {run_id} is not in the database; lead {row} dropped"
        try:
            plan = entry.plan
            lead = await self._lead_of(plan, row, payload)
            if lead is None:
                return f"lead {row} was erased"
            record = internal_error_record(
                row, lead.model_dump(exclude_none=True), reason, provider=plan.settings.provider
            )
            record["thread_id"] = thread_id(run_id, lead_key(row, lead))
            await entry.store.save(
                {**record, "lead_id": row} if plan.api else record, complete_when_done=True
            )
            return f"lead {row} held: {reason}"
        finally:
            entry.active -= 1

    async def _lead_of(
        self, plan: RunPlan, row: int, payload: dict[str, Any] | None
    ) -> Lead | None:
        """The lead a task names: a stored row (None once erased), or the file's lead itself."""
        return await stored_lead(self.db, row) if plan.api else Lead.model_validate(payload or {})

    async def _complete(self, run_id: str) -> None:
        async with self.db.write_lock, self.db.sessions.begin() as session:
            if await complete_if_done(session, run_id=run_id):
                log.info("run %s completed", run_id)

    async def _enter(self, run_id: str) -> _OpenRun | None:
        async with self._opening:
            entry = self._runs.get(run_id)
            if entry is None:
                plan = await load_plan(self.db, self.settings, run_id)
                if plan is None:
                    return None
                entry = await self._open_run(plan)
                self._runs[run_id] = entry
            entry.active += 1
            return entry

    async def _open_run(self, plan: RunPlan) -> _OpenRun:
        stack = AsyncExitStack()
        # API runs approve into the send queue (the dispatcher sends, within each mailbox's
        # limits); a lead file's run sends through its outbox with each key in the ledger.
        pipeline = await stack.enter_async_context(
            open_pipeline(
                plan.settings,
                run_id=plan.run_id,
                prompt_pins=plan.prompt_pins,
                checkpointer=self.saver,
                outbox=SendQueue() if plan.api else None,
                ledger=None if plan.api else DeliveryLedger(self.db.sessions, self.db.write_lock),
            )
        )
        store = RunStore(self.db, plan.run_id, plan.campaign_id)
        pipeline = with_learning(pipeline, self.db)  # the campaign's, read once a run
        return _OpenRun(plan=plan, pipeline=pipeline, store=store, stack=stack)

    async def _close_idle(self) -> None:
        # Under the lock that opens runs: a run is closed only while no lead is on it, and a
        # lead entering it meanwhile reopens it rather than finding it half closed.
        async with self._opening:
            idle = sorted((e.last_used, r) for r, e in self._runs.items() if e.active == 0)
            closing = [
                self._runs.pop(run_id) for _, run_id in idle[: max(0, len(idle) - MAX_IDLE_RUNS)]
            ]
        for entry in closing:
            await entry.stack.aclose()

    def close(self) -> None:
        """Stop the scheduler, close every run's pipeline and the connections, end the loop."""
        self.call(self._close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    async def _close(self) -> None:
        # The ticks have unwound before the database closes: a tick cut off mid-query against
        # a closed database would never finish. Their failures were logged when they ended.
        for task in self._background:
            task.cancel()
        for task in self._background:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for entry in self._runs.values():
            with contextlib.suppress(Exception):
                await entry.stack.aclose()
        self._runs.clear()
        await self._stack.aclose()
