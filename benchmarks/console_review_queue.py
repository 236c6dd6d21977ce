"""The web console's review queue with 10,000 waiting drafts: how long its pages take to render.

In process (FastAPI's TestClient, signed in through the sign-in form), on SQLite: the first,
a middle and the last page of the queue (50 rows each, oldest first), a draft held without a
paused pipeline (its stored text), and a draft paused in its lead's graph (the pipeline opened,
the checkpoint read, every critic check shown), each the median of ROUNDS requests.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from agent.campaigns.files import load_campaign
from agent.demo.fixtures import DEMO_TODAY
from agent.demo.web import DemoWeb
from agent.leads.store import store_leads
from agent.settings import Settings
from graphs.lead import Lead
from server.app import create_app
from storage.api_keys import issue_key
from storage.database import Database
from storage.models import MessageRow
from tests.conftest import EXAMPLES, OPEN_LIMITS
from tests.server.console.console_forms import PAGE, sign_in
from tests.server.console.seeding import queue_drafts

WAITING = 10_000
ROUNDS = 20
BODY = (
    "Hi {name},\n\nI read your post on build caching from November 5. Teams like yours usually "
    "cut pipeline time by a third within a month. Could we find 15 minutes next week?\n\n"
    "Best regards,\nAlex Rivera"
)


async def _key(settings: Settings) -> str:
    async with (
        await Database.connect(settings.database, migrate=True) as db,
        db.sessions.begin() as session,
    ):
        _, key = await issue_key(session, name="bench")
    return key


async def _fill_queue(settings: Settings, campaign_id: int, run_id: str) -> float:
    """Add WAITING queued messages with three drafts each; return the seconds it took."""
    started = time.perf_counter()
    async with await Database.connect(settings.database) as db:
        leads = [
            Lead(name=f"Lead {n}", email=f"lead{n}@acme{n % 500}.example", company=f"Acme {n}")
            for n in range(WAITING)
        ]
        ids = await store_leads(db, leads)
        async with db.sessions.begin() as session:
            for n, lead_id in enumerate(ids):
                variants = [
                    {"tone": tone, "subject": "Your post on build caching",
                     "body": BODY.format(name=f"Lead {n}"),
                     "quality": {"score": 0.9, "passed": True, "issues": []}}
                    for tone in ("professional", "friendly", "direct")
                ]  # fmt: skip
                session.add(
                    MessageRow(
                        campaign_id=campaign_id, lead_id=lead_id, run_id=run_id,
                        status="queued", reason="ready to send; auto-send is off",
                        variants=variants, selected_variant="friendly",
                        quality_score=0.9, relevance_score=0.8,
                    )
                )  # fmt: skip
    return time.perf_counter() - started


def _median_ms(client: TestClient, path: str) -> tuple[float, float]:
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        answer = client.get(path, headers=PAGE)
        timings.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text[:300]
    return statistics.median(timings), max(timings)


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as tmp, DemoWeb(EXAMPLES / "sites") as web:
        settings = Settings(
            data_dir=Path(tmp),
            llm_provider="offline",
            resolve=web.resolve_map(),
            allow_private_networks=True,
            sequence_tick_s=0,
            **{**OPEN_LIMITS, "dispatch_interval_s": 0},
        )
        key = asyncio.run(_key(settings))
        defaults = load_campaign(EXAMPLES / "campaign.yaml")
        app = create_app(settings, campaign_defaults=defaults, clock=lambda: DEMO_TODAY)
        with TestClient(app, follow_redirects=False) as client:
            paused = queue_drafts(client, key)["Maya Okafor"]
            filled_s = asyncio.run(_fill_queue(settings, paused["campaign_id"], paused["run_id"]))
            assert sign_in(client, key).status_code == 303
            last_page = -(-(WAITING + 3) // 50)
            paths = {
                "queue page 1": "/console/review",
                "queue page 100": "/console/review?page=100",
                f"queue page {last_page} (last)": f"/console/review?page={last_page}",
                "a held draft": f"/console/review/{WAITING + 3}",
                "a paused draft (pipeline opened, checkpoint read)": (
                    f"/console/review/{paused['id']}"
                ),
            }
            print(f"console review queue: {WAITING:,} waiting drafts stored in {filled_s:.1f} s")
            for label, path in paths.items():
                median, worst = _median_ms(client, path)
                print(f"console {label}: median {median:.1f} ms, worst {worst:.1f} ms")


if __name__ == "__main__":
    main()
