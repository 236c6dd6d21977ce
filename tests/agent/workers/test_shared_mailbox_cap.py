"""Four real workers send one campaign's approved messages from one mailbox capped at N per
window: between them they never exceed it, counted where the messages land (the fake
SendGrid). Each worker alone would keep the cap; only the shared count (Redis) keeps four."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.agent.workers.cluster import (
    cluster_env,
    recipients,
    seed_campaign,
    start_api_run,
    start_worker,
    state,
    stop,
    wait_until_sent,
)
from tests.demo_people import people
from tests.fakes.sendgrid_fake import SendGridFake
from tests.services import redis_url, unique

LEADS = 18
CAP, WINDOW_S = 3, 2.0
SLACK_S = 0.4
"""Between the limiter granting a send and the request reaching the fake, at most this."""


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_four_workers_never_send_faster_than_one_mailbox_cap(
    database_url: str, tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    leads = people(("maya", "priya", "jonas"), LEADS // 3)
    sender = f"{unique('capped')}@brightpath.example"
    campaign_id, lead_ids = asyncio.run(seed_campaign(database_url, leads, sender=sender))
    with SendGridFake() as fake:
        env = cluster_env(
            database_url=database_url,
            broker_url=redis_url(),
            redis_url=redis_url(),
            data_dir=tmp_path / "data",
            resolve=demo_resolve,
            fake=fake,
            OUTREACH_SEND_MAILBOX_CAP=str(CAP),
            OUTREACH_SEND_MAILBOX_WINDOW_S=str(WINDOW_S),
        )
        run_id = asyncio.run(start_api_run(env, campaign_id, lead_ids))
        logs = [tmp_path / f"worker-{i}.log" for i in range(4)]
        workers = [start_worker(env, log) for log in logs]
        try:
            wait_until_sent(database_url, run_id, timeout=240, logs=logs)
        finally:
            for worker in workers:
                stop(worker)
    sent = sorted(fake.accepted_at)
    done = state(database_url, run_id)
    assert len(sent) == done["sent"] > 2 * CAP  # enough to test a cap
    # The campaign's totals, kept on write by four workers at once, lost no update.
    assert done["campaign_messages"] == LEADS
    assert done["campaign_sent"] == done["rollup_sent"] == done["sent"]
    assert max(recipients(fake).values()) == 1
    # No CAP + 1 sends inside one window, anywhere in the run (less the delivery slack).
    tightest = min(sent[i + CAP] - sent[i] for i in range(len(sent) - CAP))
    assert tightest >= WINDOW_S - SLACK_S, f"{CAP + 1} sends within {tightest:.2f} s"
