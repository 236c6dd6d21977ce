"""The Celery task that runs one lead: handed to the process's runtime, acknowledged late."""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task

from agent.workers.celery_app import LEAD_TASK
from agent.workers.runtime import WorkerRuntime
from tools.service_outage import is_service_outage

log = logging.getLogger(__name__)

MAX_RETRIES = 12
"""Tries (backing off to a minute apart) for a lead the infrastructure keeps failing (the
database away): then it is stored as held, for a person or a resumed run."""


def register_lead_task(app: Celery, runtime: WorkerRuntime) -> None:
    """Register the lead task on the worker's app, running leads on `runtime`."""

    # Not shared: each app (one a worker process) runs its leads on the runtime given here.
    @app.task(name=LEAD_TASK, bind=True, shared=False, acks_late=True, max_retries=MAX_RETRIES)
    def run_lead(self: Task, run_id: str, row: int, lead: dict[str, Any] | None = None) -> str:
        # A lead's own failures are its record ("queued" with the reason); what reaches here
        # is the infrastructure failing (the database, say): the lead goes back on the queue.
        try:
            outcome = runtime.call(runtime.run_lead(run_id, row, lead))
        except Exception as exc:
            retries = self.request.retries or 0
            if retries >= MAX_RETRIES:  # held for a person, so the run still counts it
                reason = f"{type(exc).__name__}: {exc}"
                log.error("run %s, lead %s: %s; giving up", run_id, row, reason)
                try:
                    outcome = runtime.call(runtime.hold_lead(run_id, row, lead, reason))
                except Exception as hold_exc:
                    if not _database_away(hold_exc):
                        raise  # not the infrastructure: the task fails with why, logged
                    # Not even held, the database still away: an exception escaping here would
                    # acknowledge the message and lose the lead, so it stays queued, tried a
                    # minute apart until the lead runs or can be held.
                    log.error("run %s, lead %s: not held (%s); keeping it", run_id, row, hold_exc)
                    again = retries + 1  # past MAX_RETRIES on purpose: no try is the last one
                    raise self.retry(exc=hold_exc, countdown=60, max_retries=again) from hold_exc
                log.info("run %s, %s", run_id, outcome)
                return outcome
            log.warning("run %s, lead %s: %s; trying again", run_id, row, exc)
            raise self.retry(exc=exc, countdown=min(60, 2**retries)) from exc
        log.info("run %s, %s", run_id, outcome)
        return outcome


def _database_away(error: BaseException) -> bool:
    """Whether holding a lead failed because the database (or Redis) cannot be reached. A
    driver's connection failure may reach here unwrapped (asyncpg connecting to a closed port
    raises ConnectionRefusedError; an unknown host, socket.gaierror): holding a lead talks to
    nothing else, so any OS-level error is the infrastructure. Only what the error was raised
    from counts, not the earlier failure it was raised while handling."""
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, OSError):
            return True
        current = current.__cause__
    return is_service_outage(error, follow_context=False)
