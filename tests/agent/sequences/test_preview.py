"""A sequence previewed for one lead before launch: every step drafted, nothing sent or stored.

Maya was researched and written to once in a one-off campaign (approved, waiting in the send
queue, as the API's generate-messages leaves a lead). The preview of a 5-step campaign writes
her every step from those stored facts, each follow-up knowing the drafts before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select, text

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import pipeline_campaign, store_spec
from agent.runs.batch import run_one
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.sequences.operations import NoSequence
from agent.sequences.preview import StepPreview, preview_sequence
from agent.settings import Settings
from graphs.lead import Lead
from storage.database import Database
from storage.leads import lead_facts
from storage.models import CampaignRow, MessageRow, RunRow
from storage.outcomes import save_outcome
from storage.runs import start_run
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow, TaskRow
from tests.conftest import EXAMPLES, NOW
from tools.delivery.send_queue import SendQueue

FIVE_STEP = [
    ("email", "first_touch", 0),
    ("linkedin_connect", "soft_nudge", 1),
    ("email", "new_angle", 4),
    ("call", "direct_cta", 7),
    ("email", "breakup", 12),
]


def spec(name: str, sequence: Any = None) -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data.update(name=name, sequence=sequence, policy={"auto_send": True})
    return CampaignSpec.model_validate(data)


async def researched(db: Database, settings: Settings, lead: Lead) -> tuple[int, int]:
    """Store a one-off campaign and the lead's first message in it; return both ids."""
    async with db.write_lock, db.sessions.begin() as session:
        one_off = await store_spec(session, spec("one-off"))
        await start_run(session, run_id="research", campaign_id=one_off.id, total=1, options={})
        campaign = pipeline_campaign(one_off)
    async with open_durable_pipeline(
        settings,
        db=db,
        run_id="research",
        record_sends=False,
        outbox=SendQueue(),
        clock=lambda: NOW,
    ) as (_, pipeline):
        record = await run_one(pipeline, 1, lead, campaign)
    async with db.write_lock, db.sessions.begin() as session:
        row = await session.get(CampaignRow, one_off.id)
        assert row is not None
        message = await save_outcome(session, run_id="research", campaign=row, record=record)
        assert message is not None and message.status in ("approved", "queued")
        return one_off.id, message.lead_id


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as opened:
        yield opened


@pytest.fixture
def settings(offline_settings: Callable[..., Settings]) -> Settings:
    return offline_settings()


async def count(db: Database, model: Any) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_every_step_of_a_five_step_sequence_is_drafted_and_nothing_goes_out(
    db: Database, settings: Settings, maya: Lead
) -> None:
    _, maya_id = await researched(db, settings, maya)
    async with db.write_lock, db.sessions.begin() as session:
        five = await store_spec(session, spec("five steps", "5-step"))
    async with db.sessions() as session:
        stored_facts = {row.fact_id for row in await lead_facts(session, lead_id=maya_id)}
    before = {model: await count(db, model) for model in (MessageRow, RunRow)}

    previews = await preview_sequence(settings, db, five.id, maya_id, clock=lambda: NOW)

    assert [(p.channel, p.kind, p.due_offset_business_days) for p in previews] == FIVE_STEP
    messages = [p for p in previews if p.channel != "call"]
    assert all(p.decision in ("send", "queue") and p.body.strip() for p in messages), previews
    first, connect, angle, call, breakup = previews
    cited = {i for p in messages for hook in p.hooks for i in hook["fact_ids"]}
    assert cited and cited <= stored_facts  # written from her stored research, nothing new
    assert first.subject and angle.subject == f"Re: {first.subject}"  # one thread
    used_first = {i for hook in first.hooks for i in hook["fact_ids"]}
    used_angle = {i for hook in angle.hooks for i in hook["fact_ids"]}
    assert used_angle and not used_angle & used_first  # a new angle is a fact not used yet
    assert breakup.subject == f"Re: {first.subject}"
    assert len(connect.body) <= 300  # a LinkedIn connection note
    assert len(breakup.body.split()) < len(first.body.split())  # follow-ups get shorter
    bodies = [p.body for p in messages]
    assert len(set(bodies)) == len(bodies)
    assert call.decision == "task" and call.call_script is not None
    assert call.call_script["opener"] and len(call.call_script["voicemail"].split()) <= 75
    assert set(call.call_script["reason_fact_ids"]) <= stored_facts
    # Business days from a Sunday: Monday, then 1, 3, 3 and 5 business days later.
    assert [p.planned_at.date() for p in previews] == [
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 30),  # Thanksgiving (26 November) is skipped
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 10),
    ]

    # Nothing sent, nothing stored: no outbox, no new message, run, enrolment, step or task.
    data = settings.data_dir
    assert not (data / "outbox.jsonl").exists() or not (data / "outbox.jsonl").read_text()
    assert not (data / "sms_outbox.jsonl").exists()
    assert {model: await count(db, model) for model in (MessageRow, RunRow)} == before
    for model in (SequenceEnrollmentRow, SequenceStepRow, TaskRow):
        assert await count(db, model) == 0
    async with db.sessions() as session:
        kept = await session.scalar(
            text("SELECT count(*) FROM checkpoints WHERE thread_id LIKE 'preview-%'")
        )
    assert kept == 0  # the preview's threads (holding her facts) are gone too


async def test_a_preview_needs_a_known_lead_and_a_campaign_with_a_sequence(
    db: Database, settings: Settings, maya: Lead
) -> None:
    one_off_id, maya_id = await researched(db, settings, maya)
    async with db.write_lock, db.sessions.begin() as session:
        three = await store_spec(session, spec("three steps", "3-step"))
    with pytest.raises(NoSequence, match="has no sequence"):
        await preview_sequence(settings, db, one_off_id, maya_id, clock=lambda: NOW)
    with pytest.raises(LookupError, match="there is no lead 999"):
        await preview_sequence(settings, db, three.id, 999, clock=lambda: NOW)
    with pytest.raises(LookupError, match="there is no campaign 999"):
        await preview_sequence(settings, db, 999, maya_id, clock=lambda: NOW)


def test_a_preview_reads_as_json() -> None:
    preview = StepPreview(
        step=1, kind="first_touch", channel="email", delay_business_days=0,
        due_offset_business_days=0, planned_at=NOW, decision="send", reason="clears the bar",
    )  # fmt: skip
    assert preview.as_dict()["planned_at"] == "2026-11-22T12:00:00+00:00"
