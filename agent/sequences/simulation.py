"""Run a whole sequence on a simulated clock: what `outreach simulate` prints.

The simulation is the real thing on a fresh database with a clock that jumps from one due
moment to the next: the same scheduler, pipeline, dispatcher (caps, gaps, windows), the
dry-run outboxes, and scripted replies fed through the inbound-reply path real replies take.
Weeks of a campaign run in seconds, so people can see what a sequence will do before they
launch it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.leads.store import store_leads
from agent.replies.inbound import InboundReply, record_inbound_reply
from agent.replies.model_layer import reply_model
from agent.sequences.enrollment import enroll_leads
from agent.sequences.scheduler import open_scheduler
from agent.sequences.step_events import StepEvent
from agent.settings import Settings
from graphs.lead import Lead
from storage.database import Database
from storage.models import LeadRow, MessageRow
from storage.sequence_models import SequenceStepRow
from storage.sequences import STOPPABLE, next_wakeup
from storage.tasks import finish_task, list_tasks

MIN_STEP = dt.timedelta(minutes=1)
"""The clock moves at least this far per tick, so a busy minute cannot stall it."""


@dataclass(frozen=True)
class ScriptedReply:
    """A reply the simulation delivers: who answers, how many days after the start, what."""

    line: int
    email: str
    day: float
    text: str
    subject: str | None = None
    sender: str | None = None
    """Who sent it when not the lead (a bounce comes from MAILER-DAEMON)."""


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline."""

    at: dt.datetime
    lead: str
    step: int
    channel: str
    event: str
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        """Return the entry as the JSON line `outreach simulate` prints."""
        at = self.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        return {
            "at": at,
            "lead": self.lead,
            "step": self.step,
            "channel": self.channel,
            "event": self.event,
            "detail": self.detail,
        }


@dataclass
class Simulation:
    """What a simulation did."""

    timeline: list[TimelineEntry] = field(default_factory=list)
    reply_errors: list[str] = field(default_factory=list)
    ticks: int = 0


def read_replies(path: Path) -> tuple[list[ScriptedReply], list[str]]:
    """Read scripted replies (JSON lines); a bad line is reported by number, the rest go on."""
    replies: list[ScriptedReply] = []
    errors: list[str] = []
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("expected an object")
            email, day, body = data.get("email"), data.get("day"), data.get("text")
            if not isinstance(email, str) or "@" not in email:
                raise ValueError("'email' must be the lead's email address")
            if isinstance(day, bool) or not isinstance(day, int | float) or day < 0:
                raise ValueError("'day' must be a number of days after the start (0 or more)")
            if not isinstance(body, str):
                raise ValueError("'text' must be the reply's text")
            subject, sender = data.get("subject"), data.get("from")
            replies.append(
                ScriptedReply(
                    line=number,
                    email=email.strip().lower(),
                    day=float(day),
                    text=body,
                    subject=subject if isinstance(subject, str) else None,
                    sender=sender if isinstance(sender, str) else None,
                )
            )
        except (json.JSONDecodeError, ValueError) as exc:
            errors.append(f"{path.name} line {number}: {exc}")
    return replies, errors


class SimulatedClock:
    """A clock the simulation moves; everything in it reads the time from here."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


async def simulate(
    settings: Settings,
    spec: CampaignSpec,
    leads: Sequence[Lead],
    replies: Sequence[ScriptedReply],
    *,
    start: dt.datetime,
    days: float,
    resolve: dict[str, str] | None = None,
    on_entry: Callable[[TimelineEntry], None] | None = None,
    do_tasks: bool = True,
) -> Simulation:
    """Run the campaign's sequence for `days` from `start` on the settings' (fresh) database.

    do_tasks: a person does every LinkedIn and call task when it is due (else the sequences
    wait on them, as they would for a team that never opens its task list)."""
    clock = SimulatedClock(start)
    result = Simulation()
    end = start + dt.timedelta(days=days)
    due_replies = sorted(replies, key=lambda r: (r.day, r.line))
    db = await Database.connect(settings.database, migrate=True)
    try:
        emails = await _prepare(db, settings, spec, leads, clock.now)

        def keep(events: list[StepEvent]) -> None:
            for event in events:
                entry = TimelineEntry(
                    event.at, emails.get(event.lead_id, str(event.lead_id)), event.step,
                    event.channel, event.event, event.detail,
                )  # fmt: skip
                result.timeline.append(entry)
                if on_entry is not None:
                    on_entry(entry)

        async with open_scheduler(
            settings, db, clock=clock, worker="simulator", resolve=resolve
        ) as scheduler:
            while clock.now <= end:
                while due_replies and start + dt.timedelta(days=due_replies[0].day) <= clock.now:
                    keep(await _deliver(db, settings, due_replies.pop(0), clock.now))
                report = await scheduler.tick()
                result.ticks += 1
                keep(report.events)
                if do_tasks and await _do_tasks(db, clock.now):
                    await scheduler.advance()
                    keep(scheduler.recorder.take())
                async with db.sessions() as session:
                    wake = await next_wakeup(session)
                if due_replies:
                    reply_at = start + dt.timedelta(days=due_replies[0].day)
                    wake = reply_at if wake is None else min(wake, reply_at)
                if wake is None:
                    break
                clock.now = max(wake, clock.now + MIN_STEP)
    finally:
        await db.close()
    result.timeline.sort(key=lambda e: (e.at, e.lead, e.step))
    return result


async def _prepare(
    db: Database,
    settings: Settings,
    spec: CampaignSpec,
    leads: Sequence[Lead],
    now: dt.datetime,
) -> dict[int, str]:
    """Store the campaign and the leads, enrol them; return each lead id's email."""
    lead_ids = await store_leads(db, leads)
    async with db.write_lock, db.sessions.begin() as session:
        campaign = await store_spec(session, spec)
        await enroll_leads(session, campaign, lead_ids, settings=settings, now=now)
        rows = await session.scalars(select(LeadRow).where(LeadRow.id.in_(lead_ids)))
        return {row.id: row.email or row.name for row in rows}


async def _do_tasks(db: Database, now: dt.datetime) -> int:
    """Mark the tasks due by now done, as a person working the task list would."""
    async with db.write_lock, db.sessions.begin() as session:
        due = await list_tasks(session, status="open", due_before=now, limit=10_000)
        for task in due:
            await finish_task(session, task.id, outcome="done", note="simulated", now=now)
        return len(due)


async def _deliver(
    db: Database, settings: Settings, reply: ScriptedReply, now: dt.datetime
) -> list[StepEvent]:
    """Feed a scripted reply through the inbound path, as a mail server would post it."""
    async with db.sessions() as session:
        lead = await session.scalar(select(LeadRow).where(LeadRow.email_normalized == reply.email))
        if lead is None:
            return []
        last = await session.scalar(
            select(MessageRow)
            .where(MessageRow.lead_id == lead.id, MessageRow.email_message_id.is_not(None))
            .order_by(MessageRow.sent_at.desc(), MessageRow.id.desc())
            .limit(1)
        )
        open_steps = list(
            await session.scalars(
                select(SequenceStepRow).where(
                    SequenceStepRow.lead_id == lead.id, SequenceStepRow.status.in_(STOPPABLE)
                )
            )
        )
    headers = Message()
    if last is not None and last.email_message_id:
        headers["In-Reply-To"] = last.email_message_id
        headers["Message-ID"] = f"<sim-{reply.line}@replies.invalid>"
    subject = reply.subject or "Re: your note"
    outcome = await record_inbound_reply(
        db,
        InboundReply(
            headers=headers,
            text=reply.text,
            sender=reply.sender or reply.email,
            to="",
            subject=subject,
            raw=f"simulated reply on line {reply.line}",
            occurred_at=now,
        ),
        settings=settings,
        model=reply_model(settings),
    )
    answered = last.sequence_step + 1 if last is not None else 0
    detail: str = outcome.recorded or "matched no message sent to this lead"
    if outcome.verdict is not None and outcome.recorded:
        detail = "; ".join([f"{outcome.recorded} ({outcome.verdict.intent})", *outcome.actions])
    events = [StepEvent(now, lead.id, 0, answered, "email", "replied", detail)]
    async with db.sessions() as session:
        for row in open_steps:
            fresh = await session.get(SequenceStepRow, row.id)
            if fresh is not None and fresh.status == "stopped":
                events.append(
                    StepEvent(
                        now,
                        lead.id,
                        fresh.campaign_id,
                        fresh.step,
                        fresh.channel,
                        "stopped",
                        fresh.detail,
                    )
                )
    return events
