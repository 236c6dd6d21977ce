"""A large distributed run killed halfway and resumed: enqueue time, throughput, each worker's
peak memory, and how long resuming takes, with research cached.

    python -m benchmarks.distributed_resume [--leads 10000] [--workers 2] [--broker redis|amqp]
        [--provider offline|openai] [--latency 0.6]

`--provider openai` runs the workers against the loopback OpenAI-compatible stub, which answers
after a fixed latency L (64 calls at once across the workers, as in `distributed_throughput`);
the default is the embedded offline provider.

Two `outreach worker` processes take a lead file of N leads (`outreach run --distributed`);
halfway, both are killed (SIGKILL). Running the same command again re-queues what is not done
(timed), two fresh workers finish the run, and every lead is checked to be done exactly once.
Needs PostgreSQL, Redis and RabbitMQ on 127.0.0.1, as the tests do.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import subprocess
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import select

from agent.demo.fixtures import EXAMPLES_DIR
from agent.demo.web import DemoWeb
from benchmarks.machine_speed import describe, reference_ms
from benchmarks.worker_cluster import bench_env, peak_rss_mb, scratch_database, wait_ready
from storage.database import Database
from storage.models import MessageRow, RunRow
from tests.agent.test_openai_provider import answer_like_a_model
from tests.agent.workers.cluster import OUTREACH, start_worker, stop
from tests.demo_people import PEOPLE
from tests.fakes.openai_stub import Delay, OpenAIStub, Respond

CONCURRENCY = 64  # model calls at once across the workers


def _lead_file(path: Path, count: int) -> None:
    keys = list(PEOPLE)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "email", "company", "title", "profile_url", "company_url"])
        for i in range(count):
            name, domain, company, title, profile = PEOPLE[keys[i % len(keys)]]
            local = name.lower().replace(" ", ".")
            out.writerow([name, f"{local}.{i}@{domain}", company, title, profile,
                          f"http://{domain}/"])  # fmt: skip


async def _progress(url: str) -> tuple[str, int, int]:
    async with await Database.connect(url) as db, db.sessions() as session:
        run = (await session.scalars(select(RunRow))).one()
        return run.status, run.processed, run.total


async def _threads(url: str) -> Counter[str]:
    async with await Database.connect(url) as db, db.sessions() as session:
        return Counter(t for t in await session.scalars(select(MessageRow.thread_id)) if t)


def progress(url: str) -> tuple[str, int, int]:
    """The run's status, leads counted, and total."""
    return asyncio.run(_progress(url))


def _provider_env(stub: OpenAIStub | None) -> dict[str, str]:
    if stub is None:
        return {}
    return {
        "OUTREACH_LLM_PROVIDER": "openai",
        "OUTREACH_LLM_BASE_URL": stub.base_url,
        "OUTREACH_LLM_API_KEY": "bench",
        "OUTREACH_LLM_MODEL": "gpt-4o-mini",
        "OUTREACH_LLM_MAX_RETRIES": "0",
        "OUTREACH_LLM_REQUESTS_PER_SECOND": "10000",
        "OUTREACH_LLM_FALLBACK": "none",
    }


def main(
    leads: int = 10_000,
    workers: int = 2,
    broker: str = "redis",
    provider: str = "offline",
    latency: float = 0.6,
) -> None:
    """Run, kill halfway, resume, finish; print the figures."""
    print(describe(reference_ms()))
    with (
        scratch_database() as url,
        DemoWeb(EXAMPLES_DIR / "sites") as web,
        TemporaryDirectory() as tmp_dir,
        OpenAIStub(keep_alive=True) if provider == "openai" else nullcontext() as stub,
    ):
        tmp = Path(tmp_dir)
        if stub is not None:
            # Two calls a lead at most, and the calls in flight when the workers die again.
            stub.enqueue(*[Delay(latency, Respond(answer_like_a_model))] * (leads * 3))
        env = bench_env(
            url, web, tmp, broker,
            OUTREACH_WORKER_CONCURRENCY=str(CONCURRENCY // workers), **_provider_env(stub),
        )  # fmt: skip
        subprocess.run([str(OUTREACH), "db", "upgrade"], env=env, check=True, capture_output=True)
        lead_path = tmp / "leads.csv"
        _lead_file(lead_path, leads)
        command = [
            str(OUTREACH), "run", str(lead_path), "--campaign-file",
            str(EXAMPLES_DIR / "campaign.yaml"), "-o", str(tmp / "results.jsonl"),
            "--distributed", "--no-wait",
        ]  # fmt: skip
        print(
            f"distributed run of {leads} leads, {_describe_provider(provider, latency)}, "
            f"research cached, {workers} workers, broker {broker}, PostgreSQL; killed halfway "
            "and resumed"
        )
        logs = [tmp / f"first-{i}.log" for i in range(workers)]
        first = [start_worker(env, log, "--no-sequences") for log in logs]
        wait_ready(logs)
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        queued = time.perf_counter() - started
        print(f"  queueing {leads} leads (the whole command): {queued:.1f} s", flush=True)
        while progress(url)[1] < leads // 4:
            time.sleep(0.5)
        # Peak memory at a quarter and at half: growth between them would be a leak.
        quarter = max(peak_rss_mb(p.pid) for p in first)
        while progress(url)[1] < leads // 2:
            time.sleep(0.5)
        rss = [peak_rss_mb(p.pid) for p in first]
        for proc in first:
            proc.kill()
            proc.wait()
        halfway = time.perf_counter() - started
        _, done_at_kill, _ = progress(url)
        print(
            f"  killed (SIGKILL) both workers at {done_at_kill} leads after {halfway:.1f} s: "
            f"{done_at_kill / halfway:.1f} leads/s; peak RSS {max(rss):.0f} MB per worker "
            f"({quarter:.0f} MB at a quarter of the batch)",
            flush=True,
        )
        resumed = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        requeue = time.perf_counter() - resumed
        logs = [tmp / f"second-{i}.log" for i in range(workers)]
        second = [start_worker(env, log, "--no-sequences") for log in logs]
        try:
            wait_ready(logs)
            while progress(url)[1] == done_at_kill:
                time.sleep(0.05)
            first_lead = time.perf_counter() - resumed
            while progress(url)[0] == "running":
                time.sleep(0.5)
            finished = time.perf_counter() - resumed
            rss = [peak_rss_mb(p.pid) for p in second]
        finally:
            for proc in second:
                stop(proc)
        status, processed, total = progress(url)
        threads = asyncio.run(_threads(url))
        print(
            f"  resume: the same command re-queued the rest in {requeue:.1f} s; the first lead "
            f"after it was stored {first_lead:.1f} s after the command started (fresh workers "
            f"starting included); finished in {finished:.1f} s; peak RSS {max(rss):.0f} MB per "
            "worker"
        )
        once = len(threads) == leads and set(threads.values()) == {1}
        print(
            f"  run {status}: {processed}/{total} counted; {len(threads)} leads stored, "
            f"{'each once' if once else 'NOT each once'}"
            + (f"; {len(stub.requests) / leads:.2f} model calls/lead" if stub else "")
        )
    print(f"{describe(reference_ms())} at the end")


def _describe_provider(provider: str, latency: float) -> str:
    if provider == "offline":
        return "offline provider"
    return f"openai provider against the loopback stub (L = {latency:g} s, C = {CONCURRENCY})"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--broker", choices=["redis", "amqp"], default="redis")
    parser.add_argument("--provider", choices=["offline", "openai"], default="offline")
    parser.add_argument("--latency", type=float, default=0.6, help="the stub's latency, seconds")
    args = parser.parse_args()
    main(
        leads=args.leads,
        workers=args.workers,
        broker=args.broker,
        provider=args.provider,
        latency=args.latency,
    )
