"""Four real workers send one campaign's approved messages from one mailbox capped at N per
window: between them they never take more than N sending slots in any window, and every
message that reaches the fake SendGrid went out on a slot. Each worker alone would keep the
cap; only the shared count (Redis) keeps four.

The cap is checked twice: on the limiter's own grants (Redis' clock) and where the messages
land (when the fake SendGrid accepted each), and the fake's bodies show that more than one
worker sent: each worker signs its unsubscribe links with its own public address, so the
List-Unsubscribe header of every accepted body names the process that sent it."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

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
CAP, WINDOW_S = 3, 4.0
SLACK_S = 1.5
"""How much closer than a window CAP + 1 arrivals at the fake may be. The limiter grants
slot i at g(i) and the request reaches the fake at g(i) + d(i), d the trip from the grant to
the fake (the provider thread, a fresh TCP connection, the body): grants a window apart may
arrive up to max d - min d less than a window apart, never more. On a loaded machine (the
cluster tests side by side on two cores) that spread has reached 0.6 s, so 1.5 s of it is
allowed; four workers each keeping the cap alone (4N per window), or one worker with a
larger cap, put CAP + 1 arrivals well within the remaining 2.5 s (0.06 s and 0.09 s when
tried) and still fail."""
_SENT_BY = re.compile(r"https://worker-(\d+)\.outreach\.example\.com/")


def sent_by(body: dict[str, Any]) -> int:
    """Which worker sent this accepted body: the one whose address its unsubscribe link (the
    List-Unsubscribe header and the footer) names."""
    named = set(_SENT_BY.findall(json.dumps(body)))
    assert len(named) == 1, f"no one worker's address in the body: {named}"
    return int(named.pop())


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
            # The same settings but the public address: the links a worker signs name it.
            workers = [
                start_worker(
                    {**env, "OUTREACH_PUBLIC_BASE_URL": f"https://worker-{i}.outreach.example.com"},
                    log,
                )
                for i, log in enumerate(logs)
            ]
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
    # Where the messages land: no CAP + 1 accepted within a window (less SLACK_S, see above),
    # on the test's clock as the fake took them.
    tightest_s = min(sent[i + CAP] - sent[i] for i in range(len(sent) - CAP))
    assert tightest_s >= WINDOW_S - SLACK_S, (
        f"{CAP + 1} messages reached SendGrid within {tightest_s:.3f} s: {sent}"
    )
    # More than one worker sent: the shared count, not one busy process, kept the cap.
    senders = Counter(sent_by(body) for body in fake.sent)
    assert len(senders) >= 2, f"only one worker sent: {senders}"
    # Every send took a slot under the cap (a slot may go unused: a send the ledger finds
    # done), and no CAP + 1 slots fall inside one window, anywhere in the run (timed on the
    # Redis server's clock, as the limiter counts them).
    [cap_key] = [key for key in watched.grants if key.endswith(f"|{CAP}/{WINDOW_S:g}s")]
    slots = sorted(watched.grants[cap_key])
    assert len(slots) >= len(sent)
    tightest_us = min(slots[i + CAP] - slots[i] for i in range(len(slots) - CAP))
    assert tightest_us >= WINDOW_S * 1e6, f"{CAP + 1} slots within {tightest_us / 1e6:.3f} s"
