"""Schedulers that die mid-tick, and schedulers that run side by side: every due step goes out
exactly once, counted where it lands (the fake SendGrid), not only in our own ledger. A send
the kill cut off mid-call is settled from SendGrid's Email Activity log: found there, it is
recorded as sent; absent, it is sent. Without that log it is held for a person."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select, update

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.leads.store import store_leads
from agent.sequences.enrollment import enroll_leads
from agent.settings import Settings
from graphs.lead import Lead
from storage.database import Database
from storage.models import MessageRow
from storage.sequence_models import SequenceStepRow
from tests.conftest import EXAMPLES, ROOT
from tests.demo_people import people
from tests.fakes.sendgrid_fake import SendGridFake

OUTREACH = Path(sys.executable).parent / "outreach"
ALL_DAY = "00:00-24:00"
LEADS = 24


def leads() -> list[Lead]:
    return people(("maya", "priya", "jonas"), LEADS // 3)


async def enrolled_and_due(url: str, data_dir: Path) -> None:
    """A campaign whose first step (email, any hour) is due now for every lead."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data["policy"] = {"auto_send": True}
    data["sequence"] = [
        {"channel": "email", "kind": "first_touch", "window": ALL_DAY},
        {"channel": "email", "kind": "soft_nudge", "delay_business_days": 3, "window": ALL_DAY},
    ]
    settings = Settings(database_url=url, data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    now = dt.datetime.now(dt.UTC)
    async with await Database.connect(url, migrate=True) as db:
        ids = await store_leads(db, leads())
        async with db.sessions.begin() as session:
            campaign = await store_spec(session, CampaignSpec.model_validate(data))
            await enroll_leads(session, campaign, ids, settings=settings, now=now)
            # Due now whatever day the test runs on (enrolment waits for a business day).
            await session.execute(update(SequenceStepRow).values(due_at=now))


def worker_env(
    url: str, data_dir: Path, fake: SendGridFake, resolve: dict[str, str]
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env.update(
        OUTREACH_DATABASE_URL=url,
        OUTREACH_DATA_DIR=str(data_dir),
        OUTREACH_LLM_PROVIDER="offline",
        OUTREACH_RESOLVE=json.dumps(resolve),
        OUTREACH_ALLOW_PRIVATE_NETWORKS="true",
        OUTREACH_EMAIL_PROVIDER="sendgrid",
        OUTREACH_SENDGRID_API_KEY=fake.api_key,
        OUTREACH_SENDGRID_HOST=fake.base_url,
        OUTREACH_PUBLIC_BASE_URL="https://outreach.example.com",
        OUTREACH_SEND_MIN_GAP_S="0",
        OUTREACH_SEND_DOMAIN_GAP_S="0",
        OUTREACH_SEND_DAILY_CAP="1000",
        OUTREACH_SEND_WEEKDAYS_ONLY="false",
        OUTREACH_SEND_WINDOW=ALL_DAY,
        OUTREACH_SEQUENCE_CLAIM_LEASE_S="1",
        OUTREACH_SENDGRID_ACTIVITY_API="true",
        OUTREACH_DELIVERY_RECONCILE_AFTER_S="1",
        OUTREACH_SEQUENCE_TICK_S="0.2",
        PYTHONPATH=str(ROOT),
    )
    return env


def once(env: dict[str, str], cwd: Path) -> None:
    done = subprocess.run(
        [str(OUTREACH), "worker", "--once"], env=env, cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


async def outcome(url: str) -> tuple[Counter[str], dict[str, str]]:
    """Return step statuses, and the delivery error of every message that did not go out."""
    async with await Database.connect(url) as db, db.sessions() as session:
        steps = Counter(
            s
            for s in await session.scalars(
                select(SequenceStepRow.status).where(SequenceStepRow.step == 1)
            )
        )
        unsent = {
            str(m.id): m.delivery_error or m.status
            for m in await session.scalars(select(MessageRow).where(MessageRow.sent_at.is_(None)))
        }
    return steps, unsent


def recipients(fake: SendGridFake) -> Counter[str]:
    return Counter(p["to"][0]["email"] for body in fake.sent for p in body["personalizations"])


def finish(env: dict[str, str], cwd: Path, url: str) -> tuple[Counter[str], dict[str, str]]:
    """Run the scheduler until every first step has gone (a cut-off send whose log shows
    nothing waits OUTREACH_DELIVERY_RECONCILE_AFTER_S before it is sent)."""
    for _ in range(8):
        once(env, cwd)
        steps, unsent = asyncio.run(outcome(url))
        if steps["sent"] == LEADS:
            break
        time.sleep(1.1)
    return steps, unsent


def check_exactly_once(fake: SendGridFake, steps: Counter[str], unsent: dict[str, str]) -> None:
    """Everybody once, nobody twice, nothing held: at the fake provider and in the database."""
    got = recipients(fake)
    assert len(got) == LEADS and max(got.values()) == 1, got
    assert not unsent, unsent
    assert steps["sent"] == LEADS, steps


@pytest.mark.parametrize("where", ["writing", "sent, answer lost", "never reached SendGrid"])
def test_a_scheduler_killed_mid_tick_sends_every_due_step_once_after_restart(
    where: str, database_url: str, tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    asyncio.run(enrolled_and_due(database_url, tmp_path / "data"))
    with SendGridFake() as fake:
        env = worker_env(database_url, tmp_path / "data", fake, demo_resolve)
        if where == "writing":  # SIGKILL just before the 40th checkpoint: mid-pipeline
            killed = subprocess.run(
                [sys.executable, "-m", "tests.fakes.kill_switch_run", "before-checkpoint", "40",
                 "worker"],
                env=env, cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            assert killed.returncode == -9, killed.stderr
            assert not fake.sent  # it died before any step was written, let alone sent
        else:  # SIGKILL from outside while SendGrid is being called with the 7th send
            fake.hang_on(7, took_it=where == "sent, answer lost")
            worker = subprocess.Popen(
                [str(OUTREACH), "worker"], env=env, cwd=tmp_path,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            assert fake.hung.wait(240), "the worker never reached the 7th send"
            worker.kill()
            worker.wait()
            cut_off = 7 if where == "sent, answer lost" else 6
            assert len(fake.sent) == cut_off, len(fake.sent)
        time.sleep(1.2)  # the dead scheduler's claims run out (OUTREACH_SEQUENCE_CLAIM_LEASE_S)
        steps, unsent = finish(env, tmp_path, database_url)
        check_exactly_once(fake, steps, unsent)


def two_at_once(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """Start one `outreach worker --once`; the caller starts another beside it."""
    return subprocess.Popen(
        [str(OUTREACH), "worker", "--once"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_schedulers_on_one_database_never_send_a_step_twice(
    database_url: str, tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    asyncio.run(enrolled_and_due(database_url, tmp_path / "data"))
    with SendGridFake() as fake:
        env = worker_env(database_url, tmp_path / "data", fake, demo_resolve)
        env["OUTREACH_SEQUENCE_CLAIM_BATCH"] = "5"  # each takes a few at a time
        env["OUTREACH_SEQUENCE_CLAIM_LEASE_S"] = "120"  # nobody dies here: claims hold
        for _ in range(4):  # each round, two schedulers claim, write and send side by side
            workers = [two_at_once(env, tmp_path) for _ in range(2)]
            for worker in workers:
                assert worker.wait() == 0, worker.stderr.read() if worker.stderr else ""
        for _ in range(10):  # finish what is left, one scheduler
            steps, _ = asyncio.run(outcome(database_url))
            if steps["scheduled"] == 0 and steps["waiting"] == 0:
                break
            once(env, tmp_path)
        steps, unsent = asyncio.run(outcome(database_url))
        got = recipients(fake)
        assert len(got) == LEADS and max(got.values()) == 1, (steps, unsent, got)
        assert steps["sent"] == LEADS and not unsent, (steps, unsent)
