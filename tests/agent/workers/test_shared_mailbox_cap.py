"""Four real workers send one campaign's approved messages from one mailbox capped at N per
window: between them they never take more than N sending slots in any window, and every
message that reaches the fake SendGrid went out on a slot. Each worker alone would keep the
cap; only the shared count (Redis) keeps four."""

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
from tests.agent.workers.redis_grants import RedisGrants
from tests.demo_people import people
from tests.fakes.sendgrid_fake import SendGridFake
from tests.services import redis_url, unique

LEADS = 18
CAP, WINDOW_S = 3, 2.0


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
        with RedisGrants(redis_url(), f"mailbox:{sender.lower()}") as watched:
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
    # Every send took a slot under the cap (a slot may go unused: a send the ledger finds
    # done), and no CAP + 1 slots fall inside one window, anywhere in the run (timed on the
    # Redis server's clock, as the limiter counts them).
    [cap_key] = [key for key in watched.grants if key.endswith(f"|{CAP}/{WINDOW_S:g}s")]
    slots = sorted(watched.grants[cap_key])
    assert len(slots) >= len(sent)
    tightest_us = min(slots[i + CAP] - slots[i] for i in range(len(slots) - CAP))
    assert tightest_us >= WINDOW_S * 1e6, f"{CAP + 1} slots within {tightest_us / 1e6:.3f} s"
