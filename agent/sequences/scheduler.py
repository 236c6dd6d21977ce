"""The sequence scheduler: each tick finds due steps in the database, claims them, writes and
hands them on, sends what is due, and schedules what comes next.

Several schedulers may run against one database (`outreach worker` processes, `outreach
serve`): a claim is one statement (SKIP LOCKED on PostgreSQL), every send goes through the
delivery ledger, and scheduling the next step is taken once, so nothing happens twice. A
scheduler killed mid-tick loses its claims when their lease runs out; the next tick finds the
step's checkpointed thread, its stored message and its ledger key, and finishes the step.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from agent.crm.connection import crm_is_on
from agent.crm.send_gate import recipient_check
from agent.delivery.dispatcher import Dispatcher, DispatchReport
from agent.delivery.email_providers import build_email_provider
from agent.delivery.send_schedule import timezone_named
from agent.delivery.sms_providers import build_sms_provider
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.pipeline_factory import Pipeline
from agent.sequences.business_days import due_after
from agent.sequences.settle import StepSettler
from agent.sequences.step_events import StepEvent, StepRecorder
from agent.sequences.step_runner import StepRunner
from agent.sequences.thread import sequence_of
from agent.settings import Settings
from storage.database import Database
from storage.models import CampaignRow, MessageRow
from storage.outcomes import count_send
from storage.sequence_models import SequenceEnrollmentRow
from storage.sequences import (
    StepPlan,
    claim_due,
    release_expired,
    revive_paused,
    schedule_step,
    steps_to_advance,
    take_advance,
)
from tools.delivery.send_queue import SendQueue
from tools.delivery.sms import SmsProvider

log = logging.getLogger("outreach.sequences")


def worker_name() -> str:
    """Return a name for this scheduler that no other process shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class TickReport:
    """What one tick did."""

    claimed: int = 0
    released: int = 0
    dispatched: DispatchReport = field(default_factory=DispatchReport)
    events: list[StepEvent] = field(default_factory=list)


class Scheduler:
    """Runs sequence steps as they come due."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        pipeline: Pipeline,
        dispatcher: Dispatcher,
        sms: SmsProvider,
        *,
        worker: str | None = None,
        send_email: bool = True,
    ) -> None:
        self.db = db
        self.send_email = send_email
        """Whether each tick also sends due email (off where another loop sends it)."""
        self.settings = settings
        self.pipeline = pipeline
        self.dispatcher = dispatcher
        self.worker = worker or worker_name()
        self.recorder = StepRecorder()
        self.runner = StepRunner(db, settings, pipeline, self.recorder, worker=self.worker)
        self.settler = StepSettler(db, settings, sms, self.recorder, pipeline.context.clock)
        self.lease = dt.timedelta(seconds=settings.sequence_claim_lease_s)
        self._tick = asyncio.Lock()

    def now(self) -> dt.datetime:
        """Return the scheduler's clock (the pipeline's: tests and simulations pin it)."""
        return self.pipeline.context.clock()

    async def tick(self) -> TickReport:
        """Do everything that is due now, once."""
        report = TickReport()
        async with self._tick:
            now = self.now()
            async with self.db.write_lock, self.db.sessions.begin() as session:
                report.released = await release_expired(session, now=now)
                await revive_paused(session, now=now)
                claimed = await claim_due(
                    session,
                    now=now,
                    worker=self.worker,
                    lease=self.lease,
                    limit=self.settings.sequence_claim_batch,
                )
            report.claimed = len(claimed)
            await self._run_all(claimed)
            await self.settler.settle_all()
            if self.send_email:
                report.dispatched = await self.dispatcher.dispatch()
                await self.settler.settle_all()
            await self.advance()
            report.events = self.recorder.take()
        return report

    async def _run_all(self, step_ids: list[int]) -> None:
        semaphore = asyncio.Semaphore(max(1, self.settings.concurrency))

        async def bounded(step_id: int) -> None:
            async with semaphore:
                await self.runner.run(step_id)

        await asyncio.gather(*(bounded(step_id) for step_id in step_ids))

    async def advance(self, *, limit: int = 1000) -> None:
        """Schedule the next step of every sequence whose current step finished."""
        async with self.db.sessions() as session:
            finished = await steps_to_advance(session, limit=limit)
        for step_id in finished:
            try:
                await self._advance_one(step_id)
            except Exception:  # one bad row must not hold up every other sequence
                log.exception("scheduling the step after %s failed", step_id)

    async def _advance_one(self, step_id: int) -> None:
        """Schedule the step after this finished one (or end the sequence), once."""
        async with self.db.write_lock, self.db.sessions.begin() as session:
            step = await take_advance(session, step_id)
            if step is None:
                return  # another scheduler scheduled it
            enrollment = await session.get(
                SequenceEnrollmentRow, step.enrollment_id, with_for_update=True
            )
            campaign = await session.get(CampaignRow, step.campaign_id)
            assert enrollment is not None and campaign is not None
            if step.status == "done" and step.message_id is not None:
                await self._done_by_hand(session, step.message_id, step.finished_at)
            if enrollment.status in ("stopped", "finished"):
                return
            try:
                sequence = sequence_of(campaign, enrollment.sequence_preset)
            except LookupError:  # the campaign's sequence was removed meanwhile
                enrollment.status = "stopped"
                enrollment.stop_reason = "the campaign no longer has a sequence"
                return
            number = step.step + 1
            if number > len(sequence.steps):
                enrollment.status = "finished"
                return
            plan = sequence.step(number)
            due = due_after(
                _aware(step.finished_at) or self.now(),
                plan.delay_business_days,
                tz=timezone_named(enrollment.timezone, self.settings.default_timezone),
                country=enrollment.country or self.settings.default_country,
                window=plan.hours,
            )
            paused = enrollment.status == "paused" or campaign.status != "active"
            row = await schedule_step(
                session,
                enrollment,
                StepPlan(step=number, kind=plan.kind.value, channel=plan.channel.value),
                due_at=due,
                paused=paused,
            )
            detail = f"due {due.isoformat()}" + (" (paused)" if paused else "")
            self.recorder.add(row, "scheduled", detail, at=self.now())

    async def _done_by_hand(
        self, session: AsyncSession, message_id: int, finished_at: dt.datetime | None
    ) -> None:
        """A LinkedIn step a person marked done: its message went out, by hand."""
        message = await session.get(MessageRow, message_id, with_for_update=True)
        if message is None or message.status != "approved":
            return
        message.status, message.sent_at = "sent", _aware(finished_at) or self.now()
        message.version += 1
        await count_send(session, message, message.selected_variant or "")

    async def run_forever(self, interval_s: float, *, first_wait: bool = False) -> None:
        """Tick every interval until cancelled; a failed tick is logged, the next one runs."""
        if first_wait:
            await asyncio.sleep(interval_s)
        while True:
            try:
                report = await self.tick()
                for event in report.events:
                    log.info(
                        "lead %s step %s (%s): %s %s",
                        event.lead_id,
                        event.step,
                        event.channel,
                        event.event,
                        event.detail,
                    )
            except Exception:  # a bad tick must not stop the next one
                log.exception("sequence tick failed")
            await asyncio.sleep(interval_s)


@asynccontextmanager
async def open_scheduler(
    settings: Settings,
    db: Database,
    *,
    dispatcher: Dispatcher | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    worker: str | None = None,
    resolve: dict[str, str] | None = None,
    send_email: bool = True,
) -> AsyncIterator[Scheduler]:
    """Yield a scheduler over the database with its pipeline (checkpointed, writing into the
    send queue), dispatcher and SMS provider; network clients are closed on exit. `resolve`
    sends research for a host elsewhere (fixture sites, like curl --resolve)."""
    async with open_durable_pipeline(
        settings, db=db, record_sends=False, outbox=SendQueue(), clock=clock, resolve=resolve
    ) as (_, pipeline):
        sender = dispatcher or Dispatcher(
            db,
            settings,
            build_email_provider(settings),
            clock=pipeline.context.clock,
            recipient_check=recipient_check(settings, db) if crm_is_on(settings) else None,
        )
        sms = build_sms_provider(settings)
        try:
            yield Scheduler(
                db, settings, pipeline, sender, sms, worker=worker, send_email=send_email
            )
        finally:
            close = getattr(sms, "aclose", None)
            if close is not None:
                await close()
            if dispatcher is None:  # ours to close
                await sender.aclose()


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment
