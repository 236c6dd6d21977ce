"""`outreach run --distributed`: put a lead file's leads on the broker and follow the workers.

The run row (with the campaign and options) and the input errors are written here; each lead
becomes one task that any `outreach worker` takes. Progress is read from the shared database,
so it is the same whichever machine asks, and running the same command again re-queues only
the leads not yet done (a lead handed out twice is done once).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agent.cli.run_batch import RunRequest
from agent.runs.batch import lead_key
from agent.runs.results import input_error_record
from agent.runs.store import RunNotResumable, RunStore
from agent.workers.distributed_settings import broker_address, check_distributed, limits_warning
from agent.workers.run_plans import file_run_options
from graphs.lead import Lead
from storage.checkpoints import thread_id
from storage.database import Database
from storage.export import run_rows
from storage.models import RunRow
from storage.runs import complete_if_done

if TYPE_CHECKING:
    from agent.workers.lead_queue import LeadQueue

POLL_S = 0.5


@dataclass(frozen=True)
class DistributedOutcome:
    """How a distributed run stands when the command returns."""

    run_id: str
    status: str
    total: int
    processed: int
    sent: int
    queued: int
    rejected: int
    model_calls: int = 0
    """Model calls the processed leads made, each lead's once (redelivered or not)."""

    @property
    def model_calls_per_lead(self) -> float | None:
        """Return the model calls per processed lead (None before the first)."""
        return self.model_calls / self.processed if self.processed else None


def execute_distributed(request: RunRequest, console: Console, *, wait: bool) -> DistributedOutcome:
    """Queue the run's leads, then (with wait) follow it to the end and write its results."""
    check_distributed(request.settings)
    return asyncio.run(_execute(request, console, wait=wait))


async def _start(
    db: Database, request: RunRequest, console: Console
) -> tuple[str, list[tuple[int, Lead]]]:
    """Start the run, or reopen the interrupted run of the same input; return what to queue."""
    lead_file, campaign = request.lead_file, request.campaign
    resume = request.resume
    if resume is None and request.input_key and not request.new_run:
        resume = await RunStore.interrupted_run(db, campaign=campaign, input_key=request.input_key)
        if resume is not None:
            console.print(
                f"[bold]Run {resume} of these leads is unfinished:[/] queueing the leads it "
                "has not done (pass --new-run to start a separate run instead)"
            )
        elif held := await RunStore.held_run(db, campaign=campaign, input_key=request.input_key):
            resume, count = held
            console.print(
                f"[bold]Run {resume} of these leads held {count} lead(s) after a pipeline "
                "error:[/] queueing them again (pass --new-run to start a separate run)"
            )
    if resume is not None:
        _, done = await RunStore.resume(db, run_id=resume, campaign=campaign)
        remaining = [
            (row, lead)
            for row, lead in lead_file.leads
            if thread_id(resume, lead_key(row, lead)) not in done
        ]
        console.print(f"{len(lead_file.leads) - len(remaining)} lead(s) already done")
        return resume, remaining
    run_id = uuid.uuid4().hex[:12]
    options = file_run_options(
        campaign,
        request.settings,
        request.prompt_pins,
        out=str(request.out),
        input_key=request.input_key,
    )
    store = await RunStore.start(
        db,
        campaign=campaign,
        run_id=run_id,
        total=len(lead_file.leads) + len(lead_file.errors),
        options=options,
    )
    for error in lead_file.errors:
        console.print(f"[red]Skipped[/] {escape(str(error))}", highlight=False)
        await store.save(input_error_record(error, provider="none"))
    return run_id, list(lead_file.leads)


async def _execute(request: RunRequest, console: Console, *, wait: bool) -> DistributedOutcome:
    from agent.workers.lead_queue import LeadQueue  # Celery: imported for distributed runs only

    settings = request.settings
    queue = LeadQueue(settings)
    try:
        await asyncio.to_thread(queue.check)  # the broker answers, before anything is written
        return await _queue_and_follow(request, queue, console, wait=wait)
    finally:
        queue.close()


async def _queue_and_follow(
    request: RunRequest, queue: LeadQueue, console: Console, *, wait: bool
) -> DistributedOutcome:
    settings = request.settings
    async with await Database.connect(settings.database, migrate=request.migrate) as db:
        console.print(
            f"[bold]Campaign:[/] {request.campaign.name} · channel {request.campaign.channel} · "
            f"auto-send {'on' if settings.auto_send else 'off'} · distributed over "
            f"{broker_address(settings)}, queue {settings.broker_queue}"
        )
        if warning := limits_warning(settings):
            console.print(f"[yellow]Note[/] {warning}")
        run_id, leads = await _start(db, request, console)
        with _progress(console) as progress:
            task = progress.add_task("Queueing leads", total=len(leads))
            await asyncio.to_thread(queue.put, run_id, leads, lambda n: progress.advance(task, n))
        if not leads:  # a file of nothing but bad rows, or a run with nothing left to do
            async with db.write_lock, db.sessions.begin() as session:
                await complete_if_done(session, run_id=run_id)
        console.print(
            f"[bold]Run {run_id}:[/] {len(leads)} lead(s) queued for the workers "
            "(`outreach worker`); run the same command again to re-queue any not done"
        )
        if not wait:
            return await _outcome(db, run_id)
        try:
            await _follow(db, run_id, console)
        except (KeyboardInterrupt, asyncio.CancelledError):
            console.print(f"Stopped following; the workers go on with run {run_id}")
            raise
        outcome = await _outcome(db, run_id)
        async with db.sessions() as session:
            rows = await run_rows(session, run_id=run_id)
        request.out.parent.mkdir(parents=True, exist_ok=True)
        with request.out.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        console.print(
            f"[bold]Run {run_id} {outcome.status}:[/] {outcome.sent} sent, {outcome.queued} "
            f"queued for review, {outcome.rejected} rejected, of {outcome.total} · "
            f"{calls_line(outcome)}"
        )
        console.print(f"[bold]Results:[/] {request.out}")
        return outcome


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


async def _outcome(db: Database, run_id: str) -> DistributedOutcome:
    async with db.sessions() as session:
        run = await session.get(RunRow, run_id)
    if run is None:
        raise RunNotResumable(f"run {run_id} disappeared from the database")
    return DistributedOutcome(
        run_id,
        run.status,
        run.total,
        run.processed,
        run.sent,
        run.queued,
        run.rejected,
        run.model_calls,
    )


def calls_line(outcome: DistributedOutcome) -> str:
    """Return the run's model calls and calls per lead, as the in-process summary words them."""
    per_lead = outcome.model_calls_per_lead
    return f"{outcome.model_calls} model calls" + (
        f" ({per_lead:.2f} per lead)" if per_lead is not None else ""
    )


async def _follow(db: Database, run_id: str, console: Console) -> None:
    """Show the workers' progress, read from the database, until the run is done."""
    with _progress(console) as progress:
        outcome = await _outcome(db, run_id)
        task = progress.add_task("Workers researching and writing", total=outcome.total)
        while outcome.status == "running" and outcome.processed < outcome.total:
            progress.update(task, completed=outcome.processed)
            await asyncio.sleep(POLL_S)
            outcome = await _outcome(db, run_id)
        progress.update(task, completed=outcome.processed)
