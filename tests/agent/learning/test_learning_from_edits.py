"""Reviewers' edits change the campaign's later drafts, and a reset undoes it.

The demo leads are drafted by the offline writer and queued; two reviewers delete the same
sentence from two leads' drafts and send them. A later run over the other leads no longer
writes that sentence, and each message records the edits and phrasings that shaped it; after
`outreach learning reset` the sentence is back.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent.leads.files import read_leads
from agent.learning.overview import reset_campaign_learning, show_learning
from agent.review.queue import act
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.drafts import Tone
from graphs.lead import Campaign
from graphs.learned import line_sentences
from graphs.review_log import ReviewAction
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow
from tests.agent.review.test_review_queue import queue_demo_leads
from tests.conftest import EXAMPLES, NOW


async def drafts_by_lead(settings: Settings) -> dict[str, MessageRow]:
    async with await Database.connect(settings.database) as db, db.sessions() as session:
        rows = await session.execute(
            select(LeadRow.name, MessageRow).join(MessageRow, MessageRow.lead_id == LeadRow.id)
        )
        return {name: message for name, message in rows}


def sentences_of(message: MessageRow) -> dict[str, set[str]]:
    """Each tone's sentences."""
    return {
        v["tone"]: {s for line in v["body"].splitlines() for s in line_sentences(line)}
        for v in message.variants
    }


async def rerun(
    settings: Settings, campaign: Campaign, resolve: dict[str, str], names: set[str]
) -> None:
    """Run these demo leads again in the campaign, with the campaign's learning."""
    every = read_leads(EXAMPLES / "leads.csv")
    leads = dataclasses.replace(every, leads=[(r, x) for r, x in every.leads if x.name in names])
    async with open_durable_pipeline(settings, resolve=resolve, clock=lambda: NOW) as (
        db,
        pipeline,
    ):
        store = await RunStore.start(
            db,
            campaign=campaign,
            run_id=pipeline.context.run_id,
            total=len(leads.leads),
            options={},
        )
        await run_batch(pipeline, leads, campaign, concurrency=2, store=store.save)
        await store.close("completed")


async def test_edits_change_later_drafts_and_a_reset_undoes_it(
    database_url: str, tmp_path: Path, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, allow_private_networks=True, auto_send=False
    )
    ids = await queue_demo_leads(settings, campaign, demo_resolve)
    first = await drafts_by_lead(settings)
    # A sentence the writer put in the drafts of at least three queued leads (not a sign-off).
    leads_with: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in ids:
        for tone, said in sentences_of(first[name]).items():
            for sentence in said:
                if len(sentence.split()) >= 6 and name not in {n for n, _ in leads_with[sentence]}:
                    leads_with[sentence].append((name, tone))
    common = sorted(leads_with, key=lambda s: (-len(leads_with[s]), s))
    phrase = common[0]
    assert len(leads_with[phrase]) >= 3, leads_with[phrase]

    # Two reviewers delete it from two leads' drafts and send them.
    edited: list[int] = []
    for (name, tone), reviewer in zip(leads_with[phrase], ["dana", "lee"], strict=False):
        draft = next(v for v in first[name].variants if v["tone"] == tone)
        body = "\n".join(
            " ".join(s for s in line_sentences(line) if s != phrase)
            for line in draft["body"].splitlines()
        )
        result = await act(
            settings,
            ids[name],
            ReviewAction(action="edit", tone=Tone(tone), body=body, reviewer=reviewer),
            clock=lambda: NOW,
        )
        assert result.status == "sent", result
        edited.append(ids[name])
    later = {name for name, _ in leads_with[phrase][2:]}

    async with await Database.connect(settings.database) as db, db.sessions() as session:
        row = await session.scalar(select(CampaignRow).where(CampaignRow.name == campaign.name))
        assert row is not None
        shown: dict[str, Any] = await show_learning(session, row)
    assert phrase in shown["avoid"]
    assert sorted(e["message_id"] for e in shown["examples"]) == sorted(edited)

    # The campaign's later drafts leave the sentence out, and say what shaped them.
    await rerun(settings, campaign, demo_resolve, later)
    second = await drafts_by_lead(settings)
    for name in later:
        assert all(phrase not in said for said in sentences_of(second[name]).values()), name
        learning = second[name].generation["prompts"]["generate"]["learning"]
        assert phrase in learning["avoid"]
        assert sorted(learning["examples"]) == sorted(edited)

    # A reset forgets the edits: the sentence is written again, and nothing is recorded.
    async with await Database.connect(settings.database) as db, db.sessions.begin() as session:
        row = await session.scalar(select(CampaignRow).where(CampaignRow.name == campaign.name))
        assert row is not None
        await reset_campaign_learning(session, row)
    await rerun(settings, campaign, demo_resolve, later)
    third = await drafts_by_lead(settings)
    for name in later:
        tones = {tone for n, tone in leads_with[phrase] if n == name}
        assert any(phrase in sentences_of(third[name])[tone] for tone in tones), name
        assert "learning" not in third[name].generation["prompts"]["generate"]
