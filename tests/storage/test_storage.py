"""Storage on both backends: migrations from empty, the guard, and what a run leaves behind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from agent.leads.files import read_leads
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import session_maker
from storage.migrations import (
    DatabaseNotMigrated,
    current_revision,
    ensure_migrated,
    head_revision,
    upgrade,
)
from storage.models import CampaignRow, FactRow, LeadRow, MessageRow, RunRow, VariantStatRow
from tests.conftest import EXAMPLES, NOW


async def test_migrations_run_up_from_empty(engine: AsyncEngine) -> None:
    assert await current_revision(engine) is None
    # The bare check refuses on both; only on PostgreSQL does opening the database stop there.
    hint = "" if engine.dialect.name == "sqlite" else " (migrations on PostgreSQL are applied"
    with pytest.raises(
        DatabaseNotMigrated, match=re.escape(f"has no schema yet: run `outreach db upgrade`{hint}")
    ):
        await ensure_migrated(engine)
    assert await upgrade(engine) == head_revision()
    await ensure_migrated(engine)
    assert await upgrade(engine) == head_revision(), "upgrading twice is harmless"


async def test_a_run_stores_every_lead_and_its_outcome(
    database_url: str,
    engine: AsyncEngine,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    tmp_path: Path,
) -> None:
    await upgrade(engine)
    settings = Settings(
        database_url=database_url, allow_private_networks=True, auto_send=True, data_dir=tmp_path
    )
    lead_file = read_leads(EXAMPLES / "leads.csv")
    async with open_durable_pipeline(settings, resolve=demo_resolve, clock=lambda: NOW) as (
        db,
        pipeline,
    ):
        store = await RunStore.start(
            db, campaign=campaign, run_id=pipeline.context.run_id, total=8, options={}
        )
        summary = await run_batch(pipeline, lead_file, campaign, concurrency=4, store=store.save)
        await store.close("completed")
    sessions = session_maker(engine)
    async with sessions() as session:
        run = await session.get(RunRow, pipeline.context.run_id)
        assert run is not None
        assert (run.status, run.total, run.processed) == ("completed", 8, 8)
        assert (run.sent, run.queued, run.rejected) == (
            summary.counts["sent"],
            summary.counts["queued"],
            summary.counts["rejected"],
        )
        statuses = dict(
            (
                await session.execute(
                    select(MessageRow.status, func.count()).group_by(MessageRow.status)
                )
            ).all()
        )
        assert statuses == {"sent": 4, "queued": 2, "rejected": 1}, (
            "the invalid row is counted, not stored"
        )
        maya = await session.scalar(
            select(LeadRow).where(
                LeadRow.email_normalized == "maya.okafor@northwind-robotics.example"
            )
        )
        assert maya is not None and maya.status == "sent"
        message = await session.scalar(select(MessageRow).where(MessageRow.lead_id == maya.id))
        assert message is not None
        assert message.selected_variant == "professional" and len(message.variants) == 3
        assert message.generation["prompts"]["generate"]["version"] == "v6"
        assert message.provider_message_id is not None and message.provider_message_id.startswith(
            "dryrun-"
        )
        facts = (await session.scalars(select(FactRow).where(FactRow.lead_id == maya.id))).all()
        assert any(
            f.title == "Northwind Robotics raises $40M Series B to expand fleet software"
            for f in facts
        )
        stats = (
            await session.scalars(
                select(VariantStatRow).where(VariantStatRow.message_id == message.id)
            )
        ).all()
        assert {(s.tone, s.sent) for s in stats} == {
            ("professional", 1),
            ("friendly", 0),
            ("direct", 0),
        }
        campaign_row = await session.scalar(
            select(CampaignRow).where(CampaignRow.name == campaign.name)
        )
        assert campaign_row is not None and (
            campaign_row.total_messages,
            campaign_row.messages_sent,
        ) == (7, 4)
        assert campaign_row.settings["value_proposition"] == campaign.value_proposition
        json.dumps(message.variants)  # stored as plain JSON on both backends


async def test_a_second_run_updates_leads_instead_of_duplicating_them(
    database_url: str,
    engine: AsyncEngine,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    tmp_path: Path,
) -> None:
    await upgrade(engine)
    settings = Settings(database_url=database_url, allow_private_networks=True, data_dir=tmp_path)
    lead_file = read_leads(EXAMPLES / "leads.csv")
    for _ in range(2):
        async with open_durable_pipeline(settings, resolve=demo_resolve, clock=lambda: NOW) as (
            db,
            pipeline,
        ):
            store = await RunStore.start(
                db, campaign=campaign, run_id=pipeline.context.run_id, total=8, options={}
            )
            await run_batch(pipeline, lead_file, campaign, concurrency=4, store=store.save)
            await store.close("completed")
    async with session_maker(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(LeadRow)) == 7
        # One message per lead and campaign: the second run rewrote the first run's drafts.
        assert await session.scalar(select(func.count()).select_from(MessageRow)) == 7
        assert await session.scalar(select(func.count()).select_from(RunRow)) == 2


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    """A model change without a migration would leave real databases behind: fail here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base

    await upgrade(engine)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert differences == [], f"write a migration for: {differences}"
