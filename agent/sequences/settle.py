"""Settle written steps: follow each step's message to its end and hand it on.

A step waits while its message is in review or in the email send queue. An approved text goes
out now (inside the step's window, through the send ledger, at most once); an approved LinkedIn
text becomes a task for a person. A message that went out makes the step sent; one rejected,
suppressed or failed skips the step (the sequence goes on); a stopped one ends it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from agent.delivery.dispatcher import RETRY_AFTER
from agent.delivery.ledgered_send import (
    LookUp,
    Receipt,
    SendUnsettled,
    delivery_key,
    send_once,
    unsent_reason,
)
from agent.delivery.send_schedule import MailboxHistory, SendLimits, next_send_time, timezone_named
from agent.delivery.sms_providers import status_callback_url
from agent.sequences.business_days import is_business_day
from agent.sequences.definition import DEFAULT_WINDOW, parse_window
from agent.sequences.step_events import StepRecorder
from agent.sequences.tasks import linkedin_task_fields
from agent.sequences.thread import step_hours
from agent.settings import Settings
from storage.database import Database
from storage.deliveries import DeliveryLedger
from storage.messages import last_send_from, sent_since
from storage.models import CampaignRow, EventRow, LeadRow, MessageRow
from storage.outcomes import count_send
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.sequences import steps_of_lead, waiting_steps
from storage.suppressions import phone_suppression_reason
from storage.tasks import create_task
from tools.delivery.providers import DeliveryRejected, DeliveryUnavailable
from tools.delivery.sms import OutgoingSms, SmsProvider, compose_sms, e164

REACHED = ("sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed",
           "complained")  # fmt: skip
NOT_SENT = ("rejected", "failed", "suppressed", "superseded")
IN_REVIEW = "in review"


@dataclass(frozen=True)
class PendingSms:
    """A text composed and ready for the ledger and the provider."""

    step_id: int
    message_id: int
    run_id: str
    tone: str
    sms: OutgoingSms
    step: int
    """The message's place in the sequence (0: the first)."""


class StepSettler:
    """Move waiting steps on, for one scheduler."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        sms: SmsProvider,
        recorder: StepRecorder,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.db = db
        self.settings = settings
        self.sms = sms
        self.recorder = recorder
        self.clock = clock
        self.ledger = DeliveryLedger(db.sessions, db.write_lock)

    def now(self) -> dt.datetime:
        """Return the scheduler's clock."""
        return self.clock()

    async def settle_all(self, *, limit: int = 1000) -> None:
        """Settle every waiting step (up to limit)."""
        async with self.db.sessions() as session:
            ids = [step.id for step in await waiting_steps(session, limit=limit)]
        for step_id in ids:
            await self.settle(step_id)

    async def settle(self, step_id: int) -> None:
        """Move one waiting step on as far as its message allows."""
        async with self.db.write_lock, self.db.sessions.begin() as session:
            step = await session.get(SequenceStepRow, step_id, with_for_update=True)
            if step is None or step.status != "waiting" or step.message_id is None:
                return
            message = await session.get(MessageRow, step.message_id)
            assert message is not None
            pending = await self._settle(session, step, message)
        if pending is not None:
            await self._send_sms(pending)

    async def _settle(
        self, session: AsyncSession, step: SequenceStepRow, message: MessageRow
    ) -> PendingSms | None:
        now = self.now()
        if message.status in REACHED:
            step.status, step.finished_at = "sent", _aware(message.sent_at) or now
            self.recorder.add(step, "sent", _tone_detail(message), at=step.finished_at)
        elif message.status == "stopped":
            step.status, step.detail, step.finished_at = "stopped", message.reason, now
            step.advanced = True
            self.recorder.add(step, "stopped", message.reason, at=now)
        elif message.status == "rejected" and step.step == 1:  # a poor fit: no follow-ups
            await self._end(session, step, f"not a fit: {message.reason}", now)
        elif message.status in NOT_SENT:
            why = message.delivery_error or message.reason or message.status
            step.status, step.detail, step.finished_at = "skipped", why, now
            self.recorder.add(step, "skipped", why, at=now)
        elif message.status == "queued" and not step.detail.startswith(IN_REVIEW):
            step.detail = f"{IN_REVIEW}: {message.reason}"
            self.recorder.add(step, "queued", message.reason, at=now)
        elif message.status == "approved" and step.channel.startswith("linkedin"):
            due = _aware(message.scheduled_for)
            if due is None or due <= now:  # held (an out-of-office): the task waits too
                await self._linkedin_task(session, step, message)
        elif message.status == "approved" and step.channel == "sms":
            return await self._compose_sms(session, step, message, now)
        return None

    async def _end(
        self, session: AsyncSession, step: SequenceStepRow, why: str, now: dt.datetime
    ) -> None:
        """Stop the lead's sequence at this step."""
        step.status, step.detail, step.finished_at, step.advanced = "stopped", why, now, True
        enrollment = await session.get(SequenceEnrollmentRow, step.enrollment_id)
        if enrollment is not None:
            enrollment.status, enrollment.stop_reason = "stopped", why
        self.recorder.add(step, "stopped", why, at=now)

    async def _linkedin_task(
        self, session: AsyncSession, step: SequenceStepRow, message: MessageRow
    ) -> None:
        lead = await session.get(LeadRow, step.lead_id)
        assert lead is not None
        tone = message.selected_variant or (message.variants[0]["tone"] if message.variants else "")
        variant = next((v for v in message.variants if v["tone"] == tone), None)
        if variant is None:
            step.status, step.detail, step.finished_at = "skipped", "no draft", self.now()
            return
        message.selected_variant = tone
        title, body, link = linkedin_task_fields(
            lead.name, lead.company, lead.linkedin_url, variant["body"], step.channel
        )
        await create_task(
            session,
            campaign_id=step.campaign_id,
            lead_id=step.lead_id,
            step_id=step.id,
            kind=step.channel,
            title=title,
            body=body,
            script=None,
            link=link,
            due_at=self.now(),
        )
        step.status, step.detail = "task", "text ready to copy"
        self.recorder.add(step, "task", title, at=self.now())

    async def _compose_sms(
        self, session: AsyncSession, step: SequenceStepRow, message: MessageRow, now: dt.datetime
    ) -> PendingSms | None:
        due = _aware(message.scheduled_for)
        if due is not None and due > now:
            return None
        lead = await session.get(LeadRow, step.lead_id)
        campaign = await session.get(CampaignRow, step.campaign_id)
        enrollment = await session.get(SequenceEnrollmentRow, step.enrollment_id)
        assert lead is not None and campaign is not None and enrollment is not None
        if not lead.phone:
            message.status, message.delivery_error = "failed", "the lead has no phone number"
            return None
        country = enrollment.country or self.settings.default_country
        try:
            number = e164(lead.phone, country)
        except ValueError as exc:
            message.status, message.delivery_error = "failed", f"not sent: {exc}"
            return None
        reason = await phone_suppression_reason(session, number)
        if reason is not None:
            message.status = "suppressed"
            message.reason = f"not sent: the number is on the suppression list ({reason})"
            return None
        tz = timezone_named(enrollment.timezone, self.settings.default_timezone)
        if campaign.status != "active" or enrollment.status != "active":
            return None  # paused: the text waits with its step
        if message.sending_until is not None and _aware(message.sending_until) > now:  # type: ignore[operator]
            return None  # another scheduler is sending it now
        opens = await self._sms_moment(
            session, campaign, step.step, tz, country, now, preset=enrollment.sequence_preset
        )
        if opens > now:  # outside the recipient's hours, or the number's pace: wait
            message.scheduled_for = opens
            return None
        tone = message.selected_variant or message.variants[0]["tone"]
        variant = next(v for v in message.variants if v["tone"] == tone)
        sender = campaign.settings.get("sender") or {}
        earlier_sms = any(
            row.channel == "sms" and row.status == "sent"
            for row in await steps_of_lead(
                session, enrollment_id=step.enrollment_id, before=step.step
            )
        )
        key = delivery_key(message)
        try:
            sms = compose_sms(
                number,
                variant["body"],
                str(sender.get("name") or "Outreach Architect"),
                first_message=not earlier_sms,
                status_callback=status_callback_url(self.settings)
                if self.settings.sms_provider == "twilio"
                else None,
                custom_args={"outreach_message_id": str(message.id), "idempotency_key": key},
                default_region=country,
                language=(message.generation or {}).get("language"),
            )
        except ValueError as exc:
            message.status, message.delivery_error = "failed", f"not sent: {exc}"
            return None
        message.selected_variant, message.mailbox = tone, self.sender
        message.sending_until = now + dt.timedelta(seconds=self.settings.sequence_claim_lease_s)
        return PendingSms(step.id, message.id, message.run_id, tone, sms, message.sequence_step)

    @property
    def sender(self) -> str:
        """The number (or Messaging Service) texts go from: its daily cap and gap are shared."""
        return str(getattr(self.sms, "sender", None) or f"sms:{self.sms.name}")

    async def _sms_moment(
        self,
        session: AsyncSession,
        campaign: CampaignRow,
        step: int,
        tz: ZoneInfo,
        country: str,
        now: dt.datetime,
        *,
        preset: str | None,
    ) -> dt.datetime:
        """When a text may go: inside the step's window on a business day of the recipient's
        country, under the sending number's daily cap and gap between two texts."""
        # A step the sequence no longer has (edited since) keeps the default hours.
        start, end = step_hours(campaign, step, preset) or parse_window(DEFAULT_WINDOW)
        settings = self.settings
        limits = SendLimits(
            daily_cap=settings.sms_daily_cap,
            min_gap=dt.timedelta(seconds=settings.sms_min_gap_s),
            domain_gap=dt.timedelta(0),
            window_start=start,
            window_end=end,
        )
        day_start = dt.datetime.combine(now.astimezone(dt.UTC).date(), dt.time(0), tzinfo=dt.UTC)
        history = MailboxHistory(
            sent_today=await sent_since(session, mailbox=self.sender, since=day_start) or 0,
            last_sent=_aware(await last_send_from(session, mailbox=self.sender)),
        )
        return next_send_time(
            now, tz=tz, limits=limits, history=history,
            is_workday=lambda day: is_business_day(day, country),
        )  # fmt: skip

    async def _send_sms(self, pending: PendingSms) -> None:
        async def send() -> Receipt:
            return Receipt(self.sms.name, await self.sms.send(pending.sms), pending.tone)

        key = pending.sms.custom_args["idempotency_key"]
        lag = self.settings.delivery_reconcile_after_s
        look_up = LookUp.of(self.sms, to=pending.sms.to, body=pending.sms.body, lag_s=lag)
        provider_id: str | None = None
        error: str | None = None
        retry: dt.timedelta | None = None
        try:
            outcome = await send_once(
                self.ledger,
                key,
                run_id=pending.run_id,
                channel="sms",
                recipient=pending.sms.to,
                owner=f"message:{pending.message_id}",
                approved=True,
                tone=pending.tone,
                send=send,
                step=pending.step,
                look_up=look_up,
            )
        except DeliveryUnavailable as exc:
            # An answer (429, 5xx) means the text was not taken: try again later. No answer at
            # all (a timeout, a dropped connection) may mean it was: its log tells (asked on the
            # next attempt), or else a person, since a second attempt could text them twice.
            unsettled = SendUnsettled.unanswered(exc, look_up) if exc.unanswered else None
            error = str(unsettled or exc)
            retry = RETRY_AFTER if unsettled is None else unsettled.retry_after
        except DeliveryRejected as exc:
            error = str(exc)
        else:
            if outcome.receipt is not None:
                provider_id = outcome.receipt.message_id
                # An earlier attempt found in the provider's log may have sent another draft.
                pending = replace(pending, tone=outcome.receipt.tone or pending.tone)
            elif outcome.state == "taken":
                error = unsent_reason(outcome, pending.sms.to)
            else:  # cut off earlier: its log will tell (checked again later), or a person
                unsettled = SendUnsettled.of(outcome, self.sms.name, look_up)
                error, retry = str(unsettled), unsettled.retry_after
        await self._record_sms(pending, provider_id, error, retry)

    async def _record_sms(
        self,
        pending: PendingSms,
        provider_id: str | None,
        error: str | None,
        retry: dt.timedelta | None,
    ) -> None:
        now = self.now()
        async with self.db.write_lock, self.db.sessions.begin() as session:
            # The step before its message, as every writer locks them (storage/lock_order.py).
            step = await session.get(SequenceStepRow, pending.step_id, with_for_update=True)
            message = await session.get(MessageRow, pending.message_id, with_for_update=True)
            assert message is not None and step is not None
            message.sending_until = None
            if provider_id is None and message.sent_at is not None:
                return  # another scheduler sent it meanwhile: its record stands
            if provider_id is not None:
                if message.status == "approved":
                    message.status = "sent"
                message.selected_variant = pending.tone
                message.sent_at, message.provider_message_id = now, provider_id
                message.idempotency_key = pending.sms.custom_args["idempotency_key"]
                message.scheduled_for = message.delivery_error = None
                message.version += 1
                await count_send(session, message, pending.tone)
                session.add(
                    EventRow(
                        type="sent",
                        campaign_id=message.campaign_id,
                        message_id=message.id,
                        payload={"provider": self.sms.name, "tone": pending.tone, "channel": "sms"},
                    )
                )
                if step.status == "waiting":
                    step.status, step.finished_at = "sent", now
                    self.recorder.add(step, "sent", f"{pending.tone} SMS", at=now)
            elif retry is not None:
                message.scheduled_for, message.delivery_error = now + retry, error
            else:
                message.status, message.delivery_error = "failed", error


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment


def _tone_detail(message: MessageRow) -> str:
    return f"{message.selected_variant} variant" if message.selected_variant else ""
