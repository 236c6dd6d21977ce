"""The lead task's policy when the infrastructure keeps failing a lead: it is tried again, then
held for a person; and when even holding it fails, the lead stays queued rather than being
acknowledged as done (Celery acknowledges a task whose exception escapes, which would lose the
lead for good).

The task runs eagerly (Celery runs a retry at once, in the same call) on a runtime that fails
as a database that is away does; the worker runtime itself is tested against PostgreSQL in
test_counted_once.py and test_held_requeue.py."""

from __future__ import annotations

import asyncio
import inspect
import socket
from collections.abc import Coroutine
from typing import Any

import pytest
import sqlalchemy.exc
from celery import Celery

from agent.workers.celery_app import LEAD_TASK
from agent.workers.lead_task import MAX_RETRIES, register_lead_task
from agent.workers.runtime import WorkerRuntime


def _database_away() -> Exception:
    """What the runtime raises while its database cannot be reached (SQLAlchemy's wrapping)."""
    return sqlalchemy.exc.OperationalError("INSERT ...", {}, ConnectionRefusedError(111))


class FailingRuntime:
    """Runs leads as the worker runtime does, failing the first `failures` tries of a lead
    and, when `hold_fails`, every attempt to hold one."""

    def __init__(
        self, *, failures: int, hold_fails: bool, hold_error: Exception | None = None
    ) -> None:
        self.failures = failures
        self.hold_fails = hold_fails
        self.hold_error = hold_error
        self.runs = 0
        self.holds = 0

    def call(self, work: Coroutine[Any, Any, str]) -> str:
        return asyncio.run(work)

    async def run_lead(self, run_id: str, row: int, payload: dict[str, Any] | None) -> str:
        self.runs += 1
        if self.runs <= self.failures:
            raise _database_away()
        return f"lead {row}: approved"

    async def hold_lead(
        self, run_id: str, row: int, payload: dict[str, Any] | None, reason: str
    ) -> str:
        self.holds += 1
        if self.hold_fails:
            raise self.hold_error or _database_away()
        return f"lead {row} held: {reason}"


def _task(runtime: FailingRuntime) -> Any:
    app = Celery("lead-task-test", set_as_current=False)
    app.conf.update(task_always_eager=True, task_eager_propagates=False)
    register_lead_task(app, runtime)  # type: ignore[arg-type]  # the runtime's shape
    return app.tasks[LEAD_TASK]


def test_a_lead_the_database_keeps_failing_is_held_after_the_last_try() -> None:
    runtime = FailingRuntime(failures=1, hold_fails=False)
    result = _task(runtime).apply(args=("run-1", 7), retries=MAX_RETRIES)
    assert result.successful()
    assert result.get().startswith("lead 7 held: OperationalError")
    assert (runtime.runs, runtime.holds) == (1, 1)


def test_a_lead_that_cannot_even_be_held_stays_queued_and_runs_when_the_database_is_back() -> None:
    # The last try fails, holding it fails, the next try fails again (and holding again),
    # then the database is back: the lead runs. Had the task let holding's failure escape,
    # Celery would have acknowledged it, and the lead would never have run.
    runtime = FailingRuntime(failures=2, hold_fails=True)
    result = _task(runtime).apply(args=("run-1", 7), retries=MAX_RETRIES)
    assert result.successful(), result.traceback
    assert result.get() == "lead 7: approved"
    assert (runtime.runs, runtime.holds) == (3, 2)


@pytest.mark.parametrize(
    "unwrapped",
    [ConnectionRefusedError(111, "Connect call failed"), socket.gaierror(-2, "Name unknown")],
)
def test_a_driver_failing_to_connect_unwrapped_keeps_the_lead_queued(unwrapped: OSError) -> None:
    # asyncpg connecting to a closed port raises ConnectionRefusedError itself, not wrapped.
    runtime = FailingRuntime(failures=2, hold_fails=True, hold_error=unwrapped)
    result = _task(runtime).apply(args=("run-1", 7), retries=MAX_RETRIES)
    assert result.successful(), result.traceback
    assert result.get() == "lead 7: approved"


def test_a_lead_that_cannot_be_held_for_its_own_reason_fails_with_it() -> None:
    # Not the infrastructure (a bug, a payload that does not validate): retrying it forever
    # would keep its run running for ever; the task fails with the reason, logged.
    runtime = FailingRuntime(failures=1, hold_fails=True, hold_error=ValueError("bad payload"))
    result = _task(runtime).apply(args=("run-1", 7), retries=MAX_RETRIES)
    assert result.failed()
    assert isinstance(result.result, ValueError)
    assert (runtime.runs, runtime.holds) == (1, 1)


def test_the_stand_in_has_the_real_runtimes_calls() -> None:
    # The stand-in above must keep the real runtime's shape, or this file tests nothing.
    for name in ("call", "run_lead", "hold_lead"):
        real = inspect.signature(getattr(WorkerRuntime, name)).parameters
        stand_in = inspect.signature(getattr(FailingRuntime, name)).parameters
        assert list(real) == list(stand_in), name
