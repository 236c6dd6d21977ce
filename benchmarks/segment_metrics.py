"""Metrics by segment, angle and week over a campaign of 20,000 contacted leads (26 weeks).

Each lead has a funding fact its first message's hook cites; about one in ten replied (a third
of them interested, a third asking for a meeting). The campaign has two segments by title, so
every lead is placed with the rules (what GET /campaigns/{id}/analytics/segments does). Timed:
the report (warm: scipy's import, ~1 s once per process, is left out) and the SVG trend plot.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from agent.campaigns.segment_metrics import segment_metrics
from agent.campaigns.trend_plot import trend_plot
from storage.database import Database
from storage.models import CampaignRow, EventRow, FactRow, LeadRow, MessageRow, RunRow

START = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
UNTIL = dt.date(2026, 11, 25)
SEGMENTS = [
    {"name": "leaders", "share": 0.5, "match": {"title": "VP"},
     "angle": {"tone": "direct", "emphasis": "cut CI time"}},
    {"name": "engineers", "share": 0.3, "match": {"title": "engineer"}},
]  # fmt: skip
TITLES = ("VP Platform", "Staff Engineer", "Owner")


async def _seed(db: Database, count: int) -> int:
    rnd = random.Random(1)
    async with db.sessions.begin() as session:
        campaign = CampaignRow(
            name="bench", channel="email", value_proposition="CI.",
            settings={"segments": SEGMENTS, "sequence": "3-step"},
        )  # fmt: skip
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="bench", campaign_id=campaign.id))
        await session.flush()
        await session.execute(insert(LeadRow), [
            {"name": f"L{n}", "email": f"l{n}@x{n}.example",
             "email_normalized": f"l{n}@x{n}.example", "company": f"C{n}",
             "title": TITLES[n % 3], "extra": {}, "status": "new"}
            for n in range(count)
        ])  # fmt: skip
        ids = list(await session.scalars(select(LeadRow.id).order_by(LeadRow.id)))
        await session.execute(insert(FactRow), [
            {"lead_id": i, "fact_id": f"f{i}", "kind": "news", "text": "Raised a Series B.",
             "title": "Raises Series B", "source_url": "http://x.example", "tool": "bench",
             "retrieved_at": START, "attributes": {"trigger": "funding"}}
            for i in ids
        ])  # fmt: skip
        hours = 24 * 7 * 26
        await session.execute(insert(MessageRow), [
            {"campaign_id": campaign.id, "lead_id": i, "run_id": "bench", "status": "sent",
             "variants": [{"tone": "direct", "hooks": [{"text": "x", "fact_ids": [f"f{i}"]}]}],
             "selected_variant": "direct",
             "sent_at": START + dt.timedelta(hours=rnd.randrange(hours))}
            for i in ids
        ])  # fmt: skip
        messages = list(await session.scalars(select(MessageRow.id)))
        intents = ("interested", "meeting_request", "not_interested")
        await session.execute(insert(EventRow), [
            {"type": "replied", "campaign_id": campaign.id, "message_id": m,
             "payload": {"intent": rnd.choice(intents)}}
            for m in messages if rnd.random() < 0.1
        ])  # fmt: skip
        return campaign.id


async def _measure(url: str, count: int) -> None:
    async with await Database.connect(url, migrate=True) as db:
        campaign_id = await _seed(db, count)
        times: list[float] = []
        report: dict[str, Any] = {}
        for _ in range(4):
            async with db.sessions() as session:
                campaign = await session.get(CampaignRow, campaign_id)
                assert campaign is not None
                began = time.perf_counter()
                report = await segment_metrics(session, campaign, weeks=26, until=UNTIL)
                times.append(time.perf_counter() - began)
    trend_plot(report, "svg")
    began = time.perf_counter()
    picture = trend_plot(report, "svg")
    drawn = time.perf_counter() - began
    print(
        f"metrics by segment, angle and week, {report['totals']['sent']:,} contacted leads, "
        f"26 weeks, SQLite: report median {statistics.median(times[1:]):.2f} s "
        f"(first {times[0]:.2f} s with scipy's import); SVG plot {drawn:.2f} s, "
        f"{len(picture) / 1024:.0f} KiB"
    )


def main(leads: int = 20_000) -> None:
    """Seed a temporary SQLite database and time the report and its plot."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'metrics.db'}"
        asyncio.run(_measure(url, leads))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.segment_metrics")
    parser.add_argument("--leads", type=int, default=20_000)
    main(parser.parse_args().leads)
