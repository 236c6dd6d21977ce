"""Research throughput: leads/s, pages/s and peak memory, with a cold and a warm cache."""

from __future__ import annotations

import asyncio
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from agent.demo.fixtures import EXAMPLES_DIR
from agent.demo.web import DemoWeb
from tools.browser_render import BrowserPool, find_chromium
from tools.page_cache import PageCache
from tools.page_fetch import FetchLimits, PageFetcher
from tools.research_tools import build_research_tools

# (profile URL, company URL) pairs covering every fixture site, the JS-only one included.
SITES = [
    ("http://northwind-robotics.example/team/maya-okafor", "http://northwind-robotics.example/"),
    ("http://danielbrandt.example/", "http://lumenledger.example/"),
    ("http://copperleaf-health.example/team/priya-natarajan", "http://copperleaf-health.example/"),
    (None, "http://harborpine.example/"),
    (None, "http://fjordline.example/"),
    ("http://quietpeak.example/team/jonas-weber", "http://quietpeak.example/"),
    ("http://driftwood-data.example/team/elena-voss", "http://driftwood-data.example/"),
    ("http://saltmarsh.example/team/ravi-menon", "http://saltmarsh.example/"),
    (None, "http://kestrel-labs.example/"),
    (None, "http://oldmill.example/"),
]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _enrich_all(
    leads: int, concurrency: int, cache_dir: Path, resolve: dict[str, str]
) -> dict[str, Any]:
    chromium = find_chromium()
    pool = BrowserPool(chromium, host_resolver_rules=resolve) if chromium else None
    cache = PageCache(cache_dir / "pages.sqlite", ttl_s=3600)
    # Each lead is a distinct person at one of the sites: the same pages, so a warm cache
    # (a re-run of a campaign) serves them all.
    fetcher = PageFetcher(
        limits=FetchLimits(allow_private_networks=True, per_host_concurrency=4),
        resolve=resolve,
        cache=cache,
        renderer=pool,
    )
    tools = {t.name: t for t in build_research_tools(fetcher)}
    semaphore = asyncio.Semaphore(concurrency)
    facts = 0

    async def enrich(i: int) -> None:
        nonlocal facts
        profile, company = SITES[i % len(SITES)]
        async with semaphore:
            calls = [
                tools["research_company"].ainvoke({"url": company, "company_name": "X"}),
                tools["research_company_news"].ainvoke({"url": company, "company_name": "X"}),
            ]
            if profile:
                calls.append(
                    tools["research_profile"].ainvoke({"url": profile, "person_name": "X"})
                )
            for result in await asyncio.gather(*calls):
                facts += len(result["facts"])

    started = time.perf_counter()
    await asyncio.gather(*(enrich(i) for i in range(leads)))
    elapsed = time.perf_counter() - started
    rendered = pool.pages_rendered if pool else 0
    await fetcher.aclose()
    if pool:
        await pool.aclose()
    cache.close()
    return {
        "elapsed": elapsed,
        "fetched": fetcher.pages_fetched,
        "rendered": rendered,
        "cache_hits": cache.hits,
        "result_hits": cache.result_hits,
        "facts": facts,
        "chromium": bool(chromium),
    }


def main(leads: int = 200, concurrency: int = 16) -> None:
    """Enrich the leads twice (cold, then warm cache) and print the figures."""
    with DemoWeb(EXAMPLES_DIR / "sites") as web, tempfile.TemporaryDirectory() as tmp:
        resolve = web.resolve_map()
        print(
            f"enrichment, {leads} leads over {len(SITES)} fixture sites, concurrency {concurrency}"
        )
        for label in ("cold cache", "warm cache"):
            r = asyncio.run(_enrich_all(leads, concurrency, Path(tmp), resolve))
            served = r["fetched"] + r["cache_hits"]
            rates = f"{leads / r['elapsed']:7.1f} leads/s · {served / r['elapsed']:7.1f} pages/s"
            sources = (
                f"{r['fetched']} fetched, {r['rendered']} rendered in Chromium, "
                f"{r['cache_hits']} from cache; {r['result_hits']} research results reused"
            )
            tail = "" if r["chromium"] else " · Chromium not installed: JS pages not rendered"
            print(
                f"  {label}: {rates} ({sources}) · {r['facts'] / leads:.1f} facts/lead · "
                f"peak RSS {_peak_rss_mb():.0f} MB{tail}"
            )


if __name__ == "__main__":
    main()
