"""Batch-run rows: progress while running, outcome at the end."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CountedLeadRow, MessageRow, RunRow
from storage.utc import as_utc

RUN_ROW_LOCK = {"key_share": True}
"""How a writer locks a run row to change its counts: FOR NO KEY UPDATE. Counting a lead first
inserts its marker (run_counted_leads), whose foreign key takes FOR KEY SHARE on the run row;
FOR UPDATE would conflict with another worker's KEY SHARE, and two workers each holding one
and asking for the other's would deadlock (PostgreSQL aborts one: a lead's step failed)."""

RUN_TALLIES = ("sent", "approved", "queued", "rejected")
"""The outcomes a run counts; each is a column of the run row."""


async def start_run(
    session: AsyncSession, *, run_id: str, campaign_id: int, total: int, options: dict[str, Any]
) -> RunRow:
    """Record a new run."""
    row = RunRow(id=run_id, campaign_id=campaign_id, total=total, options=options)
    session.add(row)
    await session.flush()
    return row


async def ensure_run(
    session: AsyncSession, *, run_id: str, campaign_id: int, options: dict[str, Any]
) -> None:
    """Record a run unless it exists: two workers writing the first leads of one sequence step
    start its run at the same moment, and the one that loses the insert must go on."""
    if await session.get(RunRow, run_id) is not None:
        return
    try:
        async with session.begin_nested():
            session.add(RunRow(id=run_id, campaign_id=campaign_id, total=0, options=options))
    except IntegrityError:
        if await session.get(RunRow, run_id) is None:
            raise


def model_calls_of(usage: dict[str, Any] | None) -> int:
    """Return how many model calls a lead's usage (a record's, or a stored message's
    generation) lists."""
    usage = usage or {}
    return int(usage.get("llm_calls", len(usage.get("calls") or [])))


def stored_model_calls(message: MessageRow) -> int:
    """Return how many model calls made a stored message's drafts."""
    return model_calls_of({"calls": (message.generation or {}).get("calls")})


async def count_outcome(
    session: AsyncSession,
    *,
    run_id: str,
    decision: str,
    thread: str | None = None,
    calls: int = 0,
) -> bool:
    """Add one finished lead, and the model calls it made, to the run's progress (the row
    locked: workers count side by side); return whether it was counted now.

    With its thread, a lead is counted once whoever counts it: a lead handed to workers twice
    (a broker redelivering it, a run queued again) is counted by the first only, its model
    calls with it.
    """
    counted = await count_outcomes(session, run_id=run_id, outcomes=[(decision, thread, calls)])
    return bool(counted)


async def count_outcomes(
    session: AsyncSession, *, run_id: str, outcomes: list[tuple[str, str | None, int]]
) -> int:
    """Add many finished leads, (decision, thread, model calls) each, to the run's progress at
    once, as count_outcome does one by one; return how many were counted now."""
    threads = [thread for _, thread, _ in outcomes if thread is not None]
    marked: set[str] = set()
    if threads:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        # The rows as parameters, not as .values([...]): a statement with its rows built in is
        # compiled anew every time (SQLAlchemy caches none), this one once.
        marked = set(
            await session.scalars(
                insert(CountedLeadRow).on_conflict_do_nothing().returning(CountedLeadRow.thread_id),
                [
                    {"run_id": run_id, "thread_id": thread, "decision": decision}
                    for decision, thread, _ in outcomes
                    if thread is not None
                ],
            )
        )
    counting = []
    calls = 0
    for decision, thread, lead_calls in outcomes:
        if thread is None or thread in marked:
            counting.append(decision)
            calls += lead_calls
            marked.discard(thread or "")  # a thread twice in the list counts once
    if not counting:
        return 0
    tallies = Counter(decision for decision in counting if decision in RUN_TALLIES)
    # Added in place, in one statement: the UPDATE locks the row as the read it replaces did
    # (FOR NO KEY UPDATE), and a copy of the row in this session is brought up to date.
    changed = await session.execute(
        update(RunRow)
        .where(RunRow.id == run_id)
        .values(
            processed=RunRow.processed + len(counting),
            model_calls=RunRow.model_calls + calls,
            **{tally: getattr(RunRow, tally) + n for tally, n in tallies.items()},
        )
    )
    assert changed.rowcount == 1, f"unknown run {run_id}"  # type: ignore[attr-defined]
    return len(counting)


async def recount_outcome(
    session: AsyncSession, *, run_id: str, was: str, now: str, more_calls: int = 0
) -> None:
    """Move a lead counted as `was` (a held lead, retried) to `now`; processed is unchanged,
    and the run's model calls change by what the retry's record lists beyond the held one's
    (`more_calls`)."""
    row = await session.get(RunRow, run_id, with_for_update=RUN_ROW_LOCK)
    assert row is not None, f"unknown run {run_id}"
    row.model_calls += more_calls
    for decision, step in ((was, -1), (now, 1)):
        if decision in RUN_TALLIES:
            setattr(row, decision, getattr(row, decision) + step)


MAX_ERROR_CHARS = 2000


async def finish_run(
    session: AsyncSession, *, run_id: str, status: str, error: str | None = None
) -> RunRow:
    """Mark the run finished (completed, failed, interrupted), with why it failed if it did."""
    row = await session.get(RunRow, run_id)
    assert row is not None, f"unknown run {run_id}"
    row.status = status
    row.finished_at = dt.datetime.now(dt.UTC)
    row.error = error[:MAX_ERROR_CHARS] if error else None
    return row


async def get_run(session: AsyncSession, *, run_id: str) -> RunRow | None:
    """Return a run by id."""
    return await session.get(RunRow, run_id)


async def reopen_run(session: AsyncSession, *, run_id: str) -> RunRow:
    """Mark an unfinished run as running again."""
    row = await session.get(RunRow, run_id)
    assert row is not None, f"unknown run {run_id}"
    row.status = "running"
    row.finished_at = None
    row.error = None
    return row


def is_held(message: MessageRow) -> bool:
    """Tell whether a message waits only because its lead's pipeline failed (no drafts made)."""
    errors = (message.generation or {}).get("errors") or []
    return message.status == "queued" and any(e.get("stage") == "pipeline" for e in errors)


async def finished_threads(session: AsyncSession, *, run_id: str) -> set[str]:
    """Return the checkpoint threads of the run's stored leads, held ones left out.

    A held lead (its pipeline failed, no one has acted on it) is not finished: resuming or
    re-running its run retries it from its checkpoint.
    """
    rows = list(
        await session.scalars(
            select(MessageRow).where(MessageRow.run_id == run_id, MessageRow.thread_id.is_not(None))
        )
    )
    held = {m.thread_id for m in rows if is_held(m)}
    # Counted without a message of this run: kept (the lead's message stands) or erased.
    counted = await session.scalars(
        select(CountedLeadRow.thread_id).where(CountedLeadRow.run_id == run_id)
    )
    return {m.thread_id for m in rows if m.thread_id and not is_held(m)} | (set(counted) - held)


async def uncount_held(session: AsyncSession, *, run_id: str) -> int:
    """Take the run's held leads out of its progress before they run again; return how many.

    Each is counted afresh when its retry is stored, so a run completes when its last retry
    is stored, not when the first one is (the held leads were counted, as queued, already).
    """
    rows = await session.scalars(
        select(MessageRow).where(MessageRow.run_id == run_id, MessageRow.status == "queued")
    )
    held = {m.thread_id: m for m in rows if m.thread_id and is_held(m)}
    threads = list(held)
    if not threads:
        return 0
    # Only those counted now come out (a run resumed twice before its retries is not
    # uncounted twice).
    uncounted = list(
        await session.scalars(
            delete(CountedLeadRow)
            .where(CountedLeadRow.run_id == run_id, CountedLeadRow.thread_id.in_(threads))
            .returning(CountedLeadRow.thread_id)
        )
    )
    if uncounted:
        run = await session.get(RunRow, run_id, with_for_update=RUN_ROW_LOCK)
        assert run is not None, f"unknown run {run_id}"
        run.processed -= len(uncounted)
        run.queued -= len(uncounted)
        run.model_calls -= sum(stored_model_calls(held[thread]) for thread in uncounted)
    return len(uncounted)


async def held_count(session: AsyncSession, *, run_id: str) -> int:
    """Return how many of the run's leads are held after a pipeline error."""
    rows = await session.scalars(
        select(MessageRow).where(MessageRow.run_id == run_id, MessageRow.status == "queued")
    )
    return sum(is_held(m) for m in rows)


async def unfinished_run_for(
    session: AsyncSession, *, campaign_id: int, input_key: str
) -> RunRow | None:
    """Return the newest run of the same input that did not complete (killed or failed)."""
    rows = await session.scalars(
        select(RunRow)
        .where(RunRow.campaign_id == campaign_id, RunRow.status != "completed")
        .order_by(RunRow.started_at.desc(), RunRow.id)
    )
    return next((run for run in rows if run.options.get("input_key") == input_key), None)


async def held_run_for(
    session: AsyncSession, *, campaign_id: int, input_key: str
) -> tuple[RunRow, int] | None:
    """Return the newest completed run of the same input if it holds leads, and how many."""
    rows = await session.scalars(
        select(RunRow)
        .where(RunRow.campaign_id == campaign_id, RunRow.status == "completed")
        .order_by(RunRow.started_at.desc(), RunRow.id)
    )
    run = next((run for run in rows if run.options.get("input_key") == input_key), None)
    if run is None:
        return None
    held = await held_count(session, run_id=run.id)
    return (run, held) if held else None


RESUMABLE = ("running", "interrupted")
"""Statuses of runs a stop or crash cut off, which the next start may pick up again."""


async def resumable_runs(session: AsyncSession) -> list[RunRow]:
    """Return the runs a stop or crash cut off, oldest first."""
    return list(
        await session.scalars(
            select(RunRow).where(RunRow.status.in_(RESUMABLE)).order_by(RunRow.started_at)
        )
    )


async def thread_is_finished(session: AsyncSession, *, run_id: str, thread: str) -> bool:
    """Tell whether the run counted this lead (stored, kept or erased) and it is not held: a
    worker handed the same lead twice (a broker redelivering it) does it once."""
    if await session.get(CountedLeadRow, (run_id, thread)) is None:
        return False
    message = await session.scalar(select(MessageRow).where(MessageRow.thread_id == thread))
    return message is None or not is_held(message)


async def complete_if_done(session: AsyncSession, *, run_id: str) -> bool:
    """Mark a running run completed once every lead is counted; return whether it now is.

    Many workers call this after each lead they store; the run row is locked, so exactly one
    of them sees the last lead counted and completes the run.
    """
    row = await session.get(RunRow, run_id, with_for_update=RUN_ROW_LOCK)
    if row is None or row.status != "running" or row.processed < row.total:
        return False
    row.status = "completed"
    row.finished_at = dt.datetime.now(dt.UTC)
    return True


REQUEUED_AT = "requeued_at"
"""The run option holding when its unfinished leads were last queued again (database clock)."""


async def quiet_for(session: AsyncSession, *, run: RunRow) -> dt.timedelta:
    """How long the run has shown no sign of its workers, on the database's clock: since it
    started, its newest lead was first stored (sends and reviews later do not count), or its
    leads were last queued again."""
    now, newest = (
        await session.execute(
            select(func.now(), func.max(MessageRow.created_at)).where(MessageRow.run_id == run.id)
        )
    ).one()
    requeued = run.options.get(REQUEUED_AT)
    marks = [
        as_utc(run.started_at),
        as_utc(newest),
        dt.datetime.fromisoformat(requeued) if isinstance(requeued, str) else None,
    ]
    current = as_utc(now)
    assert current is not None
    return current - max(mark for mark in marks if mark is not None)


async def mark_requeued(session: AsyncSession, *, run: RunRow) -> None:
    """Note that the run's unfinished leads were queued again just now (database clock)."""
    now = as_utc(await session.scalar(select(func.now())))
    assert now is not None
    run.options = {**run.options, REQUEUED_AT: now.isoformat()}
