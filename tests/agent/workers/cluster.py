"""Real `outreach worker` processes for the distributed tests, on PostgreSQL and a real broker.

Each test gets its own database, broker queue and mailbox, so tests running side by side
(pytest-xdist) never take each other's leads.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.leads.store import store_leads
from agent.runs.background import BackgroundRuns, RunRequest
from agent.settings import Settings
from agent.workers.lead_queue import LeadQueue
from graphs.lead import Lead
from storage.database import Database
from storage.messages import DUE_STATUSES
from storage.models import CampaignRow, CampaignToneStatRow, MessageRow, RunRow
from tests.conftest import EXAMPLES, ROOT
from tests.fakes.sendgrid_fake import SendGridFake
from tests.services import unique

OUTREACH = Path(sys.executable).parent / "outreach"
ALL_DAY = "00:00-24:00"


def cluster_env(
    *,
    database_url: str,
    broker_url: str,
    redis_url: str,
    data_dir: Path,
    resolve: dict[str, str],
    fake: SendGridFake | None = None,
    **more: str,
) -> dict[str, str]:
    """The environment every process of one test's cluster shares (sending through the fake
    SendGrid when one is given; else the dry-run outbox)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env.update(
        OUTREACH_DATABASE_URL=database_url,
        OUTREACH_BROKER_URL=broker_url,
        OUTREACH_BROKER_QUEUE=unique("test-leads"),
        OUTREACH_REDIS_URL=redis_url,
        OUTREACH_DATA_DIR=str(data_dir),
        OUTREACH_LLM_PROVIDER="offline",
        OUTREACH_RESOLVE=json.dumps(resolve),
        OUTREACH_ALLOW_PRIVATE_NETWORKS="true",
        OUTREACH_SEND_MIN_GAP_S="0",
        OUTREACH_SEND_DOMAIN_GAP_S="0",
        OUTREACH_SEND_DAILY_CAP="100000",
        OUTREACH_SEND_WEEKDAYS_ONLY="false",
        OUTREACH_SEND_WINDOW=ALL_DAY,
        OUTREACH_SEQUENCE_TICK_S="0.2",
        OUTREACH_SEQUENCE_CLAIM_LEASE_S="2",
        OUTREACH_WORKER_CONCURRENCY="4",
        PYTHONPATH=str(ROOT),
    )
    if fake is not None:
        env.update(
            OUTREACH_EMAIL_PROVIDER="sendgrid",
            OUTREACH_SENDGRID_API_KEY=fake.api_key,
            OUTREACH_SENDGRID_HOST=fake.base_url,
            OUTREACH_SENDGRID_ACTIVITY_API="true",
            OUTREACH_DELIVERY_RECONCILE_AFTER_S="1",
            OUTREACH_PUBLIC_BASE_URL="https://outreach.example.com",
        )
    env.update(more)
    return env


def settings_of(env: dict[str, str]) -> Settings:
    """The settings a run is started with (what the enqueuing side reads from `env`)."""
    return Settings(
        database_url=env["OUTREACH_DATABASE_URL"],
        broker_url=env["OUTREACH_BROKER_URL"],
        broker_queue=env["OUTREACH_BROKER_QUEUE"],
        redis_url=env["OUTREACH_REDIS_URL"],
        data_dir=Path(env["OUTREACH_DATA_DIR"]),
        _env_file=None,  # type: ignore[call-arg]
    )


async def seed_campaign(
    database_url: str, leads: list[Lead], *, sender: str, active: bool = True
) -> tuple[int, list[int]]:
    """Store the demo campaign (auto-send on, sending from `sender`) and the leads."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data["policy"] = {"auto_send": True}
    data["sender"]["email"] = sender
    data["name"] = unique("distributed")
    async with await Database.connect(database_url, migrate=True) as db:
        ids = await store_leads(db, leads)
        async with db.sessions.begin() as session:
            campaign = await store_spec(session, CampaignSpec.model_validate(data))
            if active:
                campaign.status = "active"
            campaign_id = campaign.id
    return campaign_id, ids


async def start_api_run(env: dict[str, str], campaign_id: int, lead_ids: list[int]) -> str:
    """Start a batch run the way the API does with a broker set: the row, then the queue."""
    settings = settings_of(env)
    queue = LeadQueue(settings)
    try:
        async with await Database.connect(settings.database) as db:
            runs = BackgroundRuns(db, settings, queue=queue)
            async with db.sessions() as session:
                campaign = await session.get(CampaignRow, campaign_id)
            assert campaign is not None
            return await runs.start(campaign, RunRequest(lead_ids=lead_ids))
    finally:
        queue.close()


def start_worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start one `outreach worker` process, its output in `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(OUTREACH), "worker", *args], env=env, cwd=log.parent, stdout=out, stderr=out
        )


def stop(worker: subprocess.Popen[bytes]) -> None:
    """Stop a worker the polite way (SIGTERM: a warm shutdown), or kill it after a while."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(what: str, check: Callable[[], bool], *, timeout: float, logs: list[Path]) -> None:
    """Poll until check() holds; fail naming what never happened, with the workers' logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"{what} did not happen within {timeout:g} s\n{tails}")


def wait_until_sent(database_url: str, run_id: str, *, timeout: float, logs: list[Path]) -> None:
    """Wait for the run to complete and every message it approved to go out."""

    def done() -> bool:
        now = state(database_url, run_id)
        return bool(now["status"] == "completed" and now["waiting"] == 0)

    wait_for("the run completing and its messages going out", done, timeout=timeout, logs=logs)


async def run_state(database_url: str, run_id: str) -> dict[str, Any]:
    """The run's row, its messages per lead, and what still waits to be sent."""
    async with await Database.connect(database_url) as db, db.sessions() as session:
        run = await session.get(RunRow, run_id)
        assert run is not None
        per_lead = Counter(
            await session.scalars(select(MessageRow.lead_id).where(MessageRow.run_id == run_id))
        )
        waiting = await session.scalar(
            select(func.count()).where(
                MessageRow.run_id == run_id, MessageRow.status.in_(DUE_STATUSES)
            )
        )
        sent = await session.scalar(
            select(func.count()).where(MessageRow.run_id == run_id, MessageRow.status == "sent")
        )
        campaign = await session.get(CampaignRow, run.campaign_id)
        assert campaign is not None
        rollup_sent = await session.scalar(
            select(func.coalesce(func.sum(CampaignToneStatRow.sent), 0)).where(
                CampaignToneStatRow.campaign_id == run.campaign_id
            )
        )
    return {
        "campaign_messages": campaign.total_messages,
        "campaign_sent": campaign.messages_sent,
        "rollup_sent": rollup_sent,
        "status": run.status,
        "processed": run.processed,
        "total": run.total,
        "per_lead": per_lead,
        "waiting": waiting,
        "sent": sent,
    }


def state(database_url: str, run_id: str) -> dict[str, Any]:
    """run_state, from synchronous test code."""
    return asyncio.run(run_state(database_url, run_id))


def recipients(fake: SendGridFake) -> Counter[str]:
    """How many times each address reached the fake SendGrid."""
    return Counter(p["to"][0]["email"] for body in fake.sent for p in body["personalizations"])
