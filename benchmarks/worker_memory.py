"""Memory of a long-lived process over many leads: one durable pipeline (as a worker keeps
it) runs batch after batch of new leads; after each, the process's resident memory and the
batch's CPU per lead are printed. Growth that never levels off would be a leak; bounded
caches filling up show as a few steps that stop.

    python -m benchmarks.worker_memory [--batch 500] [--batches 12]

Offline provider, durable storage on SQLite (checkpoints, the send ledger, every outcome
stored), research cached after the first leads, concurrency 8.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import tempfile
import time
from pathlib import Path

from agent.campaigns.files import load_campaign
from agent.demo.fixtures import EXAMPLES_DIR
from agent.leads.files import LeadFile
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from benchmarks.cpu_per_lead import CONCURRENCY, Servers, _settings
from benchmarks.machine_speed import describe, reference_ms
from benchmarks.pipeline_throughput import _leads


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _run(batch: int, batches: int, servers: Servers) -> None:
    campaign = load_campaign(EXAMPLES_DIR / "campaign.yaml")
    every = _leads(batch * batches).leads  # unique addresses across all batches
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/outreach.db"
        settings = _settings(Path(tmp), "offline", servers.base_url, database_url=url)
        async with open_durable_pipeline(settings, migrate=True, resolve=servers.resolve) as (
            db,
            pipeline,
        ):
            for number in range(batches):
                leads = LeadFile(leads=every[number * batch : (number + 1) * batch])
                store = await RunStore.start(
                    db, campaign=campaign, run_id=f"mem{number}", total=batch, options={}
                )
                started, cpu = time.perf_counter(), _cpu_s()
                await run_batch(
                    pipeline,
                    leads,
                    campaign,
                    concurrency=CONCURRENCY,
                    store=store.save,
                    new_run=True,
                )
                wall, cpu = time.perf_counter() - started, _cpu_s() - cpu
                await store.close("completed")
                gc.collect()
                print(
                    f"  after {(number + 1) * batch:6d} leads: RSS {_rss_mb():5.0f} MB · batch "
                    f"CPU {cpu / batch * 1e3:5.1f} ms/lead · {batch / wall:5.1f} leads/s",
                    flush=True,
                )


def main(batch: int = 500, batches: int = 12) -> None:
    """Run the batches on one pipeline; print memory and CPU after each."""
    print(describe(reference_ms()))
    print(f"one durable pipeline (offline, SQLite), {batches} batches of {batch} new leads")
    with Servers(model_calls=0) as servers:
        asyncio.run(_run(batch, batches, servers))
    print(f"{describe(reference_ms())} at the end")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--batches", type=int, default=12)
    args = parser.parse_args()
    main(batch=args.batch, batches=args.batches)
