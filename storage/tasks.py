"""Tasks for a person: create one per sequence step, list them, and mark them done or skipped.

A LinkedIn step or a call cannot be sent by an API: the scheduler turns it into a task (text to
copy, or a call script) and the step waits in status "task". Finishing the task finishes the
step in the same transaction (done or skipped, with the time), and the scheduler moves the
sequence on from there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.lock_order import lock_rows
from storage.sequence_models import SequenceStepRow, TaskRow

TASK_KINDS = ("linkedin_connect", "linkedin_message", "call", "reply")
"""A sequence's LinkedIn steps and calls; `reply`: a draft answer to a hot reply."""
TASK_STATUSES = ("open", "done", "skipped")
TaskOutcome = Literal["done", "skipped"]
TITLE_LIMIT = 300
"""Characters in a task's title (the column's width)."""
NOTE_LIMIT = 2000
"""Characters in the note a person leaves on finishing a task (the API, the console, the CLI)."""


class TaskNotOpen(Exception):
    """The task was already marked done or skipped: it cannot be finished again."""

    def __init__(self, task_id: int, status: str) -> None:
        super().__init__(
            f"task {task_id} is already {status}; only an open task can be marked done or skipped"
        )
        self.task_id = task_id
        self.status = status


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Return the moment in UTC; a naive one (SQLite hands them back so) is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


async def task_for_step(session: AsyncSession, step_id: int) -> TaskRow | None:
    """Return the task made for a sequence step, if there is one."""
    return await session.scalar(select(TaskRow).where(TaskRow.step_id == step_id))


async def create_task(
    session: AsyncSession,
    *,
    campaign_id: int,
    lead_id: int,
    step_id: int | None,
    kind: str,
    title: str,
    body: str,
    script: dict[str, Any] | None,
    link: str | None,
    due_at: dt.datetime,
) -> TaskRow:
    """Create the task for a step, or return the one it already has (one task per step).

    Two schedulers creating the same step's task at once both get the one row: the loser of
    the insert reads the winner's.
    """
    if kind not in TASK_KINDS:
        raise ValueError(f"a task's kind is one of {', '.join(TASK_KINDS)}, not {kind!r}")
    if step_id is not None:
        existing = await task_for_step(session, step_id)
        if existing is not None:
            return existing
    row = TaskRow(
        campaign_id=campaign_id,
        lead_id=lead_id,
        step_id=step_id,
        kind=kind,
        status="open",
        title=title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…",
        body=body,
        script=script or {},
        link=link,
        due_at=as_utc(due_at),
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        if step_id is None:
            raise
        existing = await task_for_step(session, step_id)
        if existing is None:
            raise
        return existing
    return row


def _filters(
    status: str | None, campaign_id: int | None, due_before: dt.datetime | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if status is not None:
        conditions.append(TaskRow.status == status)
    if campaign_id is not None:
        conditions.append(TaskRow.campaign_id == campaign_id)
    if due_before is not None:
        conditions.append(TaskRow.due_at <= as_utc(due_before))
    return conditions


async def list_tasks(
    session: AsyncSession,
    *,
    status: str | None = None,
    campaign_id: int | None = None,
    due_before: dt.datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[TaskRow]:
    """Return tasks by due time, earliest (the most overdue) first; due_before is inclusive."""
    query = (
        select(TaskRow)
        .where(*_filters(status, campaign_id, due_before))
        .order_by(TaskRow.due_at, TaskRow.id)
        .limit(limit)
        .offset(offset)
    )
    return list(await session.scalars(query))


async def count_tasks(
    session: AsyncSession,
    *,
    status: str | None = None,
    campaign_id: int | None = None,
    due_before: dt.datetime | None = None,
) -> int:
    """Return how many tasks match (what list_tasks pages through)."""
    conditions = _filters(status, campaign_id, due_before)
    return int(await session.scalar(select(func.count(TaskRow.id)).where(*conditions)) or 0)


async def get_task(session: AsyncSession, task_id: int) -> TaskRow | None:
    """Return a task by id."""
    return await session.get(TaskRow, task_id)


async def finish_task(
    session: AsyncSession,
    task_id: int,
    *,
    outcome: TaskOutcome,
    note: str | None = None,
    now: dt.datetime,
) -> TaskRow:
    """Mark an open task done or skipped, and its sequence step with it.

    The step moves from "task" to the same outcome with finished_at = now; a step no longer
    waiting on the task (stopped by a reply meanwhile, say) is left as it is. Raises
    LookupError for an unknown task and TaskNotOpen for one already finished; of two people
    finishing the same task at once, exactly one succeeds.
    """
    if outcome not in ("done", "skipped"):
        raise ValueError(f"a task is finished as done or skipped, not {outcome!r}")
    now = as_utc(now)
    # The step before the task (storage/lock_order.py): a reply stopping the lead's sequence
    # locks them in that order too.
    step_id = await session.scalar(select(TaskRow.step_id).where(TaskRow.id == task_id))
    if step_id is not None:
        await lock_rows(session, SequenceStepRow, [step_id])
    # The conditional UPDATE is the lock: only a still-open task matches.
    changed = await session.execute(
        update(TaskRow)
        .where(TaskRow.id == task_id, TaskRow.status == "open")
        .values(status=outcome, completed_at=now, note=note)
        .execution_options(synchronize_session=False)
    )
    row = await session.get(TaskRow, task_id, populate_existing=True)
    if row is None:
        raise LookupError(f"there is no task {task_id}")
    if getattr(changed, "rowcount", 0) != 1:
        raise TaskNotOpen(task_id, row.status)
    if row.step_id is not None:
        await session.execute(
            update(SequenceStepRow)
            .where(SequenceStepRow.id == row.step_id, SequenceStepRow.status == "task")
            .values(status=outcome, finished_at=now)
            .execution_options(synchronize_session=False)
        )
    return row
