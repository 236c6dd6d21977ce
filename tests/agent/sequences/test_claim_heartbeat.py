"""A step whose writing outlasts the claim's lease stays with the scheduler writing it: the
lease is renewed while it works, so a second scheduler never takes it and writes it again; and
a scheduler whose claim was taken all the same stores nothing over the other's."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from langgraph.runtime import Runtime
from sqlalchemy import select, update

import graphs.lead_pipeline
from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.leads.store import store_leads
from agent.sequences.enrollment import enroll_leads
from agent.sequences.scheduler import Scheduler, open_scheduler
from agent.settings import Settings
from graphs.context import PipelineContext
from graphs.lead import Lead
from graphs.nodes.decide import decide
from graphs.state import PipelineState
from storage.database import Database
from storage.models import MessageRow
from storage.sequence_models import SequenceStepRow
from tests.conftest import EXAMPLES, OPEN_LIMITS

LEASE_S = 1.0
WRITING_S = 4 * LEASE_S  # far longer than the lease: it would run out three times over


class SlowDecide:
    """Replaces the pipeline's decide step with one that takes WRITING_S (a slow model)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.started = asyncio.Event()

        async def step(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
            self.calls += 1
            self.started.set()
            await asyncio.sleep(WRITING_S)
            return await decide(state, runtime)

        # build_graph reads the node from its module each time a pipeline is opened.
        monkeypatch.setattr(graphs.lead_pipeline, "decide", step)


async def due_now(db: Database, settings: Settings, lead: Lead) -> None:
    """A campaign with one email step, any hour, due now for the lead."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data["policy"] = {"auto_send": True}
    data["sequence"] = [{"channel": "email", "kind": "first_touch", "window": "00:00-24:00"}]
    ids = await store_leads(db, [lead])
    now = dt.datetime.now(dt.UTC)
    async with db.sessions.begin() as session:
        campaign = await store_spec(session, CampaignSpec.model_validate(data))
        await enroll_leads(session, campaign, ids, settings=settings, now=now)
        await session.execute(update(SequenceStepRow).values(due_at=now))


@pytest.fixture
def settings(offline_settings: Callable[..., Settings]) -> Settings:
    """Open sending limits and a lease short enough for a slow write to outlast it."""
    return offline_settings(**OPEN_LIMITS, sequence_claim_lease_s=LEASE_S)


async def the_step(db: Database) -> SequenceStepRow:
    async with db.sessions() as session:
        step = await session.scalar(select(SequenceStepRow))
    assert step is not None
    return step


async def messages(db: Database) -> list[MessageRow]:
    async with db.sessions() as session:
        return list(await session.scalars(select(MessageRow)))


async def tick_until_done(work: asyncio.Task[Any], other: Scheduler) -> int:
    """Tick `other` over and over while `work` runs; return how many steps it claimed."""
    claimed = 0
    while not work.done():
        claimed += (await other.tick()).claimed
        await asyncio.sleep(0.05)
    return claimed


async def test_a_step_written_for_longer_than_the_lease_is_written_and_sent_once(
    database_url: str, settings: Settings, maya: Lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowDecide(monkeypatch)
    async with await Database.connect(database_url, migrate=True) as db:
        await due_now(db, settings, maya)
        async with (
            open_scheduler(settings, db, worker="first") as first,
            open_scheduler(settings, db, worker="second") as second,
        ):
            writing = asyncio.create_task(first.tick())
            await slow.started.wait()  # the first has claimed the step and is writing it
            claimed_by_second = await tick_until_done(writing, second)
            report = await writing
            await second.tick()  # and once more after: nothing is left for it
        step = await the_step(db)
        stored = await messages(db)

    assert report.claimed == 1 and claimed_by_second == 0
    assert slow.calls == 1  # written once, by the first scheduler
    assert step.status == "sent" and step.attempts == 1
    assert [(m.lead_id, m.status) for m in stored] == [(step.lead_id, "sent")]
    assert step.message_id == stored[0].id
    outbox = settings.data_dir / "outbox.jsonl"
    sent = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert [m["to"] for m in sent] == [maya.email]


async def test_a_scheduler_whose_claim_was_taken_stores_nothing_over_the_new_owner(
    database_url: str, settings: Settings, maya: Lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowDecide(monkeypatch)
    async with await Database.connect(database_url, migrate=True) as db:
        await due_now(db, settings, maya)
        async with open_scheduler(settings, db, worker="first", send_email=False) as first:
            writing = asyncio.create_task(first.tick())
            await slow.started.wait()
            # The first scheduler hangs past its lease (as a stalled process would) and another
            # scheduler claims the step: the claim is that one's now.
            later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
            async with db.write_lock, db.sessions.begin() as session:
                await session.execute(
                    update(SequenceStepRow).values(claimed_by="other", claim_expires_at=later)
                )
            await writing
        step = await the_step(db)
        stored = await messages(db)

    assert slow.calls == 1
    assert (step.status, step.claimed_by, step.message_id) == ("claimed", "other", None)
    assert stored == []  # the first scheduler's draft was not stored over the other's work
