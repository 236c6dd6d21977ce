"""A reply and the sequence scheduler writing one lead at the same moment, on PostgreSQL.

Each writer has its own engine, as two processes would (`outreach serve` taking the inbound
webhook, `outreach worker` running the sequence): a write lock only serialises one process.
Taking the lead's rows in opposite orders, the two waited on each other and PostgreSQL aborted
one (DeadlockDetectedError); storage/lock_order.py is the one order they now share. Each round
races a fresh lead's reply against the scheduler's next write or send for that lead, with a few
milliseconds of jitter where each holds its first locks, so every interleaving comes up.
Whoever wins, no writer fails, the lead's remaining steps end stopped, and nothing is sent that
was decided after the reply stopped the sequence.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import agent.delivery.dispatcher as dispatcher_module
import storage.engagement as engagement_module
from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.delivery.dispatcher import Dispatcher
from agent.replies.inbound import InboundReply, record_inbound_reply
from agent.sequences.settle import StepSettler
from agent.sequences.step_events import StepRecorder
from agent.settings import Settings
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow
from storage.outcomes import save_outcome
from storage.runs import start_run
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.sequences import locked_step
from tests.conftest import EXAMPLES, OPEN_LIMITS
from tools.delivery.email_message import OutgoingEmail
from tools.delivery.sms import OutgoingSms

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

NOW = dt.datetime(2027, 1, 12, 10, 0, tzinfo=dt.UTC)  # a Tuesday, and no US holiday
ROUNDS = int(os.environ.get("SEQUENCE_RACE_ROUNDS", "30"))
"""Rounds per writer pair (SEQUENCE_RACE_ROUNDS=300 for a longer soak)."""
JITTER_S = 0.004
START_SPREAD_S = 0.03
"""How far apart the two writers start: up to about as long as the scheduler's work takes."""
ALL_DAY = "00:00-24:00"
TONE = "professional"
WORKER = "scheduler-b"
ROUND_TIMEOUT_S = 30.0


@dataclass
class Race:
    """Two "processes" over one database, the campaign they work on, and what happened.

    `decided` is noted in the scheduler's transaction under the lock its send or write is
    decided under (the step's or the message's), `stopped` in the reply's once it stopped the
    sequence: both hold those rows until they commit, so the notes' order is theirs."""

    reply_db: Database
    scheduler_db: Database
    settings: Settings
    campaign_id: int
    channel: str
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    now: dt.datetime = NOW
    """The scheduler's clock: a few minutes on each round (texts from one number are paced)."""
    ticks: itertools.count[int] = field(default_factory=itertools.count)
    decided: dict[int, int] = field(default_factory=dict)
    """Message id → when the scheduler decided to send (or wrote) it."""
    stopped: dict[int, int] = field(default_factory=dict)
    """Lead id → when the reply stopped the lead's sequence."""
    sent: list[int] = field(default_factory=list)
    """Message ids handed to a provider, in order."""

    async def jitter(self, most: float = JITTER_S) -> None:
        await asyncio.sleep(self.rng.random() * most)


class Provider:
    """An email and SMS provider that takes everything, answering after a moment."""

    name = "fake"

    def __init__(self, race: Race) -> None:
        self.race = race

    async def send(self, message: OutgoingEmail | OutgoingSms) -> str:
        self.race.sent.append(int(message.custom_args["outreach_message_id"]))
        await self.race.jitter()
        return f"SM{len(self.race.sent):032x}"

    async def aclose(self) -> None:
        return None


@dataclass(frozen=True)
class Seeded:
    """One lead whose first email went out and whose second step is in flight."""

    lead_id: int
    email: str
    first_header: str
    step_id: int
    message_id: int | None


def variant(channel: str) -> dict[str, Any]:
    subject = "Northwind Robotics and CI" if channel == "email" else None
    body = "Hi, a quick follow-up on CI times. Worth a chat this week?"
    return {"tone": TONE, "subject": subject, "body": body, "quality": {"passed": True}}


def campaign_spec(channel: str) -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data["policy"] = {"auto_send": True}
    data["sequence"] = [
        {"channel": "email", "kind": "first_touch", "window": ALL_DAY},
        {"channel": channel, "kind": "soft_nudge", "delay_business_days": 1, "window": ALL_DAY},
    ]
    return CampaignSpec.model_validate(data)


@pytest.fixture
async def race(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Race]:
    channel = getattr(request, "param", "email")
    settings = Settings(
        database_url=database_url, data_dir=tmp_path / "data", default_country="US",
        default_timezone="UTC", _env_file=None, **OPEN_LIMITS,  # type: ignore[call-arg]
    )  # fmt: skip
    setup = await Database.connect(database_url, migrate=True)
    async with setup, setup.sessions.begin() as session:
        campaign = await store_spec(session, campaign_spec(channel))
        campaign.status = "active"
        for step in (1, 2):
            run_id = f"seq-{campaign.id}-{step}"
            await start_run(session, run_id=run_id, campaign_id=campaign.id, total=0, options={})
        campaign_id = campaign.id
    async with (
        await Database.connect(database_url) as reply_db,
        await Database.connect(database_url) as scheduler_db,
    ):
        yield Race(reply_db, scheduler_db, settings, campaign_id, channel)


async def seed(race: Race, n: int, *, second: str) -> Seeded:
    """Store lead n: step 1 sent, step 2 `second` (waiting on an approved message, or claimed
    by the scheduler before its message is written)."""
    cid, email, header = race.campaign_id, f"lead{n}@northwind.example", f"<first-{n}@b.example>"
    async with race.scheduler_db.sessions.begin() as session:
        lead = LeadRow(
            name=f"Lead {n}", email=email, email_normalized=email, company="Northwind Robotics",
            phone=f"+1202555{n:04d}", status="sent", extra={},
        )  # fmt: skip
        session.add(lead)
        await session.flush()
        enrollment = SequenceEnrollmentRow(campaign_id=cid, lead_id=lead.id, status="active")
        enrollment.timezone, enrollment.country = "UTC", "US"
        first = message_row(race, lead.id, 1, "email", status="sent", email_message_id=header)
        first.sent_at = NOW - dt.timedelta(days=3)
        waiting = message_row(race, lead.id, 2, race.channel, status="approved")
        session.add_all([enrollment, first, *([waiting] if second == "waiting" else [])])
        await session.flush()
        second_id = waiting.id if second == "waiting" else None
        steps = [step_row(enrollment, 1, "email", "sent", first.id)]
        steps.append(step_row(enrollment, 2, race.channel, second, second_id))
        if second == "claimed":
            steps[1].claimed_by = WORKER
            steps[1].claim_expires_at = race.now + dt.timedelta(hours=1)
        session.add_all(steps)
        await session.flush()
        return Seeded(lead.id, email, header, steps[1].id, second_id)


def message_row(race: Race, lead_id: int, number: int, channel: str, **fields: Any) -> MessageRow:
    cid = race.campaign_id
    return MessageRow(
        campaign_id=cid, lead_id=lead_id, run_id=f"seq-{cid}-{number}", sequence_step=number - 1,
        thread_id=f"seq-{cid}-{number}:lead:{lead_id}", variants=[variant(channel)],
        selected_variant=TONE, reason="", **fields,
    )  # fmt: skip


def step_row(
    enrollment: SequenceEnrollmentRow, number: int, channel: str, status: str, message: int | None
) -> SequenceStepRow:
    return SequenceStepRow(
        enrollment_id=enrollment.id, campaign_id=enrollment.campaign_id, status=status,
        lead_id=enrollment.lead_id, step=number, channel=channel,
        kind="first_touch" if number == 1 else "soft_nudge",
        due_at=NOW - dt.timedelta(days=4 - number), message_id=message, attempts=1,
        finished_at=NOW - dt.timedelta(days=3) if status == "sent" else None,
        advanced=status == "sent",
    )  # fmt: skip


async def reply_to(race: Race, lead: Seeded, n: int) -> None:
    """The lead answers the first email (the SendGrid inbound webhook's path)."""
    await race.jitter(START_SPREAD_S)
    headers = Message()
    headers["In-Reply-To"] = lead.first_header
    headers["Message-ID"] = f"<reply-{n}@northwind.example>"
    reply = InboundReply(
        headers, "Sounds good, Tuesday works.", lead.email, "replies@brightpath.example",
        "Re: Northwind Robotics and CI", raw=f"reply {n}", occurred_at=race.now,
    )  # fmt: skip
    outcome = await record_inbound_reply(race.reply_db, reply, settings=race.settings)
    assert outcome.recorded == "replied", outcome


def watch_the_reply(race: Race, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jitter the reply between writing the lead and stopping its messages and steps; note
    when it stopped the sequence."""
    stop_unsent = engagement_module.stop_unsent
    stop_lead_sequences = engagement_module.stop_lead_sequences

    async def slow_stop_unsent(session: Any, **kwargs: Any) -> None:
        await race.jitter()
        await stop_unsent(session, **kwargs)

    async def noted_stop(session: Any, **kwargs: Any) -> int:
        stopped = await stop_lead_sequences(session, **kwargs)
        race.stopped[kwargs["lead_id"]] = next(race.ticks)
        return stopped

    monkeypatch.setattr(engagement_module, "stop_unsent", slow_stop_unsent)
    monkeypatch.setattr(engagement_module, "stop_lead_sequences", noted_stop)


def watch_the_settler(race: Race, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jitter the settler while it holds the step; note the texts it decides to send."""
    compose = StepSettler._compose_sms

    async def noted_compose(
        self: StepSettler, session: Any, step: Any, message: Any, *rest: Any
    ) -> Any:
        await race.jitter()
        pending = await compose(self, session, step, message, *rest)
        if pending is not None:
            race.decided[message.id] = next(race.ticks)
        return pending

    monkeypatch.setattr(StepSettler, "_compose_sms", noted_compose)


def watch_the_dispatcher(race: Race, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jitter the dispatcher while it holds the message; note the emails it goes on to send."""
    step_sending = dispatcher_module.step_sending

    async def noted_step_sending(session: Any, message: MessageRow, *rest: Any) -> Any:
        await race.jitter()
        rules = await step_sending(session, message, *rest)
        race.decided[message.id] = next(race.ticks)
        return rules

    count_send = dispatcher_module.count_send

    async def slow_count_send(session: Any, message: MessageRow, tone: str) -> None:
        await race.jitter()  # the send's record holds the message, not the counters yet
        await count_send(session, message, tone)

    monkeypatch.setattr(dispatcher_module, "step_sending", noted_step_sending)
    monkeypatch.setattr(dispatcher_module, "count_send", slow_count_send)


def settler(race: Race) -> StepSettler:
    return StepSettler(
        race.scheduler_db, race.settings, Provider(race), StepRecorder(), lambda: race.now
    )


def dispatcher(race: Race) -> Dispatcher:
    return Dispatcher(race.scheduler_db, race.settings, Provider(race), clock=lambda: race.now)


async def write_step(race: Race, lead: Seeded) -> None:
    """What StepRunner._write commits once the pipeline wrote the step: under the claimed step's
    lock, the outcome (the lead, the message) and the step waiting on its message."""
    cid = race.campaign_id
    record: dict[str, Any] = {
        "lead": {"name": f"Lead {lead.lead_id}", "email": lead.email, "company": "Northwind"},
        "lead_id": lead.lead_id, "thread_id": f"seq-{cid}-2:lead:{lead.lead_id}",
        "decision": "approved", "reason": "the critic passed it",
        "variants": [variant(race.channel)], "selected_variant": TONE,
        "errors": [], "facts": [], "analysis": None, "usage": {},
    }  # fmt: skip
    await race.jitter()
    async with race.scheduler_db.write_lock, race.scheduler_db.sessions.begin() as session:
        step = await locked_step(session, lead.step_id, WORKER)
        if step is None:
            return  # the reply stopped it first
        await race.jitter()
        campaign = await session.get(CampaignRow, cid)
        assert campaign is not None
        message = await save_outcome(
            session, run_id=f"seq-{cid}-2", campaign=campaign, record=record, step=1
        )
        assert message is not None
        step.message_id, step.status = message.id, "waiting"
        step.claimed_by = step.claim_expires_at = None
        race.decided[message.id] = next(race.ticks)


async def settle_step(race: Race, lead: Seeded) -> None:
    await race.jitter()
    await settler(race).settle(lead.step_id)


async def dispatch_message(race: Race, lead: Seeded) -> None:
    assert lead.message_id is not None
    await race.jitter()
    await dispatcher(race).dispatch_message(lead.message_id)


async def run_rounds(
    race: Race, scheduler: Callable[[Race, Seeded], Awaitable[None]], *, second: str
) -> None:
    """Race ROUNDS leads; fail with every round a writer failed in, then check the rest."""
    failures: list[str] = []
    for n in range(ROUNDS):
        race.now = NOW + dt.timedelta(minutes=5 * n)
        lead = await seed(race, n, second=second)
        results = await asyncio.wait_for(
            asyncio.gather(reply_to(race, lead, n), scheduler(race, lead), return_exceptions=True),
            ROUND_TIMEOUT_S,
        )
        errors = [
            f"round {n}: the {writer} failed: {type(result).__name__}: {result}"
            for writer, result in zip(("reply", "scheduler"), results, strict=True)
            if isinstance(result, BaseException)
        ]
        failures += errors
        if not errors:
            await check_round(race, lead)
    assert not failures, f"{len(failures)} of {ROUNDS} rounds failed:\n" + "\n".join(failures)
    # Whatever the scheduler does next, nothing more goes out to anyone who replied.
    sent = list(race.sent)
    await settler(race).settle_all()
    await dispatcher(race).dispatch()
    assert race.sent == sent


async def rows_of(session: AsyncSession, model: Any, lead: Seeded) -> list[Any]:
    return list(await session.scalars(select(model).where(model.lead_id == lead.lead_id)))


async def check_round(race: Race, lead: Seeded) -> None:
    async with race.scheduler_db.sessions() as session:
        row = await session.get(LeadRow, lead.lead_id)
        enrollment = (await rows_of(session, SequenceEnrollmentRow, lead))[0]
        steps = {step.step: step.status for step in await rows_of(session, SequenceStepRow, lead)}
        messages = await rows_of(session, MessageRow, lead)
    assert row is not None and row.status == "interested"  # "Sounds good, Tuesday works."
    assert enrollment.status == "stopped"
    went_out = any(m.sequence_step == 1 and m.id in race.sent for m in messages)
    # The next step ends stopped, unless its text went out (and was recorded) before the reply.
    ends = ("stopped", "sent") if went_out else ("stopped",)
    assert len(steps) == 2 and steps[1] == "sent" and steps[2] in ends, steps
    for message in (m for m in messages if m.sequence_step > 0):
        if message.id in race.sent:  # went out: decided before the reply stopped it
            assert race.decided[message.id] < race.stopped[lead.lead_id], message.id
        else:  # never to go out now
            assert message.status == "stopped", (message.id, message.status)


@pytest.mark.parametrize(
    ("race", "second", "scheduler", "watch"),
    [
        pytest.param("sms", "waiting", settle_step, watch_the_settler, id="settler-texts"),
        pytest.param("email", "waiting", dispatch_message, watch_the_dispatcher, id="dispatcher"),
        pytest.param("email", "claimed", write_step, None, id="runner-writes"),
    ],
    indirect=["race"],
)
async def test_a_reply_and_the_scheduler_on_the_same_lead_never_deadlock(
    race: Race,
    second: str,
    scheduler: Callable[[Race, Seeded], Awaitable[None]],
    watch: Callable[[Race, pytest.MonkeyPatch], None] | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The settler texting the lead's next step, the dispatcher emailing it, or the step runner
    storing it, while the lead's reply to the first email comes in."""
    watch_the_reply(race, monkeypatch)
    if watch is not None:
        watch(race, monkeypatch)
    await run_rounds(race, scheduler, second=second)
