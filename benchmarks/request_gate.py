"""Hostile requests, measured: what refusing them costs the server, over real HTTP on loopback.

- an unauthenticated 200 MB JSON body to POST /api/v1/leads (chunked, so no length to refuse it
  by): how long until the 401/413, how much of it the server read, and how much the server's
  process grew (before the request gate: about 5 s and +370 MB, read and parsed in full);
- a 20 MB authenticated lead import: the time the depth scan adds before FastAPI parses it;
- the depth scan alone, in MB/s, on that body and on a body nested 50,000 levels deep.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from agent.demo.fixtures import DEMO_TODAY
from agent.settings import Settings
from server.app import create_app
from server.json_depth import json_depth
from storage.api_keys import issue_key
from storage.database import Database
from tests.server.hostile.hostile_http import Body
from tests.server.live_server import LiveServer

HUGE = 200 * 1024 * 1024


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _lead_import(leads: int = 9_000, note_chars: int = 2_000) -> bytes:
    """A JSON lead import just under its 20 MB limit (the API takes 10,000 leads at most)."""
    note = "x" * note_chars
    rows = [
        {"name": f"Lead {n}", "email": f"lead{n}@example.com", "company": "Acme", "notes": note}
        for n in range(leads)
    ]
    return json.dumps({"leads": rows}).encode()


async def _key(settings: Settings) -> str:
    async with (
        await Database.connect(settings.database, migrate=True) as db,
        db.sessions.begin() as session,
    ):
        _, key = await issue_key(session, name="bench")
    return key


def _depth_scan(body: bytes, rounds: int = 5) -> float:
    """Return the depth scan's median throughput on body, in MB/s."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        json_depth(body)
        times.append(time.perf_counter() - started)
    return len(body) / 1e6 / statistics.median(times)


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), dispatch_interval_s=0)
        key = asyncio.run(_key(settings))
        app = create_app(settings, clock=lambda: DEMO_TODAY)
        with LiveServer(app) as live, httpx.Client(base_url=live.base_url, timeout=120) as http:
            before = _peak_rss_mb()
            body = Body(HUGE)
            started = time.perf_counter()
            answer = http.post(
                "/api/v1/leads", content=body, headers={"Content-Type": "application/json"}
            )
            refused_s = time.perf_counter() - started
            grown = _peak_rss_mb() - before
            print(
                f"request gate: unauthenticated 200 MB chunked body refused with "
                f"{answer.status_code} in {refused_s * 1000:.0f} ms, "
                f"{body.taken / 1e6:.1f} MB of it sent before the refusal, "
                f"peak RSS of the process (client and server) +{grown:.0f} MB"
            )
            imported = _lead_import()
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                response = http.post("/api/v1/leads", content=imported, headers=headers)
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text[:300]
            scan_s = len(imported) / 1e6 / _depth_scan(imported)
            print(
                f"request gate: a {len(imported) / 1e6:.1f} MB lead import answers in median "
                f"{statistics.median(timings):.2f} s; its depth scan takes {scan_s * 1000:.0f} ms "
                f"of that"
            )
    print(
        f"depth scan alone: {_depth_scan(imported):.0f} MB/s on the lead import, "
        f"{_depth_scan(b'[' * 50_000 + b']' * 50_000):.0f} MB/s on a body nested 50,000 deep"
    )


if __name__ == "__main__":
    main()
