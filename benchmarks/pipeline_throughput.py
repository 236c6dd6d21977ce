"""Leads per second through the whole graph: offline, and openai-compatible over loopback."""

from __future__ import annotations

import asyncio
import resource
import tempfile
import time
from pathlib import Path

from agent.campaigns.files import load_campaign
from agent.demo.fixtures import EXAMPLES_DIR
from agent.demo.web import DemoWeb
from agent.leads.files import LeadFile, read_leads
from agent.runs.batch import run_batch
from agent.runs.pipeline_factory import open_pipeline
from agent.settings import Settings
from graphs.lead import Campaign, Lead


def _leads(count: int) -> LeadFile:
    """Repeat the example leads with unique addresses."""
    base = [lead for _, lead in read_leads(EXAMPLES_DIR / "leads.csv").leads]
    leads: list[tuple[int, Lead]] = []
    for i in range(count):
        lead = base[i % len(base)]
        email = f"{i}.{lead.email}"
        copy = lead.model_copy(update={"email": email, "source": f"bench:{i + 2}"})
        leads.append((i + 2, copy))
    return LeadFile(leads=leads)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _run(
    settings: Settings, lead_file: LeadFile, campaign: Campaign, resolve: dict[str, str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with open_pipeline(settings, resolve=resolve, outbox_path=Path(tmp) / "o.jsonl") as p:
            started, cpu = time.perf_counter(), _cpu_seconds()
            summary = await run_batch(p, lead_file, campaign, concurrency=settings.concurrency)
            wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    latencies = sorted(r["latency_ms"] for r in summary.records)
    count = len(latencies)
    calls = summary.usage.llm_calls / count
    counts = summary.counts
    print(
        f"  concurrency {settings.concurrency:>3}: {count / wall:7.1f} leads/s · "
        f"p50 {latencies[count // 2]:6.1f} ms · p95 {latencies[int(count * 0.95)]:6.1f} ms · "
        f"CPU {cpu / count * 1e3:5.1f} ms/lead · {calls:.2f} model calls/lead · "
        f"{counts['sent']}/{counts['queued']}/{counts['rejected']} sent/queued/rejected"
    )


def main(leads: int = 120, levels: list[int] | None = None) -> None:
    """Run the offline pipeline and the openai path against the stub; print figures."""
    from tests.agent.test_openai_provider import answer_like_a_model
    from tests.fakes.openai_stub import OpenAIStub, Respond

    lead_file = _leads(leads)
    campaign = load_campaign(EXAMPLES_DIR / "campaign.yaml")
    with DemoWeb(EXAMPLES_DIR / "sites") as web:
        resolve = web.resolve_map(["brokenlink-labs.example"])
        print(f"pipeline, offline provider, {leads} leads (research over loopback fixture sites)")
        for level in levels or [1, 8, 32]:
            settings = Settings(
                llm_provider="offline",
                auto_send=True,
                concurrency=level,
                allow_private_networks=True,
                cache_ttl_s=0,  # measure live research; the cache has its own benchmark
            )
            asyncio.run(_run(settings, lead_file, campaign, resolve))
        print(f"pipeline, openai provider against the loopback stub, {leads} leads")
        with OpenAIStub(keep_alive=True) as stub:
            for level in levels or [1, 8, 32]:
                # Identical replies, so any left over from one level serve the next.
                stub.enqueue(*[Respond(answer_like_a_model)] * (leads * 3))
                settings = Settings(
                    llm_provider="openai",
                    llm_base_url=stub.base_url,
                    llm_api_key="bench",  # type: ignore[arg-type]
                    llm_requests_per_second=10_000,
                    auto_send=True,
                    concurrency=level,
                    allow_private_networks=True,
                    cache_ttl_s=0,
                )
                asyncio.run(_run(settings, lead_file, campaign, resolve))


if __name__ == "__main__":
    main()
