"""Tracking at scale: SendGrid webhook events ingested per second, and analytics at 1M events.

Events go through the real app (signature check, matching, idempotency, counters, status) over
an in-process ASGI transport, so the figure is the server's own cost without socket overhead.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

from agent.settings import Settings
from benchmarks.storage_throughput import fill_campaign, throwaway_postgres
from server.app import create_app
from storage.api_keys import issue_key
from storage.database import open_engine, session_maker
from storage.migrations import upgrade
from storage.models import EventRow
from tests.fakes.sendgrid_fake import WebhookSigner

MESSAGES = 30_000
EVENTS_PER_REQUEST = 1_000
REQUESTS = 10
TOTAL_EVENTS = 1_000_000
KINDS = ("delivered", "open", "click")


def _batch(number: int, sent_ids: list[int]) -> bytes:
    events = []
    for i in range(EVENTS_PER_REQUEST):
        serial = number * EVENTS_PER_REQUEST + i
        message_id = sent_ids[serial % len(sent_ids)]
        events.append(
            {
                "email": f"l{message_id}@x.example",
                "timestamp": 1_763_800_000 + serial,
                "event": KINDS[(serial // len(sent_ids)) % len(KINDS)],
                "sg_event_id": f"bench-{serial}",
                "sg_message_id": f"sg-{message_id}.filter0001",
                "outreach_message_id": str(message_id),
            }
        )
    return json.dumps(events).encode()


async def _pad_events(url: str, campaign_id: int) -> int:
    """Add history until the event log holds TOTAL_EVENTS rows."""
    engine = open_engine(url)
    sessions = session_maker(engine)
    try:
        async with sessions() as session:
            have = await session.scalar(select(func.count(EventRow.id))) or 0
        for start in range(have, TOTAL_EVENTS, 20_000):
            stop = min(start + 20_000, TOTAL_EVENTS)
            async with sessions.begin() as session:
                await session.execute(
                    insert(EventRow),
                    [{"type": KINDS[i % 3], "campaign_id": campaign_id,
                      "message_id": (i % MESSAGES) + 1, "external_id": f"history-{i}",
                      "payload": {}} for i in range(start, stop)],
                )  # fmt: skip
        return TOTAL_EVENTS
    finally:
        await engine.dispose()


async def _measure(label: str, url: str, data_dir: Path) -> None:
    engine = open_engine(url)
    try:
        await upgrade(engine)
        campaign_id, _ = await fill_campaign(engine, MESSAGES)
        sessions = session_maker(engine)
        async with sessions.begin() as session:
            _, key = await issue_key(session, name="bench")
    finally:
        await engine.dispose()
    sent_ids = [i for i in range(1, MESSAGES + 1) if i % 3 == 0]
    signer = WebhookSigner()
    settings = Settings(
        database_url=url,
        data_dir=data_dir,
        sendgrid_webhook_public_key=signer.public_key,
        dispatch_interval_s=0,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings)
    bodies = [_batch(n, sent_ids) for n in range(REQUESTS)]
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=300) as client,
    ):
        started = time.perf_counter()
        applied = 0
        for body in bodies:
            response = await client.post(
                "/api/v1/webhooks/sendgrid",
                content=body,
                headers={"Content-Type": "application/json", **signer.headers(body)},
            )
            response.raise_for_status()
            applied += response.json()["applied"]
        elapsed = time.perf_counter() - started
        assert applied == REQUESTS * EVENTS_PER_REQUEST, applied
        print(f"  {label}: {applied / elapsed:7.0f} webhook events/s ingested", flush=True)
        total = await _pad_events(url, campaign_id)
        timings = []
        for _ in range(20):
            started_call = time.perf_counter()
            response = await client.get(
                f"/api/v1/campaigns/{campaign_id}/analytics",
                headers={"Authorization": f"Bearer {key}"},
            )
            timings.append((time.perf_counter() - started_call) * 1000)
            response.raise_for_status()
    print(
        f"  {label}: ({REQUESTS} signed requests of {EVENTS_PER_REQUEST} events) · "
        "GET analytics with "
        f"{total:,} events and {MESSAGES:,} messages: median {statistics.median(timings):.1f} ms, "
        f"worst {max(timings):.1f} ms"
    )


async def _run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await _measure("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", Path(tmp))
        async with throwaway_postgres() as url:
            if url is None:
                print("  PostgreSQL: not reachable on 127.0.0.1:5432, skipped")
            else:
                await _measure("PostgreSQL", url, Path(tmp))


def main() -> None:
    """Print webhook ingestion and analytics figures for SQLite and PostgreSQL."""
    print("Webhook ingestion and analytics at 1M events")
    asyncio.run(_run())


if __name__ == "__main__":
    main()
