"""`outreach worker`: a worker process.

With OUTREACH_BROKER_URL set it is a Celery worker: it takes the leads of distributed runs
(`outreach run --distributed`, and the API's batch runs) off the broker, many at once, on the
shared PostgreSQL database, acknowledging each only once its outcome is stored; the sequence
scheduler ticks beside it. Without a broker it is the sequence scheduler on its own (the
one-machine form).

The scheduler ticks every OUTREACH_SEQUENCE_TICK_S seconds: claims due steps, writes and sends
them (within each mailbox's caps and gaps and the recipient's window), and schedules what comes
next. Run as many as you like against one PostgreSQL database: nothing is claimed or sent twice.
With a HubSpot token it also syncs to HubSpot every OUTREACH_CRM_SYNC_INTERVAL_S seconds, beside
the ticks (a failed sync never holds them up).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Annotated

import typer
from rich.console import Console

from agent.cli.errors import USER_ERRORS, fail
from agent.settings import Settings


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Do what is due now (one tick) and exit.")
    ] = False,
    interval: Annotated[
        float | None,
        typer.Option(min=0.05, help="Seconds between ticks (default: OUTREACH_SEQUENCE_TICK_S)."),
    ] = None,
    sequences: Annotated[
        bool,
        typer.Option(
            "--sequences/--no-sequences",
            help="With a broker: also tick the sequence scheduler (default on).",
        ),
    ] = True,
) -> None:
    """Run a worker: leads of distributed runs (with OUTREACH_BROKER_URL), and the sequence
    scheduler (follow-ups, SMS, LinkedIn and call tasks as they come due).

    Stops cleanly on Ctrl-C or SIGTERM, finishing the leads in hand; a lead or step cut off
    by a crash is finished by another worker, and nothing is sent twice.
    """
    from agent.crm.periodic import sync_periodically
    from agent.sequences.scheduler import open_scheduler
    from storage.database import Database

    try:
        settings = Settings()
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    if settings.broker_url and not once:
        from agent.workers.worker_process import serve_worker

        if interval is not None:
            settings = settings.model_copy(update={"sequence_tick_s": interval})
        try:
            code = serve_worker(settings, sequences=sequences)
        except USER_ERRORS as exc:
            raise fail(str(exc)) from None
        raise typer.Exit(code)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    console = Console(stderr=True)

    async def go() -> None:
        db = await Database.connect(settings.database)
        try:
            async with open_scheduler(settings, db) as scheduler:
                if once:
                    report = await scheduler.tick()
                    console.print(
                        f"claimed {report.claimed} step(s), sent "
                        f"{len(report.dispatched.sent)} email(s), {len(report.events)} event(s)",
                        highlight=False,
                    )
                    return
                console.print(f"worker {scheduler.worker} running; Ctrl-C stops it")
                loop = asyncio.get_running_loop()
                task = asyncio.current_task()
                assert task is not None
                loop.add_signal_handler(signal.SIGTERM, task.cancel)
                crm = asyncio.create_task(sync_periodically(settings, db))
                try:
                    await scheduler.run_forever(interval or settings.sequence_tick_s or 30)
                finally:
                    # Wait for the sync to unwind before the database closes under it: a
                    # sync cut off mid-query against a closed database never finishes.
                    crm.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await crm
        finally:
            await db.close()

    try:
        asyncio.run(go())
    except (KeyboardInterrupt, asyncio.CancelledError):
        console.print("worker stopped")
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
