"""CPU per lead: the openai path with durable storage (SQLite, PostgreSQL) and the offline path.

The machine's speed at the time (benchmarks/machine_speed.py) is printed with the figures.
The model stub and the fixture web run in a child process, so the CPU counted
(resource.getrusage of this process) is the pipeline's own: graph, checkpoints, stored
outcomes, prompt rendering, the HTTP client, parsing and the critic. Research is cached (a
warm-up run fills the page cache first), so page parsing is not part of the figure.

    python -m benchmarks.cpu_per_lead [--leads 60] [--runs 3] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import multiprocessing
import pstats
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from agent.campaigns.files import load_campaign
from agent.cli.garbage_collection import pace_garbage_collection
from agent.demo.fixtures import EXAMPLES_DIR
from agent.leads.files import LeadFile
from agent.runs.batch import BatchSummary, run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.pipeline_factory import open_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from benchmarks.machine_speed import describe, reference_ms
from benchmarks.pipeline_throughput import _leads
from benchmarks.storage_throughput import throwaway_postgres
from graphs.lead import Campaign

CONCURRENCY = 8


def _serve(conn: Connection, model_calls: int) -> None:
    """Child process: serve the fixture web and the model stub until told to stop."""
    from agent.demo.web import DemoWeb
    from tests.agent.test_openai_provider import answer_like_a_model
    from tests.fakes.openai_stub import OpenAIStub, Respond

    with DemoWeb(EXAMPLES_DIR / "sites") as web, OpenAIStub(keep_alive=True) as stub:
        stub.enqueue(*[Respond(answer_like_a_model)] * model_calls)
        conn.send((web.resolve_map(["brokenlink-labs.example"]), stub.base_url))
        conn.recv()  # the parent is done
        usage = resource.getrusage(resource.RUSAGE_SELF)
        conn.send((usage.ru_utime + usage.ru_stime, len(stub.requests)))


class Servers(AbstractContextManager["Servers"]):
    """The fixture web and the model stub in a child process."""

    def __init__(self, model_calls: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, model_calls), daemon=True)
        self.resolve: dict[str, str] = {}
        self.base_url = ""
        self.cpu_s = 0.0
        self.requests = 0

    def __enter__(self) -> Servers:
        self._process.start()
        self.resolve, self.base_url = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self.cpu_s, self.requests = self._conn.recv()
        self._process.join(timeout=10)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Figures:
    """One measured run."""

    cpu_ms_per_lead: float
    gc_ms_per_lead: float
    leads_per_s: float
    calls_per_lead: float
    outcome: str
    first_drafts: str


class CollectorTime:
    """The CPU the cyclic garbage collector takes while on (gc.callbacks)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started: float | None = None

    def __enter__(self) -> CollectorTime:
        gc.callbacks.append(self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._note)

    def _note(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.thread_time()
        elif self._started is not None:
            self.seconds += time.thread_time() - self._started
            self._started = None


def _figures(
    summary: BatchSummary, cpu_s: float, gc_s: float, wall_s: float, leads: int
) -> Figures:
    counts = summary.counts
    return Figures(
        cpu_ms_per_lead=cpu_s / leads * 1e3,
        gc_ms_per_lead=gc_s / leads * 1e3,
        leads_per_s=leads / wall_s,
        calls_per_lead=summary.usage.llm_calls / leads,
        outcome=f"{counts['sent']}/{counts['queued']}/{counts['rejected']} sent/queued/rejected",
        first_drafts=_first_drafts(summary.records),
    )


def _first_drafts(records: list[dict[str, Any]]) -> str:
    """How many written leads' first drafts passed the critic in every tone (no rewrite)."""
    written = [r for r in records if r.get("attempts", 0) >= 1]
    passed = [
        r
        for r in written
        if r["attempts"] == 1 and all((v["quality"] or {}).get("passed") for v in r["variants"])
    ]
    return f"first drafts passing the critic in every tone: {len(passed)} of {len(written)} leads"


async def _timed(
    batch: Callable[[], Awaitable[BatchSummary]], leads: int, profile: cProfile.Profile | None
) -> Figures:
    started, cpu = time.perf_counter(), _cpu_seconds()
    if profile is not None:
        profile.enable()
    with CollectorTime() as collector:
        summary = await batch()
    if profile is not None:
        profile.disable()
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return _figures(summary, cpu, collector.seconds, wall, leads)


async def durable_run(
    settings: Settings,
    lead_file: LeadFile,
    campaign: Campaign,
    resolve: dict[str, str],
    profile: cProfile.Profile | None = None,
) -> Figures:
    """Run a batch with checkpoints, the send ledger and stored outcomes, as `outreach run`."""
    leads = len(lead_file.leads)
    async with open_durable_pipeline(settings, migrate=True, resolve=resolve) as (db, pipeline):
        store = await RunStore.start(
            db, campaign=campaign, run_id=pipeline.context.run_id, total=leads, options={}
        )

        async def batch() -> BatchSummary:
            return await run_batch(
                pipeline,
                lead_file,
                campaign,
                concurrency=settings.concurrency,
                store=store.save,
                new_run=True,  # as `outreach run` starting a run
            )

        figures = await _timed(batch, leads, profile)
        await store.close("completed")
    return figures


async def plain_run(
    settings: Settings,
    lead_file: LeadFile,
    campaign: Campaign,
    resolve: dict[str, str],
    profile: cProfile.Profile | None = None,
) -> Figures:
    """Run a batch without checkpoints or a database (results only)."""
    leads = len(lead_file.leads)
    with tempfile.TemporaryDirectory() as tmp:
        outbox = Path(tmp) / "outbox.jsonl"
        async with open_pipeline(settings, resolve=resolve, outbox_path=outbox) as pipeline:

            async def batch() -> BatchSummary:
                return await run_batch(
                    pipeline, lead_file, campaign, concurrency=settings.concurrency
                )

            return await _timed(batch, leads, profile)


def _settings(data_dir: Path, provider: str, base_url: str, **more: Any) -> Settings:
    openai: dict[str, Any] = {
        "llm_base_url": base_url,
        "llm_api_key": "bench",
        "llm_requests_per_second": 10_000,
        "llm_max_retries": 0,
    }
    return Settings(
        llm_provider=provider,  # type: ignore[arg-type]
        data_dir=data_dir,
        auto_send=True,
        concurrency=CONCURRENCY,
        allow_private_networks=True,
        cache_ttl_s=7 * 86_400,
        **(openai if provider == "openai" else {}),
        **more,
    )


def _report(label: str, runs: list[Figures]) -> None:
    def spread(values: list[float], fmt: str) -> str:
        low, mid, high = min(values), statistics.median(values), max(values)
        return f"{mid:{fmt}} ({low:{fmt}}–{high:{fmt}})"

    cpu = spread([r.cpu_ms_per_lead for r in runs], ".1f")
    collector = spread([r.gc_ms_per_lead for r in runs], ".1f")
    rate = spread([r.leads_per_s for r in runs], ".1f")
    calls = ", ".join(f"{r.calls_per_lead:.2f}" for r in runs)
    print(f"  {label:<22} CPU {cpu} ms/lead · {rate} leads/s · model calls/lead {calls}")
    print(f"  {'':<22} of which garbage collection {collector} ms/lead")
    print(f"  {'':<22} {runs[-1].outcome} (median, min–max over {len(runs)} runs)")
    print(f"  {'':<22} {runs[-1].first_drafts}")


def _print_profile(label: str, profile: cProfile.Profile, top: int = 25) -> None:
    print(f"\n--- profile: {label} ---")
    stats = pstats.Stats(profile)
    stats.strip_dirs()
    for key in ("cumulative", "tottime"):
        print(f"top {top} by {key}:")
        stats.sort_stats(key).print_stats(top)


async def _measure(
    label: str,
    runs: int,
    one_run: Callable[[cProfile.Profile | None], Awaitable[Figures]],
    profile: bool,
) -> None:
    results = [await one_run(None) for _ in range(runs)]
    _report(label, results)
    if profile:
        profiler = cProfile.Profile()
        await one_run(profiler)
        _print_profile(label, profiler)


async def _all(args: argparse.Namespace, servers: Servers, data_dir: Path) -> None:
    campaign = load_campaign(EXAMPLES_DIR / "campaign.yaml")
    lead_file = _leads(args.leads)
    resolve = servers.resolve
    # Warm-up: fills the page cache (research) and imports everything lazily imported.
    offline = _settings(data_dir, "offline", servers.base_url)
    await plain_run(offline, lead_file, campaign, resolve)
    only = set(args.only.split(","))

    if "sqlite" in only:

        async def on_sqlite(profiler: cProfile.Profile | None) -> Figures:
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite+aiosqlite:///{tmp}/outreach.db"
                settings = _settings(data_dir, "openai", servers.base_url, database_url=url)
                return await durable_run(settings, lead_file, campaign, resolve, profiler)

        await _measure("openai, SQLite", args.runs, on_sqlite, args.profile)

    if "postgresql" in only:

        async def on_postgres(profiler: cProfile.Profile | None) -> Figures:
            async with throwaway_postgres() as url:  # a fresh database per run, as SQLite's
                if url is None:
                    raise RuntimeError("PostgreSQL is not reachable on 127.0.0.1:5432")
                settings = _settings(data_dir, "openai", servers.base_url, database_url=url)
                return await durable_run(settings, lead_file, campaign, resolve, profiler)

        await _measure("openai, PostgreSQL", args.runs, on_postgres, args.profile)

    if "offline" in only:

        async def on_offline(profiler: cProfile.Profile | None) -> Figures:
            return await plain_run(offline, lead_file, campaign, resolve, profiler)

        await _measure("offline, cached", args.runs, on_offline, args.profile)


def main(
    leads: int = 60,
    runs: int = 3,
    profile: bool = False,
    only: str = "sqlite,postgresql,offline",
    pace_gc: bool = True,
) -> None:
    """Print CPU ms/lead, leads/s and model calls/lead for each path."""
    args = argparse.Namespace(leads=leads, runs=runs, profile=profile, only=only)
    print(
        f"CPU per lead: {leads} leads at concurrency {CONCURRENCY}, research cached, "
        "stub and fixture web in a child process"
    )
    before = reference_ms()
    calls = leads * 4 * (runs + 1) * 2 + 100  # enough answers for every run, re-asks included
    servers: AbstractContextManager[Servers] = Servers(calls)
    if pace_gc:
        pace_garbage_collection()  # as the outreach command does
    with servers as running, tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_all(args, running, Path(tmp)))
    print(
        f"  model stub and fixture web (child process): {running.cpu_s:.1f} s CPU, "
        f"{running.requests} model requests"
    )
    print(f"  {describe(before)} before, {reference_ms():.0f} ms after")


def cli() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cpu_per_lead", description=__doc__)
    parser.add_argument("--leads", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3, help="measured runs per path")
    parser.add_argument("--profile", action="store_true", help="print cProfile top functions")
    parser.add_argument("--only", default="sqlite,postgresql,offline")
    parser.add_argument(
        "--default-gc",
        action="store_true",
        help="keep Python's collector thresholds (the outreach command paces them)",
    )
    args = parser.parse_args()
    main(
        leads=args.leads,
        runs=args.runs,
        profile=args.profile,
        only=args.only,
        pace_gc=not args.default_gc,
    )


if __name__ == "__main__":
    cli()
