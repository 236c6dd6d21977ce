"""The scheduler follows a weekly plan over two mailboxes: each lead is written to from the
mailbox the plan gave it, each mailbox sends at most its cap a day (recomputed at send time,
so a lead enrolled past the plan waits for the next day), a follow-up goes out from the mailbox
and on the thread of its first touch, and a lead the plan gave no mailbox goes out from the
campaign's sender. The real path: the week planned over stored leads and enrolled as the API
and `outreach sequence enroll-week` do, then the scheduler ticked through Monday and Tuesday
with the offline writer, research on the demo sites, and a recording email provider."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import yaml
from sqlalchemy import select

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import spec_of, store_spec
from agent.delivery.dispatcher import Dispatcher
from agent.leads.store import store_leads
from agent.planning.stored_plan import enroll_stored_week, plan_stored_week
from agent.sequences.operations import enroll
from agent.sequences.scheduler import open_scheduler
from agent.settings import Settings
from graphs.lead import Lead
from storage.database import Database
from storage.models import MessageRow
from tests.conftest import EXAMPLES, OPEN_LIMITS
from tests.demo_people import person
from tools.delivery.email_message import OutgoingEmail

MONDAY = dt.date(2027, 1, 11)  # no US holiday that week
TUESDAY = MONDAY + dt.timedelta(days=1)
CAPS = {"ann@seller.example": 3, "bob@seller.example": 5}
CAMPAIGN_SENDER = "alex@brightpath.example"
ALL_DAY = "00:00-24:00"
DEMO = ("maya", "daniel", "jonas")  # researched well enough to send unreviewed


class RecordingProvider:
    """An email provider that takes everything and keeps what it was handed."""

    name = "fake"

    def __init__(self) -> None:
        self.sent: list[tuple[dt.date, OutgoingEmail]] = []
        self.day = MONDAY

    async def send(self, message: OutgoingEmail) -> str:
        self.sent.append((self.day, message))
        return f"fake-{len(self.sent)}"

    async def aclose(self) -> None:
        return None


def campaign() -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data.update(target_audience=data.pop("target"), policy={"auto_send": True})
    data["sequence"] = [
        {"channel": "email", "kind": "first_touch", "window": ALL_DAY},
        {"channel": "email", "kind": "soft_nudge", "delay_business_days": 1, "window": ALL_DAY},
    ]
    data["mailboxes"] = [{"address": a, "daily_cap": c} for a, c in CAPS.items()]
    return CampaignSpec.model_validate(data)


def leads(count: int) -> list[Lead]:
    """Demo leads researched on the demo sites, each at a company (email domain) of its own, so
    accounts do not hold the plan back."""
    return [
        person(DEMO[n % len(DEMO)], n).model_copy(update={"email": f"lead{n}@company{n}.example"})
        for n in range(count)
    ]


def stopped_clock(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that always says `moment`."""
    return lambda: moment


async def tick_through(
    db: Database, settings: Settings, provider: RecordingProvider, day: dt.date
) -> None:
    """Tick the scheduler over one day: morning, noon and evening."""
    for hour in (8, 12, 20):
        clock = stopped_clock(dt.datetime.combine(day, dt.time(hour), dt.UTC))
        provider.day = day
        dispatcher = Dispatcher(db, settings, provider, clock=clock)
        async with open_scheduler(settings, db, dispatcher=dispatcher, clock=clock) as scheduler:
            for _ in range(2):  # write and send, then send what the advance made due
                await scheduler.tick()


async def test_each_lead_goes_out_from_its_planned_mailbox_within_its_cap(
    database_url: str, offline_settings: Callable[..., Settings]
) -> None:
    settings = offline_settings(
        **OPEN_LIMITS, default_country="US", default_timezone="UTC",
        sender_email=CAMPAIGN_SENDER, send_daily_cap=1,
    )  # fmt: skip
    provider = RecordingProvider()
    async with await Database.connect(database_url, migrate=True) as db:
        ids = await store_leads(db, leads(42))
        async with db.sessions.begin() as session:
            row = await store_spec(session, campaign())
            campaign_id, spec = row.id, spec_of(row)
        sunday = dt.datetime.combine(MONDAY, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(hours=6)
        report, days = await enroll_stored_week(
            db, settings, spec, campaign_id, now=sunday, week_start=MONDAY, lead_ids=ids[:40]
        )
        # One lead more for Ann on Monday than her cap, past the plan; one the plan never saw.
        extra, unplanned = ids[40], ids[41]
        monday = dt.datetime.combine(MONDAY, dt.time(0), tzinfo=dt.UTC)
        await enroll(db, settings, campaign_id, [extra], now=monday, mailbox="ann@seller.example")
        await enroll(db, settings, campaign_id, [unplanned], now=monday)
        # Planned again, the enrolled leads' steps hold room in the mailbox they send from.
        again = await plan_stored_week(
            db, settings, spec, campaign_id, today=sunday.date(), week_start=MONDAY
        )
        await tick_through(db, settings, provider, MONDAY)
        await tick_through(db, settings, provider, TUESDAY)
        async with db.sessions() as session:
            stored = list(await session.scalars(select(MessageRow)))

    planned = {
        touch.lead_id: touch.mailbox
        for plan_day in report.plan.days
        for touch in plan_day.first_touches
        if touch.lead_id is not None
    }
    on_monday = [
        t.lead_id
        for d in report.plan.days
        for t in d.first_touches
        if d.day == MONDAY and t.lead_id is not None
    ]
    assert Counter(planned[i] for i in on_monday) == Counter(CAPS)  # 3 for Ann, 5 for Bob
    assert sum(len(d.enrolled) for d in days) == len(planned)
    held = {
        step.lead_id: step.mailbox
        for plan_day in again.plan.days
        for step in plan_day.follow_ups
        if step.source == "enrolled" and step.step == 1 and step.lead_id in planned
    }
    # (The two leads enrolled past the plan push two of Friday's out of the week.)
    assert held.items() <= planned.items() and len(held) == len(planned) - 2

    by_lead = {m.lead_id: m for m in stored if m.sequence_step == 0}
    lead_of = {m.email_message_id: m.lead_id for m in stored if m.email_message_id}
    sends = Counter((email.sender.email, day) for day, email in provider.sent)
    # Each mailbox sends at most its cap a day, and both days fill it: Ann had one lead more
    # than her cap on Monday, so one waited, and on Tuesday it met her three follow-ups. The
    # campaign's sender keeps the server's cap of one.
    assert sends == {
        ("ann@seller.example", MONDAY): 3, ("bob@seller.example", MONDAY): 5,
        (CAMPAIGN_SENDER, MONDAY): 1,
        ("ann@seller.example", TUESDAY): 3, ("bob@seller.example", TUESDAY): 5,
        (CAMPAIGN_SENDER, TUESDAY): 1,
    }  # fmt: skip
    first_sent = {
        lead_of[email.message_id_header]: (day, email.sender.email)
        for day, email in provider.sent
        if "In-Reply-To" not in email.headers
    }
    for lead_id in on_monday:  # Monday's first touches, each from its planned mailbox
        assert first_sent[lead_id][1] == planned[lead_id], lead_id
    assert first_sent[unplanned] == (MONDAY, CAMPAIGN_SENDER)
    anns = [*(i for i in on_monday if planned[i] == "ann@seller.example"), extra]
    assert sorted(first_sent[i] for i in anns) == [
        *[(MONDAY, "ann@seller.example")] * 3,
        (TUESDAY, "ann@seller.example"),
    ]
    # Follow-ups: on Tuesday, from the first touch's mailbox, on its thread.
    follow_ups = [(day, e) for day, e in provider.sent if "In-Reply-To" in e.headers]
    assert len(follow_ups) == 2 + 5 + 1  # Ann's room after the first touch that waited
    for day, email in follow_ups:
        lead_id = lead_of[email.message_id_header]
        first = by_lead[lead_id]
        assert (
            (day, email.sender.email)
            == (TUESDAY, first_sent[lead_id][1])
            == (
                TUESDAY,
                first.mailbox,
            )
        )
        assert email.headers["In-Reply-To"] == first.email_message_id
