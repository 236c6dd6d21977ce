"""`outreach worker`: the sequence scheduler on its own (the one-machine form).

It ticks every OUTREACH_SEQUENCE_TICK_S seconds: claims due steps, writes and sends them (within
each mailbox's caps and gaps and the recipient's window), and schedules what comes next. Run
as many as you like against one PostgreSQL database: nothing is claimed or sent twice. With a
HubSpot token it also syncs to HubSpot every OUTREACH_CRM_SYNC_INTERVAL_S seconds, beside the
ticks (a failed sync never holds them up).
"""

from __future__ import annotations

import asyncio
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
) -> None:
    """Run the sequence scheduler: follow-ups, SMS, LinkedIn and call tasks as they come due.

    Stops cleanly on Ctrl-C or SIGTERM; a step cut off by a crash is finished by the next
    worker without being sent twice.
    """
    from agent.crm.periodic import sync_periodically
    from agent.sequences.scheduler import open_scheduler
    from storage.database import Database

    settings = Settings()
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
                    crm.cancel()
        finally:
            await db.close()

    try:
        asyncio.run(go())
    except (KeyboardInterrupt, asyncio.CancelledError):
        console.print("worker stopped")
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
