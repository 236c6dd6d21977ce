"""A lead's run survives a crash at any node: it continues from its checkpoint, sends once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.runnables import RunnableConfig

from agent.leads.files import LeadFile
from agent.runs.batch import lead_key, run_batch, run_one
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from graphs.nodes.send import idempotency_key
from storage.checkpoints import thread_id
from storage.deliveries import DeliveryLedger
from storage.models import DeliveryRow
from tests.conftest import NOW
from tests.fakes.counting_provider import CountingProvider
from tools.delivery.receipt import Delivery

RUN = "crashtest01"
NODES = ["enrich", "analyze", "generate", "critic", "decide", "send"]


class ProcessDied(BaseException):
    """Stands in for the process being killed: nothing after it runs."""


class DiesAfterTheProviderAccepts:
    """An outbox whose provider accepts the message, then the process dies before recording it."""

    def __init__(self, inner: CountingProvider) -> None:
        self.inner = inner

    async def deliver(self, **message: Any) -> Delivery:
        await self.inner.deliver(**message)
        raise ProcessDied


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, data_dir=tmp_path, allow_private_networks=True, auto_send=True
    )


@pytest.fixture
def provider() -> CountingProvider:
    return CountingProvider()


@pytest.fixture
def options(demo_resolve: dict[str, str], provider: CountingProvider) -> dict[str, Any]:
    """Pipeline options shared by every "process" of a test: sites, clock, run and provider."""
    return {"resolve": demo_resolve, "clock": lambda: NOW, "run_id": RUN, "outbox": provider}


def config_for(lead: Lead) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id(RUN, lead_key(2, lead))}}


@pytest.mark.parametrize("node", NODES)
async def test_a_crash_before_any_node_resumes_there_without_redoing_or_resending(
    node: str,
    settings: Settings,
    tmp_path: Path,
    maya: Lead,
    campaign: Campaign,
    options: dict[str, Any],
    provider: CountingProvider,
) -> None:
    # First process: runs until just before `node`, the state a crash there leaves on disk.
    async with open_durable_pipeline(settings, migrate=True, **options) as (_, pipeline):
        await pipeline.graph.ainvoke(
            {"lead": maya, "campaign": campaign},
            config_for(maya),
            context=pipeline.context,
            durability="sync",
            interrupt_before=[node],
        )
    assert provider.calls == []

    # Second process: new connections; the lead continues from its last completed node.
    async with open_durable_pipeline(settings, **options) as (_, pipeline):
        snapshot = await pipeline.graph.aget_state(config_for(maya))
        assert snapshot.next == (node,)
        record = await run_one(pipeline, 2, maya, campaign)

    assert record["decision"] == "sent", record["reason"]
    assert record["thread_id"] == thread_id(RUN, lead_key(2, maya))
    # The analysis and one generation round ran once in total: no model step was redone.
    assert record["usage"]["llm_calls"] == 2
    assert [calls["step"] for calls in record["usage"]["calls"]] == ["analyze", "generate"]
    assert [call["recipient"] for call in provider.calls] == [maya.email]
    assert provider.calls[0]["body"] == next(
        v["body"] for v in record["variants"] if v["tone"] == record["selected_variant"]
    )


async def test_a_crash_while_the_provider_was_called_never_sends_twice(
    settings: Settings,
    tmp_path: Path,
    maya: Lead,
    campaign: Campaign,
    options: dict[str, Any],
    provider: CountingProvider,
) -> None:
    dying = options | {"outbox": DiesAfterTheProviderAccepts(provider)}
    async with open_durable_pipeline(settings, migrate=True, **dying) as (db, pipeline):
        with pytest.raises(ProcessDied):
            await run_one(pipeline, 2, maya, campaign)
        key = idempotency_key(RUN, campaign.name, campaign.channel, maya.email or "")
        row = await DeliveryLedger(db.sessions).get(key)
        assert row is not None and row.status == "pending"  # recorded before the call
    assert len(provider.calls) == 1

    # The resumed run cannot know whether the message left, so a human decides; no resend.
    async with open_durable_pipeline(settings, **options) as (db, pipeline):
        record = await run_one(pipeline, 2, maya, campaign)
        async with db.sessions() as session:
            ledger = await session.get(DeliveryRow, key)
    assert record["decision"] == "queued"
    assert "may or may not have gone out" in record["reason"]
    assert ledger is not None and ledger.status == "uncertain"
    assert len(provider.calls) == 1

    # Even if that second process died too before its checkpoint, a third one does not send.
    async with open_durable_pipeline(settings, **options) as (db, pipeline):
        third = await run_one(pipeline, 3, maya, campaign)
    assert third["decision"] == "queued" and len(provider.calls) == 1


async def test_a_sent_key_is_never_sent_again_even_from_a_fresh_outbox(
    settings: Settings,
    tmp_path: Path,
    maya: Lead,
    campaign: Campaign,
    options: dict[str, Any],
    provider: CountingProvider,
) -> None:
    async with open_durable_pipeline(settings, migrate=True, **options) as (_, pipeline):
        first = await run_one(pipeline, 2, maya, campaign)
    assert first["decision"] == "sent"
    # Re-running the same lead in the same run (a new thread: its checkpoint was lost too).
    async with open_durable_pipeline(settings, **options) as (_, pipeline):
        again = await run_one(pipeline, 3, maya, campaign)
    assert again["decision"] == "sent" and again["delivery"]["duplicate"] is True
    assert again["delivery"]["message_id"] == first["delivery"]["message_id"]
    assert len(provider.calls) == 1  # the ledger answered; the provider was not called again


async def test_leads_that_share_a_source_still_get_a_thread_and_a_message_each(
    settings: Settings,
    tmp_path: Path,
    maya: Lead,
    campaign: Campaign,
    options: dict[str, Any],
    provider: CountingProvider,
) -> None:
    # An importer that labels every lead with the same source must not merge two people.
    twin = maya.model_copy(update={"email": "maya.twin@northwind-robotics.example"})
    leads = [(2, maya.model_copy(update={"source": "crm"})), (3, twin.model_copy(update={"source": "crm"}))]  # fmt: skip
    async with open_durable_pipeline(settings, migrate=True, **options) as (db, pipeline):
        store = await RunStore.start(db, campaign=campaign, run_id=RUN, total=2, options={})
        summary = await run_batch(
            pipeline, LeadFile(leads=leads), campaign, concurrency=2, store=store.save
        )
        await store.close("completed")
    assert len({record["thread_id"] for record in summary.records}) == 2
    assert sorted(call["recipient"] for call in provider.calls) == sorted([maya.email, twin.email])


def die_at_checkpoint(saver: Any, nth: int) -> list[str]:
    """Make the saver's process die as it is about to save its Nth checkpoint; return the list
    that records, for each checkpoint saved, the node that ran last."""
    saved: list[str] = []
    put = saver.aput

    async def dying_put(config: Any, checkpoint: Any, metadata: Any, *args: Any) -> Any:
        if len(saved) + 1 == nth:
            raise ProcessDied
        saved.append(str(metadata.get("source")))
        return await put(config, checkpoint, metadata, *args)

    saver.aput = dying_put
    return saved


CHECKPOINTS = {1: "after research", 2: "before sending", 3: "at the end, after the send"}


@pytest.mark.parametrize("nth", list(CHECKPOINTS), ids=list(CHECKPOINTS.values()))
async def test_a_crash_at_any_checkpoint_continues_the_lead_and_sends_once(
    nth: int,
    settings: Settings,
    maya: Lead,
    campaign: Campaign,
    options: dict[str, Any],
    provider: CountingProvider,
) -> None:
    async with open_durable_pipeline(settings, migrate=True, **options) as (_, pipeline):
        die_at_checkpoint(pipeline.graph.checkpointer, nth)
        with pytest.raises(ProcessDied):
            await run_one(pipeline, 2, maya, campaign)

    async with open_durable_pipeline(settings, **options) as (_, pipeline):
        record = await run_one(pipeline, 2, maya, campaign)

    # Continued from the last checkpoint on disk: decided, and sent once, whatever the crash
    # cost in model calls (the lost attempt's calls are not in the record).
    assert record["decision"] == "sent", record["reason"]
    assert {v["tone"] for v in record["variants"]} == {"professional", "friendly", "direct"}
    assert [calls["step"] for calls in record["usage"]["calls"]] == ["analyze", "generate"]
    assert [call["recipient"] for call in provider.calls] == [maya.email]


async def test_a_lead_is_checkpointed_where_it_matters_not_after_every_node(
    settings: Settings,
    maya: Lead,
    campaign: Campaign,
    options: dict[str, Any],
) -> None:
    async with open_durable_pipeline(settings, migrate=True, **options) as (_, pipeline):
        saved = die_at_checkpoint(pipeline.graph.checkpointer, 0)  # never dies
        record = await run_one(pipeline, 2, maya, campaign)
    assert record["decision"] == "sent"
    assert len(saved) == len(CHECKPOINTS), saved  # not one per node (seven nodes ran)
