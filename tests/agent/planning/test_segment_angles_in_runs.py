"""A campaign's segments shape how each lead is written: the real pipeline (offline writer,
demo fixture web, durable runs) places each lead after research, leads its pitch with its
segment's emphasis, prefers its segment's tone among the drafts that pass, and the stored
message records the segment, the rule that placed it and the angle."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent.leads.files import read_leads
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow
from tests.conftest import EXAMPLES, NOW

SEGMENTS: list[dict[str, Any]] = [
    {
        "name": "platform-leaders",
        "share": 0.5,
        "match": {"title": ["VP Engineering"]},
        "angle": {"tone": "friendly", "emphasis": "stop flaky tests from blocking merges"},
    },
    {
        "name": "platform-owners",
        "share": 0.5,
        "match": {"title": ["Head of Platform"]},
        "angle": {"tone": "direct", "emphasis": "see which builds slow your pipeline down"},
    },
]
LEADS = {"Maya Okafor", "Daniel Brandt"}


async def run_demo_leads(
    settings: Settings,
    campaign: Campaign,
    resolve: dict[str, str],
    segments: list[dict[str, Any]] | None,
) -> dict[str, MessageRow]:
    """Store the campaign with these segments, run two demo leads in it, return their messages."""
    every = read_leads(EXAMPLES / "leads.csv")
    leads = dataclasses.replace(every, leads=[(r, x) for r, x in every.leads if x.name in LEADS])
    async with open_durable_pipeline(
        settings, migrate=True, resolve=resolve, clock=lambda: NOW
    ) as (db, pipeline):
        store = await RunStore.start(
            db, campaign=campaign, run_id=pipeline.context.run_id, total=2, options={}
        )
        async with db.sessions.begin() as session:
            row = await session.scalar(select(CampaignRow).where(CampaignRow.name == campaign.name))
            assert row is not None
            row.settings = {**(row.settings or {}), "segments": segments}
        await run_batch(pipeline, leads, campaign, concurrency=2, store=store.save)
        await store.close("completed")
    async with await Database.connect(settings.database) as db, db.sessions() as session:
        rows = await session.execute(
            select(LeadRow.name, MessageRow).join(MessageRow, MessageRow.lead_id == LeadRow.id)
        )
        return {name: message for name, message in rows}


def pitch_start(body: str) -> str:
    """The text after the hook: the paragraph the pitch opens."""
    return next(p for p in body.split("\n\n") if "I would lead with" in p)


async def test_each_lead_is_written_with_its_segments_angle_and_records_it(
    database_url: str, tmp_path: Path, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, allow_private_networks=True, auto_send=False
    )
    messages = await run_demo_leads(settings, campaign, demo_resolve, SEGMENTS)
    for name, segment in (("Maya Okafor", SEGMENTS[0]), ("Daniel Brandt", SEGMENTS[1])):
        message, angle = messages[name], segment["angle"]
        # Every draft leads its pitch with the segment's emphasis, the other's nowhere.
        other = next(s for s in SEGMENTS if s is not segment)["angle"]["emphasis"]
        for variant in message.variants:
            opening = pitch_start(variant["body"])
            assert f"The one thing I would lead with: {angle['emphasis']}." in opening, variant
            assert opening.index(angle["emphasis"]) < opening.index("Brightpath"), opening
            assert other not in variant["body"]
        # The segment's tone is chosen when the critic passed it.
        scores = {v["tone"]: v["quality"] for v in message.variants}
        assert scores[angle["tone"]]["passed"], scores
        assert message.selected_variant == angle["tone"], (message.reason, scores)
        recorded = message.generation["prompts"]["generate"]["segment"]
        assert recorded == {
            "segment": segment["name"],
            "rule": 1,
            "matched": recorded["matched"],
            "angle": {**angle, "sequence": None},
        }
        assert "title" in recorded["matched"], recorded


async def test_a_campaign_without_segments_is_written_as_before(
    database_url: str, tmp_path: Path, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, allow_private_networks=True, auto_send=False
    )
    messages = await run_demo_leads(settings, campaign, demo_resolve, None)
    for message in messages.values():
        assert "segment" not in message.generation["prompts"]["generate"]
        assert all("I would lead with" not in v["body"] for v in message.variants)
