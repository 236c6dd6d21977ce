"""Two real workers on PostgreSQL share a batch through a real broker; one is killed (SIGKILL)
mid-batch. Every lead ends up done once, and every message reaches the fake SendGrid at most
once: counted where it lands, not only in our own ledger.

RabbitMQ hands the dead worker's unacknowledged leads back the moment its connection drops;
Redis does once they are older than the visibility timeout, on kombu's restore cycle (which
runs about every 100 s), so the Redis case takes a minute or two."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

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
            wait_for(
                "six leads done",
                lambda: state(database_url, run_id)["processed"] >= 6,
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
        # Every lead accounted for once: one message each, counted once in the run.
        assert done["processed"] == LEADS == done["total"]
        assert sorted(done["per_lead"]) == sorted(lead_ids)
        assert set(done["per_lead"].values()) == {1}
        # Sent at most once, counted at the provider; and sending did happen.
        got = recipients(fake)
        assert got and max(got.values()) == 1, got
        assert sum(got.values()) == done["sent"]
        assert "Task outreach.run_lead" in logs[1].read_text()  # the survivor did its share
