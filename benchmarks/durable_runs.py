"""What durability costs: checkpointed runs with the send ledger, and review action latency."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from agent.campaigns.files import load_campaign
from agent.demo.fixtures import EXAMPLES_DIR
from agent.demo.web import DemoWeb
from agent.review.queue import act, list_pending
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from benchmarks.pipeline_throughput import _leads
from benchmarks.storage_throughput import throwaway_postgres
from graphs.review_log import ReviewAction


async def _measure(
    label: str, url: str, data_dir: Path, leads: int, resolve: dict[str, str]
) -> None:
    campaign = load_campaign(EXAMPLES_DIR / "campaign.yaml")
    lead_file = _leads(leads)
    for auto_send in (True, False):
        settings = Settings(
            llm_provider="offline",
            database_url=url,
            data_dir=data_dir,
            auto_send=auto_send,
            concurrency=8,
            allow_private_networks=True,
            cache_ttl_s=0,
        )
        async with open_durable_pipeline(settings, migrate=True, resolve=resolve) as (db, p):
            store = await RunStore.start(
                db, campaign=campaign, run_id=p.context.run_id, total=leads, options={}
            )
            started = time.perf_counter()
            summary = await run_batch(p, lead_file, campaign, concurrency=8, store=store.save)
            wall = time.perf_counter() - started
            await store.close("completed")
        counts = summary.counts
        mode = "auto-send on " if auto_send else "auto-send off"
        print(
            f"  {label:<10} {mode}: {leads / wall:6.1f} leads/s at concurrency 8 "
            f"({counts['sent']}/{counts['queued']}/{counts['rejected']} sent/queued/rejected)"
        )
    pending = await list_pending(settings)
    timings = []
    for item in pending[:30]:
        started = time.perf_counter()
        await act(settings, item.id, ReviewAction(action="approve"), expected_version=item.version)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"  {label:<10} review approve (resume the paused graph, send, store): "
        f"median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms over {len(timings)}"
    )


async def _run(leads: int, resolve: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/outreach.db"
        await _measure("SQLite", url, Path(tmp), leads, resolve)
    async with throwaway_postgres() as pg_url:
        if pg_url is None:
            print("  PostgreSQL: not reachable on 127.0.0.1:5432, skipped")
            return
        with tempfile.TemporaryDirectory() as tmp:
            await _measure("PostgreSQL", pg_url, Path(tmp), leads, resolve)


def main(leads: int = 120) -> None:
    """Print checkpointed throughput and review latency on both backends."""
    print(
        f"durable runs: checkpoints after research, before sending and at the end, the send "
        f"ledger and stored outcomes; offline provider, live research; {leads} leads"
    )
    with DemoWeb(EXAMPLES_DIR / "sites") as web:
        asyncio.run(_run(leads, web.resolve_map(["brokenlink-labs.example"])))


if __name__ == "__main__":
    main()
