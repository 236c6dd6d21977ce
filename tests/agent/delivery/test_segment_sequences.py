"""The scheduler follows a segment's own sequence: a campaign runs 3-step, its `platform`
segment's angle names 5-step; the week's plan is enrolled as the API and `outreach sequence
enroll-week` do, and the scheduler is ticked through four weeks with the offline writer,
research on the demo sites and a recording email provider. The segment's leads get the
5-step's steps at its delays, the others the 3-step's; an enrolment whose stored preset is
unknown (an edited row) falls back to the campaign's sequence with a warning."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from sqlalchemy import select, update

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import spec_of, store_spec
from agent.delivery.dispatcher import Dispatcher
from agent.leads.store import store_leads
from agent.planning.stored_plan import enroll_stored_week, plan_stored_week
from agent.sequences.operations import enroll, lead_sequence
from agent.sequences.scheduler import open_scheduler
from agent.settings import Settings
from graphs.lead import Lead
from storage.database import Database
from storage.models import MessageRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from tests.agent.delivery.test_planned_mailboxes import RecordingProvider, stopped_clock
from tests.conftest import EXAMPLES, OPEN_LIMITS
from tests.demo_people import person

MONDAY = dt.date(2027, 2, 22)  # no US holiday from here to mid-March
SEGMENT = {
    "name": "platform",
    "share": 0.5,
    "match": {"title": "VP Engineering"},  # Maya's copies; Jonas's (CTO) are unsegmented
    "angle": {"sequence": "5-step"},
}
# What each sequence is, as a person reads the presets: (channel, kind, business days after
# the step before).
FIVE_STEP = [
    ("email", "first_touch", 0), ("linkedin_connect", "soft_nudge", 1),
    ("email", "new_angle", 3), ("call", "direct_cta", 3), ("email", "breakup", 5),
]  # fmt: skip
THREE_STEP = [("email", "first_touch", 0), ("email", "soft_nudge", 3), ("email", "breakup", 5)]


def campaign() -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data.update(target_audience=data.pop("target"), policy={"auto_send": True})
    data["sequence"] = "3-step"
    data["segments"] = [SEGMENT]
    data["mailboxes"] = [{"address": "ann@seller.example", "daily_cap": 10}]
    return CampaignSpec.model_validate(data)


def leads() -> list[Lead]:
    """Two of Maya and two of Jonas, each at a company of its own, without a LinkedIn profile
    or a phone: the 5-step's LinkedIn and call steps are skipped on their day, and the
    sequence goes on."""
    return [
        person(key, n).model_copy(
            update={"email": f"lead{n}@company{n}.example", "linkedin_url": None, "phone": None}
        )
        for n, key in enumerate(("maya", "jonas", "maya", "jonas"))
    ]


def weekdays_after(day: dt.date, count: int) -> dt.date:
    """Return the weekday `count` weekdays after `day` (no holidays in these weeks)."""
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def expected(first: dt.date, steps: list[tuple[str, str, int]]) -> list[tuple[str, str, dt.date]]:
    """Each step's channel, kind and day: every step is done on the day it falls due."""
    days, day = [], first
    for channel, kind, delay in steps:
        day = weekdays_after(day, delay)
        days.append((channel, kind, day))
    return days


async def tick_weekdays(
    db: Database, settings: Settings, provider: RecordingProvider, days: int
) -> None:
    """Tick the scheduler at 10:00 UTC on each weekday from MONDAY (the steps fall due 09:00)."""
    for offset in range(days):
        day = MONDAY + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        clock = stopped_clock(dt.datetime.combine(day, dt.time(10), dt.UTC))
        provider.day = day
        dispatcher = Dispatcher(db, settings, provider, clock=clock)
        async with open_scheduler(settings, db, dispatcher=dispatcher, clock=clock) as scheduler:
            await scheduler.tick()


async def stored_steps(db: Database) -> dict[int, list[tuple[str, str, dt.date, str]]]:
    """Return each lead's steps: channel, kind, the UTC day it fell due, and its status."""
    async with db.sessions() as session:
        rows = await session.scalars(
            select(SequenceStepRow).order_by(SequenceStepRow.lead_id, SequenceStepRow.step)
        )
        steps: dict[int, list[tuple[str, str, dt.date, str]]] = {}
        for row in rows:
            steps.setdefault(row.lead_id, []).append(
                (row.channel, row.kind, utc(row.due_at).date(), row.status)
            )
    return steps


def utc(moment: dt.datetime) -> dt.datetime:
    """Return the moment in UTC (SQLite hands back naive datetimes stored as UTC)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def settings_for(offline_settings: Callable[..., Settings]) -> Settings:
    return offline_settings(**OPEN_LIMITS, default_country="US", default_timezone="UTC")


async def test_a_segments_leads_follow_its_own_sequence_and_the_others_the_campaigns(
    database_url: str, offline_settings: Callable[..., Settings]
) -> None:
    settings = settings_for(offline_settings)
    provider = RecordingProvider()
    async with await Database.connect(database_url, migrate=True) as db:
        ids = await store_leads(db, leads())
        async with db.sessions.begin() as session:
            row = await store_spec(session, campaign())
            campaign_id, spec = row.id, spec_of(row)
        sunday = dt.datetime.combine(MONDAY, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(hours=6)
        report, days = await enroll_stored_week(
            db, settings, spec, campaign_id, now=sunday, week_start=MONDAY, lead_ids=ids
        )
        # Planned again, the stored first touches bring their own sequences' later steps.
        again = await plan_stored_week(
            db, settings, spec, campaign_id, today=sunday.date(), week_start=MONDAY
        )
        await tick_weekdays(db, settings, provider, days=28)
        steps = await stored_steps(db)
        views = {i: await lead_sequence(db, campaign_id, i) for i in ids}
        async with db.sessions() as session:
            followed = dict(
                (await session.execute(select(SequenceEnrollmentRow.lead_id,
                                              SequenceEnrollmentRow.sequence_preset))).all()
            )  # fmt: skip
            sent = {
                (m.lead_id, m.sequence_step + 1): utc(m.sent_at).date()
                for m in await session.scalars(select(MessageRow))
                if m.sent_at is not None
            }

    touches = {t.lead_id: (t.segment, t.day) for d in report.plan.days for t in d.first_touches}
    assert sorted(touches) == sorted(ids) and sum(len(d.enrolled) for d in days) == 4
    platform = [ids[0], ids[2]]
    assert {touches[i][0] for i in platform} == {"platform"}
    assert {touches[i][0] for i in (ids[1], ids[3])} == {"unsegmented"}
    assert followed == {ids[0]: "5-step", ids[1]: None, ids[2]: "5-step", ids[3]: None}
    for lead_id in ids:
        own = lead_id in platform
        want = expected(touches[lead_id][1], FIVE_STEP if own else THREE_STEP)
        got = steps[lead_id]
        assert [(c, k, d) for c, k, d, _ in got] == want, lead_id
        # Every email went out on its day; the LinkedIn and call steps were skipped (no
        # profile, no phone) and the sequence went on; the whole sequence is finished.
        for number, (channel, _, day, status) in enumerate(got, start=1):
            assert status == ("sent" if channel == "email" else "skipped"), (lead_id, number)
            if channel == "email":
                assert sent[lead_id, number] == day
        assert views[lead_id].status == "finished"
        assert views[lead_id].total_steps == (5 if own else 3)
    # The plan placed each lead's follow-ups at its sequence's delays, and so does the week
    # planned again over the stored enrolments.
    week_end = MONDAY + dt.timedelta(days=7)
    for plan in (report.plan, again.plan):
        planned = {
            (s.lead_id, s.step): (s.channel, s.kind, s.day)
            for d in plan.days
            for s in [*d.follow_ups, *d.tasks]
            if s.step > 1
        }
        want = {
            (lead_id, number): step
            for lead_id in ids
            for number, step in enumerate(
                expected(touches[lead_id][1], FIVE_STEP if lead_id in platform else THREE_STEP), 1
            )
            if number > 1 and step[2] < week_end
        }
        assert planned == want
    assert len(provider.sent) == 2 * 3 + 2 * 3  # three emails each way


async def test_an_unknown_stored_preset_falls_back_to_the_campaigns_sequence(
    database_url: str,
    offline_settings: Callable[..., Settings],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = settings_for(offline_settings)
    provider = RecordingProvider()
    async with await Database.connect(database_url, migrate=True) as db:
        ids = await store_leads(db, leads()[:1])
        async with db.sessions.begin() as session:
            campaign_id = (await store_spec(session, campaign())).id
        monday = dt.datetime.combine(MONDAY, dt.time(0), tzinfo=dt.UTC)
        with pytest.raises(ValueError, match="'9-step' is no preset"):
            await enroll(db, settings, campaign_id, ids, now=monday, preset="9-step")
        await enroll(db, settings, campaign_id, ids, now=monday, preset="5-step")
        async with db.sessions.begin() as session:  # the row edited by hand
            await session.execute(update(SequenceEnrollmentRow).values(sequence_preset="9-step"))
        with caplog.at_level(logging.WARNING, logger="outreach.sequences"):
            await tick_weekdays(db, settings, provider, days=5)
        steps = await stored_steps(db)

    # Monday's first touch, then the 3-step's soft nudge by email three business days on (the
    # 5-step's would be a LinkedIn step the next day), and its breakup five on.
    assert steps[ids[0]] == [
        ("email", "first_touch", MONDAY, "sent"),
        ("email", "soft_nudge", MONDAY + dt.timedelta(days=3), "sent"),
        ("email", "breakup", MONDAY + dt.timedelta(days=10), "scheduled"),
    ]
    assert len(provider.sent) == 2
    assert "follows an unknown sequence '9-step'" in caplog.text
