"""The shared body of `outreach run` and `outreach demo`: load, run with progress, report."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agent.cli.output import print_summary
from agent.leads.files import LeadFile
from agent.runs.batch import BatchSummary, ResultsWriter, lead_key, run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunNotResumable, RunStore
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from storage.checkpoints import thread_id
from storage.run_lock import RunBusy, hold_run, run_is_busy


def input_key(lead_path: Path, campaign: Campaign) -> str:
    """Fingerprint a run's input: the lead file's bytes and the campaign's settings."""
    digest = hashlib.sha256(lead_path.read_bytes())
    digest.update(campaign.model_dump_json().encode())
    return digest.hexdigest()[:32]


def review_command(settings: Settings) -> str:
    """Return the command that opens this run's review queue."""
    default_dir = Settings.model_fields["data_dir"].default
    if settings.database_url or settings.data_dir == default_dir:
        return "outreach review"
    return f"OUTREACH_DATA_DIR={settings.data_dir} outreach review"


def _done(run_id: str, row: int, lead: Lead, done: set[str]) -> bool:
    return thread_id(run_id, lead_key(row, lead)) in done


@dataclass(frozen=True)
class RunRequest:
    """What to run and where to write it."""

    lead_file: LeadFile
    campaign: Campaign
    out: Path
    settings: Settings
    prompt_pins: dict[str, str]
    resolve: dict[str, str]
    outbox_path: Path | None = None
    clock: Callable[[], datetime] | None = None
    refresh: bool = False
    migrate: bool = False
    """Bring the database schema up to date first (the demo's own embedded database)."""
    resume: str | None = None
    """Run id of an interrupted run: only its unfinished leads run, under the same id."""
    input_key: str | None = None
    """Fingerprint of the lead file and campaign: the same command resumes its own run."""
    new_run: bool = False
    """Start afresh even if the same input has an interrupted run."""


def execute(request: RunRequest, console: Console) -> BatchSummary:
    """Run the batch with a progress bar and print the summary."""
    return asyncio.run(_execute(request, console))


NOTES_SHOWN = 10
"""Ignored cells listed when a run starts; the rest are counted."""


async def _execute(request: RunRequest, console: Console) -> BatchSummary:
    settings = request.settings
    async with (
        open_durable_pipeline(
            settings,
            run_id=request.resume,
            migrate=request.migrate,
            prompt_pins=request.prompt_pins,
            resolve=request.resolve,
            outbox_path=request.outbox_path,
            clock=request.clock,
            refresh=request.refresh,
        ) as (db, pipeline),
        AsyncExitStack() as held,
    ):
        console.print(f"[bold]Provider:[/] {pipeline.models.description}")
        versions = ", ".join(f"{k}={v}" for k, v in pipeline.context.prompts.versions().items())
        console.print(
            f"[bold]Campaign:[/] {request.campaign.name} · channel {request.campaign.channel} · "
            f"auto-send {'on' if settings.auto_send else 'off'} · prompts {versions}"
        )
        console.print(f"[bold]Leads:[/] {escape(request.lead_file.describe())}", highlight=False)
        notes = request.lead_file.notes
        for note in notes[:NOTES_SHOWN]:
            console.print(f"[yellow]Note[/] {escape(str(note))}", highlight=False)
        if len(notes) > NOTES_SHOWN:
            console.print(f"[yellow]Note[/] … and {len(notes) - NOTES_SHOWN} more ignored cells")
        lead_file = request.lead_file
        resume = request.resume
        if resume is None and request.input_key and not request.new_run:
            resume = await RunStore.interrupted_run(
                db, campaign=request.campaign, input_key=request.input_key
            )
            if resume is not None and await run_is_busy(db, resume):
                raise RunNotResumable(
                    f"run {resume} of these leads is still running in another process; wait "
                    "for it, or pass --new-run to start a separate run (it rewrites drafts "
                    "nobody acted on and contacts nobody this campaign already reached)"
                )
            if resume is not None:
                console.print(
                    f"[bold]Run {resume} of these leads was interrupted:[/] finishing it "
                    "(pass --new-run to start a separate run instead)"
                )
            elif held_run := await RunStore.held_run(
                db, campaign=request.campaign, input_key=request.input_key
            ):
                resume, count = held_run
                console.print(
                    f"[bold]Run {resume} of these leads held {count} lead(s) after a pipeline "
                    "error:[/] running them again (pass --new-run to start a separate run)"
                )
            if resume is not None:
                pipeline = pipeline.for_run(resume)
        try:
            # Held until the run ends; a crash releases it, so the run can be resumed.
            await held.enter_async_context(hold_run(db, resume or pipeline.context.run_id))
        except RunBusy as exc:
            raise RunNotResumable(f"{exc}; wait for it to finish") from None
        if resume:
            store, done = await RunStore.resume(db, run_id=resume, campaign=request.campaign)
            remaining = [
                (row, lead) for row, lead in lead_file.leads if not _done(resume, row, lead, done)
            ]
            console.print(
                f"[bold]Resuming run {resume}:[/] {len(lead_file.leads) - len(remaining)} "
                f"leads already done, {len(remaining)} to go (each continues from its last "
                "completed step)"
            )
            # Input errors were recorded when the run started; only unfinished leads run.
            lead_file = LeadFile(leads=remaining)
        else:
            for error in lead_file.errors:
                console.print(f"[red]Skipped[/] {error}")
            store = await RunStore.start(
                db,
                campaign=request.campaign,
                run_id=pipeline.context.run_id,
                total=len(lead_file.leads) + len(lead_file.errors),
                options={
                    "out": str(request.out),
                    "prompts": request.prompt_pins,
                    "input_key": request.input_key,
                },
            )
            console.print(
                f"[bold]Run {store.run_id}[/] started; if it is interrupted, finish it with "
                f"--resume {store.run_id}"
            )
        total = len(lead_file.leads) + len(lead_file.errors)
        writer = ResultsWriter(request.out, append=bool(resume))
        progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        with progress:
            task = progress.add_task("Researching and writing", total=total)

            def advance(record: dict[str, Any]) -> None:
                progress.advance(task)

            status = "failed"
            try:
                summary = await run_batch(
                    pipeline,
                    lead_file,
                    request.campaign,
                    concurrency=settings.concurrency,
                    writer=writer,
                    on_record=advance,
                    store=store.save,
                    new_run=not resume,
                )
                status = "failed" if summary.store_errors else "completed"
            finally:
                writer.close()
                await store.close(status)
        print_summary(console, summary)
        for failure in summary.store_errors:
            console.print(f"[red]Not stored[/] {escape(failure[:300])}")
        if summary.store_errors:
            console.print(
                f"{len(summary.store_errors)} lead(s) could not be stored; run the same command "
                f"again (or --resume {store.run_id}) to store them from their checkpoints"
            )
        console.print(f"[bold]Results:[/] {request.out} (run {store.run_id})")
        console.print(f"[bold]Database:[/] {db.url}")
        if summary.counts["queued"]:
            console.print(
                f"[bold]Review queue:[/] {summary.counts['queued']} message(s) wait for a human: "
                f"{review_command(settings)}"
            )
        if pipeline.outbox_path is not None and summary.counts["sent"]:
            console.print(
                f"[bold]Dry-run outbox:[/] {pipeline.outbox_path} (nothing left this machine)"
            )
        return summary
