"""The sequence scheduler, measured.

- finding and claiming due steps among 1,000,000 scheduled ones (1,000 campaigns x 1,000
  leads, due times spread over 60 days, half of them due): one tick's release of expired claims
  plus a claim of 50, on SQLite and PostgreSQL (target: under 50 ms a tick);
- steps written and sent per second with the offline provider: a 3-step email sequence for 60
  researched leads run to the end on a simulated clock (research, writing, the critic's loop,
  the send queue, the dispatcher's pacing, the dry-run outbox).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from agent.campaigns.spec import CampaignSpec
from agent.demo.fixtures import EXAMPLES_DIR
from agent.demo.web import DemoWeb
from agent.sequences.simulation import simulate
from agent.settings import Settings
from benchmarks.storage_throughput import throwaway_postgres
from graphs.lead import Lead
from storage.database import Database
from storage.sequences import claim_due, release_expired
from tests.demo_people import people

SIDE = 1_000  # campaigns, and leads: SIDE x SIDE enrolments with one scheduled step each
TICKS = 200
SPREAD_S = 60 * 86_400

FILL = {
    "postgresql": [
        "INSERT INTO campaigns (name, status, channel, target_audience, min_qualification_score,"
        " value_proposition, settings, total_messages, messages_sent, total_cost_usd)"
        " SELECT 'c' || g, 'active', 'email', '{}', 0, 'x', '{}', 0, 0, 0"
        " FROM generate_series(1, :side) g",
        "INSERT INTO leads (name, company, extra, status) SELECT 'l' || g, 'co', '{}', 'new'"
        " FROM generate_series(1, :side) g",
        "INSERT INTO sequence_enrollments (campaign_id, lead_id, status, current_step)"
        " SELECT c, l, 'active', 1 FROM generate_series(1, :side) c, generate_series(1, :side) l",
        "INSERT INTO sequence_steps (enrollment_id, campaign_id, lead_id, step, kind, channel,"
        " due_at, status, attempts, detail, advanced)"
        " SELECT id, campaign_id, lead_id, 1, 'first_touch', 'email',"
        " now() - interval '30 days' + ((id::bigint * 7919) % :spread) * interval '1 second',"
        " 'scheduled', 0, '', false FROM sequence_enrollments",
        "ANALYZE",
    ],
    "sqlite": [
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < :side)"
        " INSERT INTO campaigns (name, status, channel, target_audience, min_qualification_score,"
        " value_proposition, settings, total_messages, messages_sent, total_cost_usd)"
        " SELECT 'c' || x, 'active', 'email', '{}', 0, 'x', '{}', 0, 0, 0 FROM n",
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < :side)"
        " INSERT INTO leads (name, company, extra, status) SELECT 'l' || x, 'co', '{}', 'new'"
        " FROM n",
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < :side)"
        " INSERT INTO sequence_enrollments (campaign_id, lead_id, status, current_step,"
        " started_at, updated_at)"
        " SELECT a.x, b.x, 'active', 1, datetime('now'), datetime('now') FROM n a, n b",
        "INSERT INTO sequence_steps (enrollment_id, campaign_id, lead_id, step, kind, channel,"
        " due_at, status, attempts, detail, advanced)"
        " SELECT id, campaign_id, lead_id, 1, 'first_touch', 'email',"
        " datetime('now', '-30 days', '+' || ((id * 7919) % :spread) || ' seconds') || '.000000',"
        " 'scheduled', 0, '', 0 FROM sequence_enrollments",
        "ANALYZE",
    ],
}


async def claim_ticks(url: str, backend: str) -> tuple[float, float, float, int]:
    """Fill the database; return (fill seconds, median ms, p95 ms, steps claimed)."""
    async with await Database.connect(url, migrate=True) as db:
        started = time.perf_counter()
        async with db.engine.begin() as connection:
            for statement in FILL[backend]:
                await connection.execute(text(statement), {"side": SIDE, "spread": SPREAD_S})
        filled = time.perf_counter() - started
        timings, claimed = [], 0
        lease = dt.timedelta(minutes=10)
        for _ in range(TICKS):
            now = dt.datetime.now(dt.UTC)
            begin = time.perf_counter()
            async with db.sessions.begin() as session:
                await release_expired(session, now=now)
                claimed += len(
                    await claim_due(session, now=now, worker="bench", lease=lease, limit=50)
                )
            timings.append((time.perf_counter() - begin) * 1000)
        timings.sort()
        return filled, statistics.median(timings), timings[int(len(timings) * 0.95)], claimed


def researched_leads(count: int) -> list[Lead]:
    return people(("maya", "priya", "jonas"), count // 3)


def steps_per_second(leads: int = 60) -> tuple[int, int, float]:
    """Run a 3-step sequence for the leads; return (steps written, steps sent, wall seconds)."""
    import yaml

    data = yaml.safe_load((EXAMPLES_DIR / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data.update(sequence="3-step", policy={"auto_send": True})
    spec = CampaignSpec.model_validate(data)
    with tempfile.TemporaryDirectory() as folder, DemoWeb(EXAMPLES_DIR / "sites") as web:
        settings = Settings(
            data_dir=Path(folder), llm_provider="offline", allow_private_networks=True,
            send_min_gap_s=0, send_domain_gap_s=0, send_daily_cap=10_000,
            _env_file=None,  # type: ignore[call-arg]
        )  # fmt: skip
        started = time.perf_counter()
        result = asyncio.run(
            simulate(
                settings, spec, researched_leads(leads), [],
                start=dt.datetime(2027, 1, 11, 8, tzinfo=dt.UTC), days=21,
                resolve=web.resolve_map([]),
            )
        )  # fmt: skip
        wall = time.perf_counter() - started
    events = [e.event for e in result.timeline]
    written = sum(1 for e in events if e in ("sent", "queued", "task", "skipped", "stopped"))
    return written, events.count("sent"), wall


async def _claims() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        filled, median, p95, claimed = await claim_ticks(url, "sqlite")
        print(
            f"claim due steps among {SIDE * SIDE:,} scheduled, SQLite: median {median:.1f} ms, "
            f"p95 {p95:.1f} ms a tick ({claimed:,} claimed over {TICKS} ticks; fill {filled:.0f} s)"
        )
    async with throwaway_postgres() as pg_url:
        if pg_url is None:
            print("PostgreSQL not reachable: skipped")
            return
        filled, median, p95, claimed = await claim_ticks(pg_url, "postgresql")
        print(
            f"claim due steps among {SIDE * SIDE:,} scheduled, PostgreSQL: median {median:.1f} "
            f"ms, p95 {p95:.1f} ms a tick ({claimed:,} claimed over {TICKS} ticks; "
            f"fill {filled:.0f} s)"
        )


def main() -> None:
    """Print the figures."""
    asyncio.run(_claims())
    written, sent, wall = steps_per_second()
    print(
        f"3-step sequence, 60 researched leads, offline provider, SQLite: {written} steps "
        f"written and {sent} sent in {wall:.1f} s ({written / wall:.1f} steps/s written, "
        f"{sent / wall:.1f} sent/s)"
    )


if __name__ == "__main__":
    main()
