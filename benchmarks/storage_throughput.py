"""Storage at scale: insert rate for 100k messages and the campaign analytics latency."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.analytics import campaign_analytics
from storage.database import open_engine, session_maker
from storage.migrations import upgrade
from storage.models import (
    CampaignRow,
    CampaignToneStatRow,
    LeadRow,
    MessageRow,
    RunRow,
    VariantStatRow,
)

PG_ADMIN_DSN = "postgresql://127.0.0.1/test"
BATCH = 5_000
TONES = ("professional", "friendly", "direct")


@asynccontextmanager
async def throwaway_postgres() -> AsyncIterator[str | None]:
    import asyncpg

    name = f"outreach_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        yield None
        return
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://127.0.0.1/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def fill_campaign(engine: AsyncEngine, messages: int) -> tuple[int, float]:
    """Insert a campaign with `messages` messages (a third of them sent); return id and time."""
    sessions = session_maker(engine)
    async with sessions.begin() as session:
        campaign = CampaignRow(name="bench", channel="email", value_proposition="x")
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="bench-run", campaign_id=campaign.id, total=messages))
        campaign_id = campaign.id
    started = time.perf_counter()
    for offset in range(0, messages, BATCH):
        ids = range(offset + 1, min(offset + BATCH, messages) + 1)
        async with sessions.begin() as session:
            await session.execute(
                insert(LeadRow),
                [{"id": i, "name": f"Lead {i}", "company": "Acme",
                  "email_normalized": f"l{i}@x.example"} for i in ids],
            )  # fmt: skip
            await session.execute(
                insert(MessageRow),
                [{"id": i, "campaign_id": campaign_id, "lead_id": i, "run_id": "bench-run",
                  "status": ("sent", "queued", "rejected")[i % 3], "reason": "bench",
                  "variants": [{"tone": t, "body": "hello"} for t in TONES],
                  "selected_variant": "professional", "cost_usd": 0.0001, "generation": {}}
                 for i in ids],
            )  # fmt: skip
            await session.execute(
                insert(VariantStatRow),
                [{"message_id": i, "tone": t, "sent": int(i % 3 == 0 and t == "professional"),
                  "delivered": int(i % 3 == 0), "opened": int(i % 7 == 0),
                  "replied": int(i % 31 == 0)} for i in ids for t in TONES],
            )  # fmt: skip
    # The rollups the write path keeps per lead, computed here once for the whole fill.
    async with sessions.begin() as session:
        await session.execute(
            insert(CampaignToneStatRow).from_select(
                ["campaign_id", "tone", "sent", "delivered", "opened", "clicked", "replied",
                 "bounced"],
                select(MessageRow.campaign_id, VariantStatRow.tone, func.sum(VariantStatRow.sent),
                       func.sum(VariantStatRow.delivered), func.sum(VariantStatRow.opened),
                       func.sum(VariantStatRow.clicked), func.sum(VariantStatRow.replied),
                       func.sum(VariantStatRow.bounced))
                .join(MessageRow, MessageRow.id == VariantStatRow.message_id)
                .group_by(MessageRow.campaign_id, VariantStatRow.tone),
            )
        )  # fmt: skip
        row = await session.get(CampaignRow, campaign_id)
        assert row is not None
        row.total_messages = messages
        row.total_cost_usd = messages * 0.0001
    return campaign_id, time.perf_counter() - started


async def _measure(label: str, url: str, messages: int) -> None:
    engine = open_engine(url)
    try:
        await upgrade(engine)
        campaign_id, elapsed = await fill_campaign(engine, messages)
        if engine.dialect.name == "postgresql":
            # What autovacuum does shortly after a bulk load: fresh statistics and a visibility
            # map, so counting statuses is an index-only scan. Measured in that steady state.
            async with engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql("VACUUM ANALYZE messages")
        timings = []
        sessions = session_maker(engine)
        for _ in range(20):
            async with sessions() as session:
                started = time.perf_counter()
                stats = await campaign_analytics(session, campaign_id=campaign_id)
                timings.append((time.perf_counter() - started) * 1000)
        assert stats["performance"]["total_messages"] == messages
        print(
            f"  {label}: {messages / elapsed:9.0f} messages/s inserted (with lead and 3 variant "
            f"rows each) · analytics over {messages} messages: median "
            f"{statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms"
        )
    finally:
        await engine.dispose()


async def _run(messages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await _measure("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", messages)
    async with throwaway_postgres() as url:
        if url is None:
            print("  PostgreSQL: not reachable on 127.0.0.1:5432, skipped")
        else:
            await _measure("PostgreSQL", url, messages)


def main(messages: int = 100_000) -> None:
    """Fill each backend with messages and time the analytics aggregate."""
    print(f"storage, {messages} messages")
    asyncio.run(_run(messages))


if __name__ == "__main__":
    main()
