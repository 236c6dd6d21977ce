"""A planned mailbox's own window holds at send time: Ann's mailbox sends 13:00-15:00, Bob's
names no window; every step falls due at 09:00 (the 3-step's window opens then). Ann's emails
wait for 13:00, Bob's go at 09:00. The week is planned over stored leads and enrolled as the
API and `outreach sequence enroll-week` do, then the scheduler is ticked at 09:00 and 13:00
each weekday with the offline writer, research on the demo sites and a recording provider."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import yaml
from sqlalchemy import select

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import spec_of, store_spec
from agent.delivery.dispatcher import Dispatcher
from agent.delivery.sequence_sending import within
from agent.leads.store import store_leads
from agent.planning.stored_plan import enroll_stored_week
from agent.sequences.scheduler import open_scheduler
from agent.settings import Settings
from storage.database import Database
from storage.models import MessageRow
from tests.agent.delivery.test_planned_mailboxes import RecordingProvider, leads, stopped_clock
from tests.conftest import EXAMPLES, OPEN_LIMITS

MONDAY = dt.date(2027, 2, 22)  # no US holiday that week
ANN, BOB = "ann@seller.example", "bob@seller.example"


def campaign() -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data.update(target_audience=data.pop("target"), policy={"auto_send": True})
    data["sequence"] = "3-step"
    data["mailboxes"] = [
        {"address": ANN, "daily_cap": 3, "window": "13:00-15:00"},
        {"address": BOB, "daily_cap": 3},
    ]
    return CampaignSpec.model_validate(data)


def at(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


def test_a_steps_window_narrows_to_its_mailboxs_and_a_disjoint_one_gives_way() -> None:
    ann = (at(13), at(15))
    assert within(ann, (at(9), at(17))) == ann
    assert within((at(9), at(13)), (at(12), at(17))) == (at(12), at(13))
    assert within(ann, (at(10), at(12))) == ann  # the mailbox sends in no other hours


async def test_each_mailbox_sends_in_its_own_window(
    database_url: str, offline_settings: Callable[..., Settings]
) -> None:
    settings = offline_settings(**OPEN_LIMITS, default_country="US", default_timezone="UTC")
    provider = RecordingProvider()
    async with await Database.connect(database_url, migrate=True) as db:
        ids = await store_leads(db, leads(10))
        async with db.sessions.begin() as session:
            row = await store_spec(session, campaign())
            campaign_id, spec = row.id, spec_of(row)
        sunday = dt.datetime.combine(MONDAY, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(hours=6)
        report, _ = await enroll_stored_week(
            db, settings, spec, campaign_id, now=sunday, week_start=MONDAY, lead_ids=ids
        )
        for offset in range(5):
            day = MONDAY + dt.timedelta(days=offset)
            provider.day = day
            for hour in (9, 13):
                clock = stopped_clock(dt.datetime.combine(day, dt.time(hour), dt.UTC))
                dispatcher = Dispatcher(db, settings, provider, clock=clock)
                async with open_scheduler(
                    settings, db, dispatcher=dispatcher, clock=clock
                ) as scheduler:
                    for _ in range(2):
                        await scheduler.tick()
        async with db.sessions() as session:
            stored = list(await session.scalars(select(MessageRow)))

    planned = {t.lead_id: t.mailbox for d in report.plan.days for t in d.first_touches}
    assert set(planned.values()) == {ANN, BOB}
    sent_at: dict[str, set[dt.time]] = defaultdict(set)
    steps: dict[str, int] = defaultdict(int)
    for message in stored:
        assert message.sent_at is not None, (message.lead_id, message.status)
        moment = message.sent_at
        utc = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
        sent_at[message.mailbox or ""].add(utc.astimezone(dt.UTC).time())
        steps[message.mailbox or ""] += 1
        assert message.mailbox == planned[message.lead_id]
    # Every step fell due at 09:00: Ann's waited for her window, Bob's went at once.
    assert sent_at == {ANN: {dt.time(13)}, BOB: {dt.time(9)}}
    assert steps[ANN] > 3 and steps[BOB] > 3  # first touches and follow-ups from each
    assert len(provider.sent) == len(stored)
