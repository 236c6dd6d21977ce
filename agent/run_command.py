"""The shared body of `outreach run` and `outreach demo`: load, run with progress, report."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agent.batch import BatchSummary, ResultsWriter, run_batch
from agent.cli_output import print_summary
from agent.lead_files import LeadFile
from agent.pipeline_factory import open_pipeline
from agent.run_store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign


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


def execute(request: RunRequest, console: Console) -> BatchSummary:
    """Run the batch with a progress bar and print the summary."""
    return asyncio.run(_execute(request, console))


async def _execute(request: RunRequest, console: Console) -> BatchSummary:
    settings = request.settings
    async with open_pipeline(
        settings,
        prompt_pins=request.prompt_pins,
        resolve=request.resolve,
        outbox_path=request.outbox_path,
        clock=request.clock,
        refresh=request.refresh,
    ) as pipeline:
        console.print(f"[bold]Provider:[/] {pipeline.models.description}")
        versions = ", ".join(f"{k}={v}" for k, v in pipeline.context.prompts.versions().items())
        console.print(
            f"[bold]Campaign:[/] {request.campaign.name} · channel {request.campaign.channel} · "
            f"auto-send {'on' if settings.auto_send else 'off'} · prompts {versions}"
        )
        for error in request.lead_file.errors:
            console.print(f"[red]Skipped[/] {error}")
        total = len(request.lead_file.leads) + len(request.lead_file.errors)
        store = await RunStore.open(
            settings,
            campaign=request.campaign,
            run_id=pipeline.context.run_id,
            total=total,
            options={"out": str(request.out), "prompts": request.prompt_pins},
            migrate=request.migrate,
        )
        writer = ResultsWriter(request.out)
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
                    request.lead_file,
                    request.campaign,
                    concurrency=settings.concurrency,
                    writer=writer,
                    on_record=advance,
                    store=store.save,
                )
                status = "completed"
            finally:
                writer.close()
                await store.close(status)
        print_summary(console, summary)
        console.print(f"[bold]Results:[/] {request.out} (run {store.run_id})")
        where = store.engine.url.render_as_string(hide_password=True)
        console.print(f"[bold]Database:[/] {where}")
        if pipeline.outbox_path is not None and summary.counts["sent"]:
            console.print(
                f"[bold]Dry-run outbox:[/] {pipeline.outbox_path} (nothing left this machine)"
            )
        return summary
