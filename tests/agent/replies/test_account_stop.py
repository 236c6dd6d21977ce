"""An interested reply at an account stops the campaign's sequences for the account's other
contacts; nothing else stops: other companies, free-mail contacts, other campaigns, what was
already sent, an opt-out, and any reply that is not interested. Replies come in through the
inbound path the SendGrid webhook uses; the scheduler then ticks with a recording provider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.delivery.dispatcher import Dispatcher
from agent.replies.inbound import InboundOutcome, InboundReply, record_inbound_reply
from agent.sequences.scheduler import open_scheduler
from agent.settings import Settings
from storage.database import Database
from storage.models import EventRow, LeadRow, MessageRow
from storage.runs import start_run
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow, TaskRow
from tests.conftest import EXAMPLES, OPEN_LIMITS
from tools.delivery.email_message import OutgoingEmail

NOW = dt.datetime(2027, 1, 12, 10, 0, tzinfo=dt.UTC)  # a Tuesday, no US holiday
ALL_DAY = "00:00-24:00"
TONE = "professional"
INTERESTED = "Yes, interested - can you send more details?"


class RecordingProvider:
    """An email provider that takes everything and remembers who it was for."""

    name = "fake"

    def __init__(self) -> None:
        self.to: list[str] = []

    async def send(self, message: OutgoingEmail) -> str:
        self.to.append(message.to)
        return f"fake-{len(self.to)}"

    async def aclose(self) -> None:
        return None


@dataclass
class Seeded:
    """The stored campaigns and, by address, each lead's id and first email's Message-ID."""

    campaign_id: int
    other_campaign_id: int
    leads: dict[str, int] = field(default_factory=dict)
    first_headers: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def settings(offline_settings: Callable[..., Settings]) -> Settings:
    return offline_settings(
        **OPEN_LIMITS,
        default_country="US",
        default_timezone="UTC",
        sender_email="alex@brightpath.example",
    )


def spec(name: str, **extra: Any) -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data.update(name=name, target_audience=data.pop("target"), policy={"auto_send": True})
    data["sequence"] = [
        {"channel": "email", "kind": "first_touch", "window": ALL_DAY},
        {"channel": "email", "kind": "soft_nudge", "delay_business_days": 1, "window": ALL_DAY},
    ]
    return CampaignSpec.model_validate({**data, **extra})


def message(cid: int, lead_id: int, number: int, **fields: Any) -> MessageRow:
    variant = {"tone": TONE, "subject": "CI times", "body": "Hi, a note on CI.", "quality": {}}
    return MessageRow(
        campaign_id=cid, lead_id=lead_id, run_id=f"seq-{cid}-{number}", sequence_step=number - 1,
        thread_id=f"seq-{cid}-{number}:lead:{lead_id}", variants=[variant],
        selected_variant=TONE, reason="", **fields,
    )  # fmt: skip


def step(enrolment: SequenceEnrollmentRow, number: int, status: str, **fields: Any) -> Any:
    return SequenceStepRow(
        enrollment_id=enrolment.id, campaign_id=enrolment.campaign_id,
        lead_id=enrolment.lead_id, step=number, channel=fields.pop("channel", "email"),
        kind="first_touch" if number == 1 else "soft_nudge", status=status, attempts=1,
        due_at=NOW - dt.timedelta(days=2 - number, hours=1), advanced=status == "sent",
        **fields,
    )  # fmt: skip


async def enrol(
    session: Any, cid: int, lead: LeadRow, second: str, *, first_sent: bool = True
) -> None:
    """Lead's step 1 sent three days ago; step 2 as `second` says: an approved email waiting
    for the dispatcher, a step due now, a person's task, or none (the lead opted out)."""
    opted_out = second == "opted_out"
    enrolment = SequenceEnrollmentRow(
        campaign_id=cid, lead_id=lead.id, status="stopped" if opted_out else "active",
        stop_reason="the lead unsubscribed (message 0)" if opted_out else None,
        timezone="UTC", country="US",
    )  # fmt: skip
    header = f"<first-{cid}-{lead.id}@x>"
    first = message(cid, lead.id, 1, status="sent", email_message_id=header)
    first.sent_at = NOW - dt.timedelta(days=3)
    session.add_all([enrolment, first])
    await session.flush()
    steps = [step(enrolment, 1, "sent", message_id=first.id, finished_at=first.sent_at)]
    if second == "waiting":
        waiting = message(cid, lead.id, 2, status="approved")
        session.add(waiting)
        await session.flush()
        steps.append(step(enrolment, 2, "waiting", message_id=waiting.id))
    elif second in ("scheduled", "task"):
        channel = "linkedin_message" if second == "task" else "email"
        steps.append(step(enrolment, 2, second, channel=channel))
    session.add_all(steps)
    await session.flush()
    if second == "task":
        session.add(
            TaskRow(
                campaign_id=cid,
                lead_id=lead.id,
                step_id=steps[1].id,
                kind="linkedin_message",
                title="Message on LinkedIn",
                due_at=NOW,
            )
        )


# address → (lead status, step 2 in the first campaign)
PEOPLE = {
    "maya@northwind.example": ("sent", "waiting"),  # she replies
    "ben@northwind.example": ("sent", "waiting"),
    "cara@northwind.example": ("sent", "scheduled"),
    "hal@northwind.example": ("sent", "task"),
    "dan@northwind.example": ("unsubscribed", "opted_out"),
    "eve@otherco.example": ("sent", "waiting"),
    "finn@gmail.com": ("sent", "waiting"),
    "gia@gmail.com": ("sent", "waiting"),
}


async def seed(db: Database, *, stop_account: bool = True) -> Seeded:
    async with db.sessions.begin() as session:
        first = await store_spec(
            session, spec("northwind push", stop_account_on_positive_reply=stop_account)
        )
        other = await store_spec(session, spec("another push"))
        for campaign in (first, other):
            campaign.status = "active"
            for number in (1, 2):
                await start_run(
                    session, run_id=f"seq-{campaign.id}-{number}", campaign_id=campaign.id,
                    total=0, options={},
                )  # fmt: skip
        seeded = Seeded(first.id, other.id)
        for address, (status, second) in PEOPLE.items():
            lead = LeadRow(
                name=address.split("@")[0].title(), email=address, email_normalized=address,
                company=address.split("@")[1], status=status, extra={},
            )  # fmt: skip
            session.add(lead)
            await session.flush()
            seeded.leads[address] = lead.id
            seeded.first_headers[address] = f"<first-{first.id}-{lead.id}@x>"
            await enrol(session, first.id, lead, second)
        # Ben is also in another campaign, whose email waits for the dispatcher.
        ben = await session.get(LeadRow, seeded.leads["ben@northwind.example"])
        assert ben is not None
        await enrol(session, other.id, ben, "waiting")
    return seeded


async def reply(
    db: Database, settings: Settings, seeded: Seeded, sender: str, text: str, n: int = 1
) -> InboundOutcome:
    headers = Message()
    headers["In-Reply-To"] = seeded.first_headers[sender]
    headers["Message-ID"] = f"<reply-{n}-{sender}>"
    inbound = InboundReply(
        headers, text, sender, "replies@brightpath.example", "Re: CI times", raw=text,
        occurred_at=NOW,
    )  # fmt: skip
    return await record_inbound_reply(db, inbound, settings=settings)


async def tick(db: Database, settings: Settings) -> list[str]:
    """Run the scheduler once at NOW; return who the provider was asked to email."""
    provider = RecordingProvider()
    dispatcher = Dispatcher(db, settings, provider, clock=lambda: NOW)
    async with open_scheduler(settings, db, dispatcher=dispatcher, clock=lambda: NOW) as sched:
        await sched.tick()
    return sorted(provider.to)


async def enrolments(db: Database, campaign_id: int) -> dict[int, SequenceEnrollmentRow]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(SequenceEnrollmentRow).where(SequenceEnrollmentRow.campaign_id == campaign_id)
        )
        return {row.lead_id: row for row in rows}


async def test_an_interested_reply_stops_the_accounts_other_contacts_once(
    database_url: str, settings: Settings
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        seeded = await seed(db)
        ids, cid = seeded.leads, seeded.campaign_id
        outcome = await reply(db, settings, seeded, "maya@northwind.example", INTERESTED)
        again = await reply(db, settings, seeded, "maya@northwind.example", INTERESTED)
        gmail = await reply(db, settings, seeded, "finn@gmail.com", INTERESTED)
        sent = await tick(db, settings)
        stopped = await enrolments(db, seeded.campaign_id)
        elsewhere = await enrolments(db, seeded.other_campaign_id)
        async with db.sessions() as session:
            steps = {
                (row.lead_id, row.step): row
                for row in await session.scalars(
                    select(SequenceStepRow).where(SequenceStepRow.campaign_id == seeded.campaign_id)
                )
            }
            messages = list(await session.scalars(select(MessageRow)))
            task = await session.scalar(select(TaskRow).where(TaskRow.step_id.is_not(None)))
            dan = await session.get(LeadRow, ids["dan@northwind.example"])
            events = list(await session.scalars(select(EventRow).where(EventRow.type == "replied")))

    assert outcome.recorded == "replied" and again.recorded == "duplicate"
    said = [a for a in outcome.actions if "colleague" in a]
    assert said == [
        "3 colleague(s) at northwind.example stopped in this campaign: their open steps, step "
        "tasks and unsent messages end, since a person takes the account over"
    ]
    assert not [a for a in gmail.actions if "colleague" in a]  # free mail is no account
    # Maya and Finn replied; their colleagues at Northwind hear nothing more; Eve (another
    # company), Gia (free mail) and Ben in the other campaign get their next email.
    assert sent == ["ben@northwind.example", "eve@otherco.example", "gia@gmail.com"]
    reason = (
        "stopped: a colleague at northwind.example (maya@northwind.example) replied with "
        f"interest (message {steps[ids['maya@northwind.example'], 1].message_id})"
    )
    for name in ("ben", "cara", "hal"):
        lead_id = ids[f"{name}@northwind.example"]
        assert (stopped[lead_id].status, stopped[lead_id].stop_reason) == ("stopped", reason)
        assert (steps[lead_id, 2].status, steps[lead_id, 2].detail) == ("stopped", reason)
        assert steps[lead_id, 1].status == "sent"
    assert task is not None and task.status == "skipped" and task.note == f"not needed: {reason}"
    ben = ids["ben@northwind.example"]
    bens = {m.sequence_step: m for m in messages if (m.campaign_id, m.lead_id) == (cid, ben)}
    assert (bens[0].status, bens[1].status, bens[1].reason) == ("sent", "stopped", reason)
    assert elsewhere[ben].status == "finished"  # his other campaign ran to its end
    # Dan opted out before: he stays opted out, for the reason he gave.
    assert dan is not None and dan.status == "unsubscribed"
    assert stopped[dan.id].stop_reason == "the lead unsubscribed (message 0)"
    # The reply's event says what was done, once.
    maya_events = [e for e in events if e.payload.get("from") == "maya@northwind.example"]
    assert len(maya_events) == 1 and said[0] in maya_events[0].payload["actions"]


@pytest.mark.parametrize(
    "text",
    [
        "I am out of the office until 20 January 2027 with limited access to email.",
        "Not interested, thanks.",
    ],
    ids=["out-of-office", "not-interested"],
)
async def test_a_reply_that_is_not_interested_leaves_colleagues_going(
    database_url: str, settings: Settings, text: str
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        seeded = await seed(db)
        outcome = await reply(db, settings, seeded, "maya@northwind.example", text)
        sent = await tick(db, settings)
        going = await enrolments(db, seeded.campaign_id)

    assert outcome.recorded in ("replied", "auto_reply")
    assert not [a for a in outcome.actions if "colleague" in a]
    assert "ben@northwind.example" in sent and "eve@otherco.example" in sent
    for name in ("ben", "cara", "hal"):  # going on, or finished after their last step
        assert going[seeded.leads[f"{name}@northwind.example"]].status in ("active", "finished")


async def test_a_campaign_can_turn_the_account_stop_off(
    database_url: str, settings: Settings
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        seeded = await seed(db, stop_account=False)
        outcome = await reply(db, settings, seeded, "maya@northwind.example", INTERESTED)
        going = await enrolments(db, seeded.campaign_id)

    assert outcome.recorded == "replied"
    assert not [a for a in outcome.actions if "colleague" in a]
    assert going[seeded.leads["ben@northwind.example"]].status == "active"
