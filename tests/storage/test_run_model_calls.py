"""A run's model calls, stored with its progress on SQLite and PostgreSQL: what the model was
asked, each lead's calls once however often the lead is counted, a held lead's on its retry,
and migration 0018 adding the column to runs already stored (and taking it away again)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from agent.leads.files import read_leads
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.results import internal_error_record
from agent.runs.store import RunStore
from graphs.lead import Campaign
from storage.database import Database, session_maker
from storage.migrations import current_revision, upgrade
from storage.models import CampaignRow, RunRow
from storage.outcome_batches import save_outcomes
from tests.agent.test_openai_provider import answer_like_a_model, settings_for
from tests.conftest import EXAMPLES, NOW
from tests.fakes.openai_stub import OpenAIStub, Respond
from tests.storage.conftest import downgrade


async def _run(db: Database, run_id: str) -> RunRow:
    async with db.sessions() as session:
        run = await session.get(RunRow, run_id)
    assert run is not None
    return run


def _calls(record: dict[str, Any]) -> int:
    return int((record.get("usage") or {}).get("llm_calls", 0))


async def test_a_run_stores_the_calls_the_model_served_and_a_lead_counted_twice_adds_none(
    database_url: str,
    stub: OpenAIStub,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    tmp_path: Path,
) -> None:
    stub.enqueue(*[Respond(answer_like_a_model)] * 60)
    settings = settings_for(stub, tmp_path, database_url=database_url)
    async with open_durable_pipeline(
        settings, resolve=demo_resolve, clock=lambda: NOW, migrate=True
    ) as (db, pipeline):
        run_id = pipeline.context.run_id
        store = await RunStore.start(db, campaign=campaign, run_id=run_id, total=8, options={})
        summary = await run_batch(
            pipeline, read_leads(EXAMPLES / "leads.csv"), campaign, concurrency=4, store=store.save
        )
        await store.close("completed")
        served = len(stub.requests)
        run = await _run(db, run_id)
        assert served > 0 and run.processed == 8
        assert run.model_calls == served == summary.usage.llm_calls

        # A worker handed every lead again (a broker redelivering them) stores each once more:
        # the leads were counted, and so were their calls. (The bad row is no lead a worker
        # is handed.)
        again = RunStore(db=db, run_id=run_id, campaign_id=store.campaign_id)
        for record in summary.records:
            if record.get("thread_id"):
                await again.save(record)
        run = await _run(db, run_id)
        assert (run.processed, run.model_calls) == (8, served)

        # A lead twice in one group of outcomes is counted once as well.
        maya = next(r for r in summary.records if r["lead"]["name"] == "Maya Okafor")
        record = {**copy.deepcopy(maya), "thread_id": "twice:maya"}
        await RunStore.start(db, campaign=campaign, run_id="twice", total=1, options={})
        async with db.write_lock, db.sessions.begin() as session:
            row = await session.get(CampaignRow, store.campaign_id)
            assert row is not None
            await save_outcomes(session, run_id="twice", campaign=row, records=[record, record])
        run = await _run(db, "twice")
        assert (run.processed, run.model_calls) == (1, _calls(maya)) and _calls(maya) > 0


async def test_a_held_lead_adds_its_calls_when_its_retry_is_stored(
    database_url: str,
    stub: OpenAIStub,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    tmp_path: Path,
) -> None:
    stub.enqueue(*[Respond(answer_like_a_model)] * 10)
    # Not sent (no delivery key): the same drafts are stored in two runs below.
    settings = settings_for(stub, tmp_path, database_url=database_url, auto_send=False)
    leads = read_leads(EXAMPLES / "leads.csv")
    leads.leads = [(row, lead) for row, lead in leads.leads if lead.name == "Maya Okafor"]
    leads.errors = []
    async with open_durable_pipeline(
        settings, resolve=demo_resolve, clock=lambda: NOW, migrate=True
    ) as (db, pipeline):
        (record,) = (await run_batch(pipeline, leads, campaign, concurrency=1)).records
        calls = len(stub.requests)
        assert _calls(record) == calls > 0
        held = {
            **internal_error_record(record["row"], record["lead"], "boom", provider="openai"),
            "thread_id": "held:maya",
        }
        retried = {**record, "thread_id": "held:maya"}

        # Retried in place: the held lead (no calls of its own) takes its retry's calls.
        store = await RunStore.start(db, campaign=campaign, run_id="held", total=1, options={})
        await store.save(held)
        assert ((await _run(db, "held")).processed, (await _run(db, "held")).model_calls) == (1, 0)
        await store.save(retried)
        run = await _run(db, "held")
        assert (run.processed, run.model_calls) == (1, calls)

        # Resumed: a held message whose drafts list calls is taken out of the count with them,
        # and its retry counts afresh, so the run holds the retry's calls once.
        other = campaign.model_copy(update={"name": "Other"})
        store = await RunStore.start(db, campaign=other, run_id="resumed", total=1, options={})
        await store.save({**held, "thread_id": "resumed:maya", "usage": record["usage"]})
        assert (await _run(db, "resumed")).model_calls == calls
        store, done = await RunStore.resume(db, run_id="resumed", campaign=other)
        assert done == set() and (await _run(db, "resumed")).model_calls == 0
        await store.save({**record, "thread_id": "resumed:maya"})
        run = await _run(db, "resumed")
        assert (run.processed, run.model_calls) == (1, calls)


async def test_the_migration_gives_stored_runs_no_calls_and_removes_the_column_again(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine, "0017")
    async with session_maker(engine).begin() as session:
        session.add(CampaignRow(id=1, name="Q1", channel="email", value_proposition="Builds."))
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO runs (id, campaign_id, status, total, processed, sent, queued, "
                "rejected, approved, options, started_at) "
                "VALUES ('r1', 1, 'completed', 1, 1, 1, 0, 0, 0, '{}', :at)"
            ),
            {"at": dt.datetime(2026, 11, 22, tzinfo=dt.UTC)},
        )
        await connection.execute(
            text(
                "INSERT INTO run_counted_leads (run_id, thread_id, decision) "
                "VALUES ('r1', 'r1:a', 'sent')"
            )
        )
    assert await upgrade(engine, "0018") == "0018"
    async with engine.connect() as connection:
        calls = (await connection.execute(text("SELECT model_calls FROM runs"))).scalars().all()
    assert calls == [0]

    async with engine.begin() as connection:
        await connection.run_sync(downgrade, "0017")
    assert await current_revision(engine) == "0017"
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: [column["name"] for column in inspect(sync).get_columns("runs")]
        )
        counted = (
            (await connection.execute(text("SELECT thread_id FROM run_counted_leads")))
            .scalars()
            .all()
        )
    assert "model_calls" not in columns
    assert counted == ["r1:a"], "dropping the column must not take the run's counted leads"
