"""Distributed runs against an OpenAI-compatible stub with a fixed latency L: leads/s for 1, 2
and 4 `outreach worker` processes and its ratio to the endpoint's bound C/(k·L) (C concurrent
calls the endpoint takes, k model calls per lead as measured), CPU ms per lead in the workers,
model calls per lead, and each worker's peak memory.

    python -m benchmarks.distributed_throughput [--leads 1000] [--workers 1,2,4]
        [--latency 0.6] [--endpoint-concurrency 64] [--broker redis|amqp]

Needs PostgreSQL, Redis and RabbitMQ on 127.0.0.1 (as the tests do). Research is cached (a
warm-up run fills the page cache), so the figures are the orchestration's and the model's.
The stub answers in this process with the offline writer; its CPU is printed apart, since on
this 2-core machine it competes with the workers.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from agent.demo.fixtures import EXAMPLES_DIR
from agent.demo.web import DemoWeb
from benchmarks.machine_speed import describe, reference_ms
from benchmarks.worker_cluster import (
    RunProgress,
    bench_env,
    cpu_seconds,
    machine_cpu_seconds,
    peak_rss_mb,
    scratch_database,
    wait_ready,
)
from tests.agent.test_openai_provider import answer_like_a_model
from tests.agent.workers.cluster import (
    seed_campaign,
    start_api_run,
    start_worker,
    state,
    stop,
)
from tests.demo_people import people
from tests.fakes.openai_stub import Delay, OpenAIStub, Respond

KEYS = ("maya", "priya", "jonas", "daniel")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _one_level(
    env: dict[str, str], url: str, stub: OpenAIStub, tmp: Path, *, workers: int, leads: int,
    first_copy: int, concurrency: int, latency: float,
) -> str:  # fmt: skip
    env = {**env, "OUTREACH_WORKER_CONCURRENCY": str(max(1, concurrency // workers))}
    copies = (leads + len(KEYS) - 1) // len(KEYS) + first_copy
    batch = people(KEYS, copies)[first_copy * len(KEYS) :][:leads]
    sender = f"bench-{workers}@brightpath.example"
    campaign_id, lead_ids = asyncio.run(seed_campaign(url, batch, sender=sender, active=False))
    logs = [tmp / f"w{workers}-{i}.log" for i in range(workers)]
    procs = [start_worker(env, log, "--no-sequences") for log in logs]
    try:
        wait_ready(logs)
        cpu_before = [cpu_seconds(p.pid) for p in procs]
        calls_before, stub_cpu = len(stub.requests), _own_cpu()
        machine = machine_cpu_seconds()
        started = time.perf_counter()
        run_id = asyncio.run(start_api_run(env, campaign_id, lead_ids))
        with RunProgress(url, run_id) as progress:
            while progress.status() == "running":
                time.sleep(0.2)
        wall = time.perf_counter() - started
        cpu = sum(cpu_seconds(p.pid) - b for p, b in zip(procs, cpu_before, strict=True))
        rss = max(peak_rss_mb(p.pid) for p in procs)
        stub_cpu = _own_cpu() - stub_cpu
        machine = machine_cpu_seconds() - machine
        calls = (len(stub.requests) - calls_before) / leads
        s = state(url, run_id)
    finally:
        for proc in procs:
            stop(proc)
    rate = leads / wall
    bound = concurrency / (calls * latency)
    return (
        f"  {workers} worker(s): {rate:6.1f} leads/s · bound C/(k·L) {bound:5.1f} · ratio "
        f"{rate / bound:4.2f} · workers' CPU {cpu / leads * 1e3:5.1f} ms/lead · stub CPU "
        f"{stub_cpu / leads * 1e3:5.1f} ms/lead · machine CPU "
        f"{machine / leads * 1e3:5.1f} ms/lead · {calls:.2f} model calls/lead · peak RSS "
        f"{rss:5.0f} MB/worker · {s['processed']} leads {s['status']}"
    )


def main(
    leads: int = 1000,
    workers: list[int] | None = None,
    latency: float = 0.6,
    concurrency: int = 64,
    broker: str = "redis",
) -> None:
    """Measure each worker count in turn on one scratch database; print one line each."""
    levels = workers or [1, 2, 4]
    print(describe(reference_ms()))
    with (
        scratch_database() as url,
        DemoWeb(EXAMPLES_DIR / "sites") as web,
        OpenAIStub(keep_alive=True) as stub,
        TemporaryDirectory() as tmp_dir,
    ):
        tmp = Path(tmp_dir)
        env = bench_env(
            url,
            web,
            tmp,
            broker,
            OUTREACH_LLM_PROVIDER="openai",
            OUTREACH_LLM_BASE_URL=stub.base_url,
            OUTREACH_LLM_API_KEY="bench",
            OUTREACH_LLM_MODEL="gpt-4o-mini",
            OUTREACH_LLM_MAX_RETRIES="0",
            OUTREACH_LLM_REQUESTS_PER_SECOND="10000",
            OUTREACH_LLM_FALLBACK="none",
        )
        stub.enqueue(*[Delay(latency, Respond(answer_like_a_model))] * (leads * 4 * len(levels)))
        print(
            f"distributed runs, openai provider against the loopback stub (L = {latency:g} s, "
            f"C = {concurrency} calls at once), {leads} leads a level, research cached, "
            f"broker {broker}, PostgreSQL"
        )
        # Warm-up: fills the page cache and brings the imports in.
        _one_level(env, url, stub, tmp, workers=1, leads=len(KEYS), first_copy=2_000,
                   concurrency=concurrency, latency=latency)  # fmt: skip
        for number, count in enumerate(levels):
            line = _one_level(
                env, url, stub, tmp, workers=count, leads=leads,
                first_copy=number * (leads // len(KEYS) + 1),
                concurrency=concurrency, latency=latency,
            )  # fmt: skip
            print(line, flush=True)
    print(f"{describe(reference_ms())} at the end")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    # A level's first seconds wait on its first leads' two model calls and its last on the
    # slowest lead: 1,000 leads a level reads the sustained rate, not the ramp.
    parser.add_argument("--leads", type=int, default=1000)
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts")
    parser.add_argument("--latency", type=float, default=0.6, help="the stub's latency, seconds")
    parser.add_argument("--endpoint-concurrency", type=int, default=64)
    parser.add_argument("--broker", choices=["redis", "amqp"], default="redis")
    args = parser.parse_args()
    main(
        leads=args.leads,
        workers=[int(n) for n in args.workers.split(",")],
        latency=args.latency,
        concurrency=args.endpoint_concurrency,
        broker=args.broker,
    )
