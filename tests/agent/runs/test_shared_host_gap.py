"""Two processes research pages on one host through the pipelines the product assembles
(agent.runs.pipeline_factory.open_pipeline, with OUTREACH_REDIS_URL and a per-host delay set):
the host sees its requests at least the delay apart between both processes, not once per
process, because each pipeline's page fetcher paces the host through Redis."""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
from pathlib import Path

from agent.runs.pipeline_factory import open_pipeline
from agent.settings import Settings
from tests.conftest import ROOT
from tests.fakes.fault_web import FaultWeb, Route
from tests.services import redis_url, unique
from tests.started_together import run_together

GAP_S = 0.5
PAGES = 4  # per process
PROCESSES = 2
PROFILE = b"<html><body><h1>Maya Lindqvist</h1><p>Head of Operations.</p></body></html>"
# The gap is granted on Redis' clock; the fixture host times arrivals after the request was
# built and sent. One request can reach the host late by however long its process was kept
# off the CPU in between, so two arrivals may be a little closer than the gap. Without the
# shared gap two processes' requests land at most GAP_S / 2 apart, well under this.
SCHEDULING_SLACK_S = 0.15


def research(host: str, address: str, redis: str, label: str, data_dir: str) -> None:
    """One process: open a pipeline as a worker does, wait for "go", then research PAGES
    profiles on the host at once."""
    settings = Settings(
        llm_provider="offline",
        redis_url=redis,
        per_host_delay_s=GAP_S,
        per_host_concurrency=PAGES,  # the gap, not the slots, is what spaces the requests
        cache_ttl_s=0,  # every page is fetched live
        render_js=False,
        allow_private_networks=True,  # the fixture host is on 127.0.0.1
        resolve={host: address},
        data_dir=Path(data_dir),
        _env_file=None,  # type: ignore[call-arg]
    )

    async def run() -> None:
        async with open_pipeline(settings) as pipeline:
            [profile] = [t for t in pipeline.context.research_tools if t.name == "research_profile"]
            print("ready", flush=True)
            await asyncio.to_thread(sys.stdin.readline)
            results = await asyncio.gather(
                *(
                    profile.ainvoke(
                        {"url": f"http://{host}/{label}-{i}", "person_name": "Maya Lindqvist"}
                    )
                    for i in range(PAGES)
                )
            )
            assert all(not result["errors"] for result in results), results

    asyncio.run(run())


def test_two_pipelines_keep_one_gap_per_host(tmp_path: Path) -> None:
    redis, host = redis_url(), f"{unique('paced')}.example"
    labels = [f"p{i}" for i in range(PROCESSES)]
    routes = {f"/{label}-{i}": Route(body=PROFILE) for label in labels for i in range(PAGES)}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env["PYTHONPATH"] = str(ROOT)
    with FaultWeb(routes) as web:
        address = web.base_url.removeprefix("http://")
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", __name__, host, address, redis, label, str(tmp_path)],
                env=env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for label in labels
        ]
        run_together(workers)  # both pipelines are open before either fetches
        hits = sorted(web.hits, key=lambda hit: hit[1])
    pages = [path for path, _ in hits if path != "/robots.txt"]
    assert sorted(pages) == sorted(routes)  # every page was researched, by both processes
    # The processes fetched at the same time: each one's first page came before any one's last.
    firsts = [min(t for path, t in hits if path.startswith(f"/{label}-")) for label in labels]
    lasts = [max(t for path, t in hits if path.startswith(f"/{label}-")) for label in labels]
    assert max(firsts) < min(lasts)
    # Every request to the host (robots.txt included) started at least the gap after the last.
    tightest = min(b - a for (_, a), (_, b) in itertools.pairwise(hits))
    assert tightest >= GAP_S - SCHEDULING_SLACK_S, f"two requests {tightest:.3f} s apart"


if __name__ == "__main__":
    research(*sys.argv[1:6])
