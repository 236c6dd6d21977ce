"""Sequence metrics on both backends, from rows as the scheduler and the webhooks leave them.

Seven leads go through a three-step sequence (email, email, call). Step 1 reaches all seven:
Lea replies after 2 hours (and again two days later), Eve's address bounces. Step 2 reaches
the five left: Ben replies after 10 hours ("interested"), Cal after 30 hours ("not_now"), Dan
unsubscribes. Step 3 is a call: Fay's task is open, Gil's is done and his sequence finished.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from storage.database import Database
from storage.models import CampaignRow, EventRow, LeadRow, MessageRow, RunRow, VariantStatRow
from storage.sequence_metrics import campaign_arms, sequence_counts, tone_arms
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow, TaskRow

T0 = dt.datetime(2026, 12, 14, 14, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(days=3)
HOUR = dt.timedelta(hours=1)
STEPS = ((1, "first_touch", "email"), (2, "soft_nudge", "email"), (3, "direct_cta", "call"))


@dataclass
class Seeder:
    """Writes one campaign's rows as the scheduler, the dispatcher and the webhooks would."""

    db: Database
    campaign_id: int = 0
    runs: set[str] = field(default_factory=set)

    async def campaign(self, name: str) -> int:
        async with self.db.sessions.begin() as session:
            row = CampaignRow(name=name, channel="email", value_proposition="CI insight.")
            session.add(row)
            await session.flush()
            self.campaign_id = row.id
            for number, *_ in STEPS:
                session.add(RunRow(id=f"seq-{row.id}-{number}", campaign_id=row.id))
        return self.campaign_id

    async def lead(
        self,
        name: str,
        tone: str,
        *,
        reached: int,
        status: str,
        current: int,
        outcomes: dict[int, dict[str, Any]] | None = None,
        task: str | None = None,
    ) -> int:
        """Enrol a lead whose first `reached` steps happened; outcomes[step] says what came back."""
        outcomes = outcomes or {}
        async with self.db.sessions.begin() as session:
            email = f"{name.lower()}@{self.campaign_id}.example"
            lead = LeadRow(name=name, company="Acme", email=email, email_normalized=email)
            session.add(lead)
            await session.flush()
            enrollment = SequenceEnrollmentRow(
                campaign_id=self.campaign_id, lead_id=lead.id, status=status, current_step=current
            )
            session.add(enrollment)
            await session.flush()
            for number, kind, channel in STEPS[:reached]:
                sent_at = T0 if number == 1 else T1
                message_id = None
                if channel != "call":
                    message_id = await self._message(session, lead.id, number, tone, sent_at)
                    await self._outcome(session, message_id, tone, sent_at, outcomes.get(number))
                step_status = (
                    "sent" if channel != "call" else ("done" if task == "done" else "task")
                )
                step = SequenceStepRow(
                    enrollment_id=enrollment.id, campaign_id=self.campaign_id, lead_id=lead.id,
                    step=number, kind=kind, channel=channel, due_at=sent_at, status=step_status,
                    message_id=message_id, finished_at=sent_at,
                )  # fmt: skip
                session.add(step)
                await session.flush()
                if channel == "call":
                    session.add(
                        TaskRow(
                            campaign_id=self.campaign_id, lead_id=lead.id, step_id=step.id,
                            kind="call", status=task or "open", title=f"Call {name}", due_at=T1,
                        )
                    )  # fmt: skip
            if status in ("active", "paused") and current > reached:
                number, kind, channel = STEPS[current - 1]
                session.add(
                    SequenceStepRow(
                        enrollment_id=enrollment.id, campaign_id=self.campaign_id,
                        lead_id=lead.id, step=number, kind=kind, channel=channel,
                        due_at=T1 + 48 * HOUR, status="scheduled" if status == "active" else "paused",
                    )
                )  # fmt: skip
            return lead.id

    async def _message(self, session: Any, lead_id: int, step: int, tone: str, at: Any) -> int:
        message = MessageRow(
            campaign_id=self.campaign_id, lead_id=lead_id, run_id=f"seq-{self.campaign_id}-{step}",
            sequence_step=step - 1, variants=[], selected_variant=tone, status="sent", sent_at=at,
        )  # fmt: skip
        session.add(message)
        await session.flush()
        return message.id

    async def _outcome(
        self, session: Any, message_id: int, tone: str, sent_at: Any, what: dict[str, Any] | None
    ) -> None:
        stat = VariantStatRow(message_id=message_id, tone=tone, sent=1)
        session.add(stat)
        what = what or {}
        for kind in ("bounced", "unsubscribed"):
            if what.get(kind):
                setattr(stat, kind, 1)
                session.add(
                    EventRow(type=kind, campaign_id=self.campaign_id, message_id=message_id)
                )
        for number, (after, intent) in enumerate(what.get("replies", [])):
            stat.replied = 1
            payload = {"snippet": f"reply {number}"} | ({"intent": intent} if intent else {})
            session.add(
                EventRow(
                    type="replied", campaign_id=self.campaign_id, message_id=message_id,
                    payload=payload, occurred_at=sent_at + after,
                )
            )  # fmt: skip


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as opened:
        yield opened


async def seven_leads(db: Database, *, intents: bool = True, name: str = "three steps") -> int:
    seed = Seeder(db)
    campaign_id = await seed.campaign(name)
    ben_intent, cal_intent = ("interested", "not_now") if intents else (None, None)
    await seed.lead("Lea", "professional", reached=1, status="stopped", current=2,
                    outcomes={1: {"replies": [(2 * HOUR, None), (50 * HOUR, None)]}})  # fmt: skip
    await seed.lead("Ben", "professional", reached=2, status="stopped", current=3,
                    outcomes={2: {"replies": [(10 * HOUR, ben_intent)]}})  # fmt: skip
    await seed.lead("Cal", "friendly", reached=2, status="stopped", current=3,
                    outcomes={2: {"replies": [(30 * HOUR, cal_intent)]}})  # fmt: skip
    await seed.lead("Dan", "friendly", reached=2, status="stopped", current=3,
                    outcomes={2: {"unsubscribed": True}})  # fmt: skip
    await seed.lead("Eve", "direct", reached=1, status="stopped", current=2,
                    outcomes={1: {"bounced": True}})  # fmt: skip
    await seed.lead("Fay", "professional", reached=3, status="active", current=3, task="open")
    await seed.lead("Gil", "friendly", reached=3, status="finished", current=3, task="done")
    return campaign_id


async def test_each_step_counts_its_sends_replies_and_opt_outs(db: Database) -> None:
    campaign_id = await seven_leads(db)
    async with db.sessions() as session:
        counts = await sequence_counts(session, campaign_id=campaign_id)
    assert counts.leads == {"stopped": 5, "active": 1, "finished": 1}
    first, second, call = counts.steps[1], counts.steps[2], counts.steps[3]
    assert (first.reached, second.reached, call.reached) == (7, 5, 2)
    assert (first.engagement.sent, first.engagement.replied, first.engagement.bounced) == (7, 1, 1)
    assert (second.engagement.sent, second.engagement.replied) == (5, 2)
    assert second.engagement.unsubscribed == 1 and first.engagement.unsubscribed == 0
    assert call.engagement.sent == 0 and call.tasks == {"open": 1, "done": 1}
    assert call.states == {"task": 1, "done": 1}
    # Where leads stopped: Lea and Eve while step 2 was next, Ben, Cal and Dan at step 3.
    assert first.leads == {} and second.leads == {"stopped": 2}
    assert call.leads == {"stopped": 3, "active": 1, "finished": 1}
    assert (counts.total.sent, counts.total.replied) == (12, 3)


async def test_median_time_to_reply_is_from_the_answered_send_to_the_first_reply(
    db: Database,
) -> None:
    campaign_id = await seven_leads(db)
    async with db.sessions() as session:
        counts = await sequence_counts(session, campaign_id=campaign_id)
    assert counts.steps[1].engagement.median_reply_s == pytest.approx(2 * 3600, abs=1)
    assert counts.steps[2].engagement.median_reply_s == pytest.approx(20 * 3600, abs=1)
    assert counts.steps[3].engagement.median_reply_s is None
    assert counts.total.median_reply_s == pytest.approx(10 * 3600, abs=1)  # 2 h, 10 h, 30 h


async def test_positive_replies_need_a_reply_intent(db: Database) -> None:
    campaign_id = await seven_leads(db)
    async with db.sessions() as session:
        counts = await sequence_counts(session, campaign_id=campaign_id)
    assert (counts.steps[2].engagement.with_intent, counts.steps[2].engagement.positive) == (2, 1)
    assert (counts.total.with_intent, counts.total.positive) == (2, 1)

    unclassified = await seven_leads(db, intents=False, name="unclassified")
    async with db.sessions() as session:
        counts = await sequence_counts(session, campaign_id=unclassified)
    assert (counts.total.with_intent, counts.total.positive) == (0, 0)


async def test_a_tone_is_an_arm_of_the_whole_sequence(db: Database) -> None:
    campaign_id = await seven_leads(db)
    other = Seeder(db)
    other_id = await other.campaign("five steps")
    await other.lead("Hal", "direct", reached=1, status="active", current=2)
    await other.lead("Ida", "direct", reached=0, status="active", current=1)
    async with db.sessions() as session:
        arms = await tone_arms(session, campaign_id=campaign_id)
        compared = await campaign_arms(session, campaign_ids=[other_id, campaign_id, other_id])
        empty = await sequence_counts(session, campaign_id=other_id + 1)
    by_tone = {arm.name: (arm.leads, arm.replied) for arm in arms}
    assert by_tone == {"professional": (3, 2), "friendly": (3, 1), "direct": (1, 0)}
    assert [(c.campaign_id, c.enrolled, c.contacted, c.replied) for c in compared] == [
        (other_id, 2, 1, 0),
        (campaign_id, 7, 7, 3),
    ]
    assert empty.leads == {} and empty.steps == {} and empty.total.median_reply_s is None
