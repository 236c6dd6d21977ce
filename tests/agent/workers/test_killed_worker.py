"""Two real workers on PostgreSQL share a batch through a real broker; one is killed (SIGKILL)
mid-batch. Every lead ends up done once, and every message reaches the fake SendGrid exactly
once: counted where it lands, not only in our own ledger.

The kill is shown to land mid-lead: the killed worker's log names leads it received and never
finished, and the survivor's log shows it finishing those very tasks (the broker handed the
same messages back), so the redelivery path is what the test exercises.

RabbitMQ hands the dead worker's unacknowledged leads back the moment its connection drops;
Redis does once they are older than the visibility timeout, on kombu's restore cycle (which
runs about every 100 s), so the Redis case takes a minute or two."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.database import Database
from storage.models import CountedLeadRow, LeadRow, MessageRow, RunRow
from tests.agent.test_openai_provider import answer_like_a_model
from tests.agent.workers.cluster import (
    cluster_env,
    recipients,
    seed_campaign,
    start_api_run,
    start_worker,
    state,
    stop,
    wait_for,
    wait_until_sent,
)
from tests.demo_people import people
from tests.fakes.openai_stub import Delay, OpenAIStub, Respond
from tests.fakes.sendgrid_fake import SendGridFake
from tests.services import amqp_url, redis_url, unique

LEADS = 24
_RECEIVED = re.compile(r"Task outreach\.run_lead\[([0-9a-f-]+)\] received")
_SUCCEEDED = re.compile(r"Task outreach\.run_lead\[([0-9a-f-]+)\] succeeded in [0-9.]+s: '(.*)'")


def unfinished(log: Path) -> set[str]:
    """The lead tasks a worker's log shows it received and never finished (Celery logs both)."""
    text = log.read_text()
    return set(_RECEIVED.findall(text)) - {task for task, _ in _SUCCEEDED.findall(text)}


def finished(log: Path) -> dict[str, str]:
    """The lead tasks a worker's log shows it finished, with what became of each lead."""
    return dict(_SUCCEEDED.findall(log.read_text()))


async def ledger(database_url: str, run_id: str) -> dict[str, Any]:
    """The run's tallies, the decisions it counted (one row per counted lead), and each
    message's recipient, status and the provider's id for it."""
    async with await Database.connect(database_url) as db, db.sessions() as session:
        run = await session.get(RunRow, run_id)
        assert run is not None
        counted = list(
            await session.scalars(
                select(CountedLeadRow.decision).where(CountedLeadRow.run_id == run_id)
            )
        )
        rows = await session.execute(
            select(LeadRow.email, MessageRow.status, MessageRow.provider_message_id)
            .join(LeadRow, LeadRow.id == MessageRow.lead_id)
            .where(MessageRow.run_id == run_id)
        )
        tallies = {t: getattr(run, t) for t in ("sent", "approved", "queued", "rejected")}
        return {"tallies": tallies, "counted": Counter(counted), "messages": list(rows)}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_a_worker_killed_mid_batch_loses_no_lead_and_sends_nothing_twice(
    broker: str,
    database_url: str,
    tmp_path: Path,
    demo_resolve: dict[str, str],
    stub: OpenAIStub,
) -> None:
    # A model that takes 0.4 s a call, so the kill lands while leads are being written.
    stub.enqueue(*[Delay(0.4, Respond(answer_like_a_model))] * (LEADS * 8))
    leads = people(("maya", "priya", "jonas"), LEADS // 3)
    sender = f"{unique('ana')}@brightpath.example"
    campaign_id, lead_ids = asyncio.run(seed_campaign(database_url, leads, sender=sender))
    with SendGridFake() as fake:
        env = cluster_env(
            database_url=database_url,
            broker_url=redis_url() if broker == "redis" else amqp_url(),
            redis_url=redis_url(),
            data_dir=tmp_path / "data",
            resolve=demo_resolve,
            fake=fake,
            OUTREACH_LLM_PROVIDER="openai",
            OUTREACH_LLM_BASE_URL=stub.base_url,
            OUTREACH_LLM_API_KEY="test-key",
            OUTREACH_LLM_MODEL="gpt-4o-mini",
            OUTREACH_LLM_MAX_RETRIES="0",
            OUTREACH_LLM_REQUESTS_PER_SECOND="1000",
            OUTREACH_LLM_FALLBACK="none",
            # Redis hands a dead worker's leads on after this long; RabbitMQ at once.
            OUTREACH_BROKER_VISIBILITY_TIMEOUT_S="8",
        )
        run_id = asyncio.run(start_api_run(env, campaign_id, lead_ids))
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        doomed = start_worker(env, logs[0])
        survivor = start_worker(env, logs[1])
        try:
            # Killed once six leads are done and it has leads in hand (checked again from
            # its final log below: a lead finishing between this check and the kill is no
            # proof).
            wait_for(
                "six leads done, the doomed worker holding a lead",
                lambda: state(database_url, run_id)["processed"] >= 6 and bool(unfinished(logs[0])),
                timeout=120,
                logs=logs,
            )
            doomed.kill()  # SIGKILL: no warm shutdown, no acknowledgement of its leads
            doomed.wait()
            at_kill = state(database_url, run_id)
            assert at_kill["processed"] < LEADS, "the kill came after the batch was done"
            wait_until_sent(database_url, run_id, timeout=180, logs=logs)
        finally:
            stop(survivor)
            if doomed.poll() is None:
                doomed.kill()
        done = state(database_url, run_id)
        # The kill landed mid-lead: the doomed worker received leads it never finished, and
        # the survivor finished those same tasks, handed back by the broker.
        cut_off = unfinished(logs[0])
        assert cut_off, "the killed worker held no unfinished lead"
        by_survivor = finished(logs[1])
        assert cut_off <= by_survivor.keys(), (cut_off - by_survivor.keys(), by_survivor)
        # Every lead stored and counted once; the run's tallies add up to its total.
        assert done["processed"] == LEADS == done["total"]
        assert sorted(done["per_lead"]) == sorted(lead_ids)
        assert set(done["per_lead"].values()) == {1}
        book = asyncio.run(ledger(database_url, run_id))
        assert sum(book["counted"].values()) == LEADS
        assert sum(book["tallies"].values()) == LEADS
        assert book["counted"] == Counter({k: n for k, n in book["tallies"].items() if n})
        # Every message went out, each exactly once where it lands (none twice, none lost),
        # and each sent record holds the id SendGrid answered for that very message.
        statuses = Counter(status for _, status, _ in book["messages"])
        assert statuses == {"sent": LEADS}, statuses
        got = recipients(fake)
        assert got == Counter(email for email, _, _ in book["messages"]), got
        answered = {
            b["personalizations"][0]["to"][0]["email"]: i
            for b, i in zip(fake.sent, fake.message_ids, strict=True)
        }
        assert answered == {email: pid for email, _, pid in book["messages"]}
        assert done["sent"] == LEADS
