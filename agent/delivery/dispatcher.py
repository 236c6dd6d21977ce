"""Send a campaign's approved messages: suppression, pacing, variant choice, provider, record.

For each approved (or scheduled and now due) message of an active campaign:
1. the recipient is checked against the suppression list, and a lead who replied or opted out
   is not written to again, immediately before the send;
2. the sending limits give the earliest time it may go; later means `scheduled`, not dropped;
3. the variant is chosen (a reviewer's choice stands; otherwise the campaign's allocation:
   the critic's best, a fixed split, or Thompson sampling on reply rates);
4. the send ledger claims the message's key before the provider is called, so a crash or a
   second server cannot send it twice (a send cut off mid-call is settled from the provider's
   log where it keeps one, else held for a person);
5. the email gets the postal address footer and one-click unsubscribe headers, goes to the
   provider, and the outcome is stored with the provider's id and the Message-ID header; a
   provider that is down leaves it scheduled for a retry, one that refuses it fails it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from agent.delivery.campaign_sender import CampaignNotSendable, campaign_allocation, sender_of
from agent.delivery.ledgered_send import (
    LookUp,
    Receipt,
    SendUnsettled,
    delivery_key,
    send_once,
    unsent_reason,
)
from agent.delivery.mailbox_pacing import MailboxPacer
from agent.delivery.send_schedule import MailboxHistory, SendLimits, next_send_time, timezone_named
from agent.delivery.sequence_sending import step_sending
from agent.delivery.unsubscribe_links import UnsubscribeLinks
from agent.experiments.ab_testing import COUNTER_NAMES, ArmCounts, allocate
from agent.settings import Settings
from storage.analytics import campaign_tone_stats
from storage.campaigns import check_transition
from storage.database import Database
from storage.deliveries import DeliveryLedger
from storage.engagement import STOPS_LEAD
from storage.messages import (
    DUE_STATUSES,
    current_message,
    due_message_ids,
    last_send_from,
    last_send_to_domain,
    recipient_of,
    sent_since,
)
from storage.models import CampaignRow, CampaignToneStatRow, EventRow, LeadRow, MessageRow
from storage.outcomes import count_send
from storage.suppressions import suppression_reason
from tools.delivery.email_message import OutgoingEmail, compose_email
from tools.delivery.providers import (
    DeliveryError,
    DeliveryRejected,
    DeliveryUnavailable,
    EmailProvider,
)
from tools.facts import utc_now

RecipientCheck = Callable[[str], Awaitable[object]]
"""An address → a look-up that may put it on the suppression list (never raises)."""
RETRY_AFTER = dt.timedelta(minutes=5)
PAUSED_RECHECK = dt.timedelta(minutes=15)
"""How soon a message of a paused sequence is looked at again."""


@dataclass
class DispatchReport:
    """What one pass did, message by message."""

    sent: list[int] = field(default_factory=list)
    scheduled: dict[int, dt.datetime] = field(default_factory=dict)
    suppressed: list[int] = field(default_factory=list)
    stopped: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def next_send_at(self) -> dt.datetime | None:
        """Return when the next scheduled message is due."""
        return min(self.scheduled.values(), default=None)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment


class Dispatcher:
    """Send what is due; one pass at a time per process (the ledger guards across processes)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        provider: EmailProvider,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        seed: int | None = None,
        recipient_check: RecipientCheck | None = None,
    ) -> None:
        self.db = db
        self.recipient_check = recipient_check
        """Asked about each address before its message is sent (the CRM: a customer or an
        opportunity in HubSpot is put on the suppression list, which the send then honours)."""
        self.settings = settings
        self.provider = provider
        self.clock = clock
        self.limits = SendLimits.from_settings(settings)
        self.links = UnsubscribeLinks.from_settings(settings)
        self.ledger = DeliveryLedger(db.sessions, db.write_lock)
        self.lease = dt.timedelta(seconds=settings.sequence_claim_lease_s)
        """How long this sender holds a message it is sending before another looks again."""
        self._rng = np.random.default_rng(seed)
        self._pass = asyncio.Lock()
        self.pacer = MailboxPacer(settings)

    async def aclose(self) -> None:
        """Let go of the shared limiter's connections."""
        await self.pacer.aclose()

    async def dispatch(self, campaign_id: int | None = None, *, limit: int = 500) -> DispatchReport:
        """Send every due message of the campaign (or of every active campaign)."""
        report = DispatchReport()
        async with self._pass:
            now = self.clock()
            async with self.db.sessions() as session:
                due = await due_message_ids(session, now=now, limit=limit, campaign_id=campaign_id)
            for message_id in due:
                await self._one(message_id, report)
        return report

    async def dispatch_message(self, message_id: int) -> DispatchReport:
        """Send one due message now if its limits allow (else it is scheduled)."""
        report = DispatchReport()
        async with self._pass:
            await self._one(message_id, report)
        return report

    async def send_campaign(self, campaign_id: int) -> DispatchReport:
        """Activate an email campaign and send its approved messages now, as limits allow.

        Raise LookupError for an unknown campaign, CampaignNotSendable when it cannot send
        (not email, no mailbox or postal address) and CampaignConflict when its status cannot
        become active (completed, cancelled). Sending again later is safe: nothing goes twice.
        """
        async with self.db.write_lock, self.db.sessions.begin() as session:
            campaign = await session.get(CampaignRow, campaign_id, with_for_update=True)
            if campaign is None:
                raise LookupError(f"there is no campaign {campaign_id}")
            if campaign.channel != "email":
                raise CampaignNotSendable(
                    f"campaign {campaign_id} is a {campaign.channel} campaign: there is no "
                    "sending API for it; export its approved messages (`outreach export`, or "
                    "GET /campaigns/{id}/messages?status=approved) and send them by hand",
                    field="channel",
                )
            sender_of(campaign, self.settings)
            if campaign.status != "active":
                check_transition(campaign.status, "active")
                campaign.status = "active"
        return await self.dispatch(campaign_id)

    async def _one(self, message_id: int, report: DispatchReport) -> None:
        if self.recipient_check is not None:  # outside any transaction: it may ask HubSpot
            async with self.db.sessions() as session:
                address = await recipient_of(session, message_id)
            if address:
                await self.recipient_check(address)
        now = self.clock()
        async with self.db.write_lock, self.db.sessions.begin() as session:
            message = await session.get(MessageRow, message_id, with_for_update=True)
            if message is None or message.status not in DUE_STATUSES:
                return  # someone else dealt with it meanwhile
            if message.sending_until is not None and _aware(message.sending_until) > now:  # type: ignore[operator]
                return  # another sender (another process) is sending it now
            campaign = await session.get(CampaignRow, message.campaign_id)
            lead = await session.get(LeadRow, message.lead_id)
            assert campaign is not None and lead is not None
            address = lead.email
            if not address:
                message.status, message.delivery_error = "failed", "the lead has no email address"
                report.failed[message.id] = message.delivery_error
                return
            reason = await suppression_reason(session, address)
            if reason is not None:
                message.status = "suppressed"
                message.reason = f"not sent: the address is on the suppression list ({reason})"
                report.suppressed.append(message.id)
                return
            if lead.status in STOPS_LEAD:
                message.status = "stopped"
                message.reason = f"not sent: the lead {lead.status} to an earlier message"
                report.stopped.append(message.id)
                return
            try:
                sender = sender_of(campaign, self.settings)
            except CampaignNotSendable as exc:
                message.delivery_error = str(exc)
                report.failed[message.id] = str(exc)
                return
            domain = address.rsplit("@", 1)[-1].lower()
            tz = timezone_named((lead.extra or {}).get("timezone"), self.settings.default_timezone)
            today = now.astimezone(dt.UTC).date()
            rules = await step_sending(
                session, message, campaign, self.limits, self.settings.default_country, today
            )
            if rules.paused:  # the lead's sequence is paused: look again later
                message.status, message.scheduled_for = "scheduled", now + PAUSED_RECHECK
                report.scheduled[message.id] = message.scheduled_for
                return
            if rules.mailbox is not None:  # the plan's mailbox: the thread stays in it
                sender = replace(sender, email=rules.mailbox)
            history = await self._history(session, sender.email, domain, now)
            when = next_send_time(
                now, tz=tz, limits=rules.limits, history=history, is_workday=rules.is_workday
            )
            if when > now:
                message.status, message.scheduled_for = "scheduled", when
                report.scheduled[message.id] = when
                return
            tone = await self._choose_tone(session, message, campaign)
            variant = next(v for v in message.variants if v["tone"] == tone)
            try:
                email = compose_email(
                    to=address,
                    sender=sender,
                    subject=variant.get("subject") or f"A note for {lead.company}",
                    body=variant["body"],
                    unsubscribe_url=self.links.url(message.id),
                    unsubscribe_mailto=None,
                    custom_args={
                        "outreach_message_id": str(message.id),
                        "campaign_id": str(campaign.id),
                        "tone": tone,
                        "idempotency_key": delivery_key(message),
                    },
                    message_domain=sender.email.rsplit("@", 1)[-1],
                    in_reply_to=rules.in_reply_to,
                    references=rules.references,
                    message_id_left=self.links.header_id(delivery_key(message)),
                )
            except ValueError as exc:  # e.g. an address or subject no mail server would take
                message.status, message.delivery_error = "failed", f"not sent: {exc}"
                report.failed[message.id] = message.delivery_error
                return
            message.selected_variant = tone
            message.mailbox, message.recipient_domain = sender.email, domain
            message.sending_until = now + self.lease
            run_id, step = message.run_id, message.sequence_step
        if wait := await self.pacer.wait_before(sender.email):  # the cap, at the provider
            async with self.db.write_lock, self.db.sessions.begin() as session:
                held = await session.get(MessageRow, message_id, with_for_update=True)
                assert held is not None
                held.status, held.scheduled_for = "scheduled", now + wait
                held.sending_until = None
                report.scheduled[message_id] = now + wait
            return
        await self._send(message_id, run_id, email, report, step)

    async def _send(
        self,
        message_id: int,
        run_id: str,
        email: OutgoingEmail,
        report: DispatchReport,
        step: int = 0,
    ) -> None:
        key = email.custom_args["idempotency_key"]
        tone = email.custom_args["tone"]

        async def send() -> Receipt:
            return Receipt(self.provider.name, await self.provider.send(email), tone)

        lag = self.settings.delivery_reconcile_after_s
        look_up = LookUp.of(self.provider, to=email.to, body=email.text, lag_s=lag)
        provider_id: str | None = None
        error: DeliveryError | None = None
        try:
            outcome = await send_once(
                self.ledger,
                key,
                run_id=run_id,
                channel="email",
                recipient=email.to,
                owner=f"message:{message_id}",
                approved=True,
                tone=tone,
                send=send,
                step=step,
                look_up=look_up,
            )
        except DeliveryUnavailable as exc:
            error = SendUnsettled.unanswered(exc, look_up) if exc.unanswered else exc
        except DeliveryRejected as exc:
            error = exc
        else:
            if outcome.receipt is not None:  # sent now, or by an earlier attempt
                provider_id = outcome.receipt.message_id
                # An earlier attempt found in the provider's log may have sent another draft.
                sent_tone = outcome.receipt.tone or tone
                email = replace(email, custom_args={**email.custom_args, "tone": sent_tone})
            elif outcome.state == "taken":
                error = DeliveryRejected("ledger", unsent_reason(outcome, email.to))
            else:  # cut off earlier: its log will tell (checked again later), or a person
                error = SendUnsettled.of(outcome, self.provider.name, look_up)
        await self._record(message_id, email, provider_id, error, report)

    async def _record(
        self,
        message_id: int,
        email: OutgoingEmail,
        provider_id: str | None,
        error: DeliveryError | None,
        report: DispatchReport,
    ) -> None:
        now = self.clock()
        async with self.db.write_lock, self.db.sessions.begin() as session:
            message = await session.get(MessageRow, message_id, with_for_update=True)
            assert message is not None
            message.sending_until = None
            if provider_id is None and message.sent_at is not None:
                return  # another sender sent it meanwhile: its record stands
            if provider_id is not None:
                if message.status in DUE_STATUSES:  # a fast webhook may have moved it on
                    message.status = "sent"
                message.selected_variant = email.custom_args["tone"]
                message.sent_at = now
                message.provider_message_id = provider_id
                message.email_message_id = email.message_id_header
                message.scheduled_for = message.delivery_error = None
                message.idempotency_key = email.custom_args["idempotency_key"]
                message.version += 1
                await count_send(session, message, email.custom_args["tone"])
                session.add(
                    EventRow(
                        type="sent",
                        campaign_id=message.campaign_id,
                        message_id=message.id,
                        payload={"provider": self.provider.name, "tone": email.custom_args["tone"]},
                    )
                )
                report.sent.append(message.id)
            elif isinstance(error, DeliveryUnavailable) or getattr(error, "retry_after", None):
                wait = getattr(error, "retry_after", None) or RETRY_AFTER
                message.status, message.scheduled_for = "scheduled", now + wait
                message.delivery_error = str(error)
                report.scheduled[message.id] = now + wait
            else:
                message.status, message.delivery_error = "failed", str(error)
                report.failed[message.id] = str(error)

    async def _history(
        self, session: AsyncSession, mailbox: str, domain: str, now: dt.datetime
    ) -> MailboxHistory:
        day_start = dt.datetime.combine(now.astimezone(dt.UTC).date(), dt.time(0), tzinfo=dt.UTC)
        today = await sent_since(session, mailbox=mailbox, since=day_start)
        last = await last_send_from(session, mailbox=mailbox)
        last_domain = await last_send_to_domain(session, domain=domain)
        return MailboxHistory(
            sent_today=today or 0, last_sent=_aware(last), last_sent_to_domain=_aware(last_domain)
        )

    async def _choose_tone(
        self, session: AsyncSession, message: MessageRow, campaign: CampaignRow
    ) -> str:
        """Keep a reviewer's choice; else pick by the campaign's allocation among good drafts."""
        tones = [str(v["tone"]) for v in message.variants]
        chosen = message.selected_variant or tones[0]
        chosen = chosen if chosen in tones else tones[0]
        reviewed = any(r.get("action") in ("approve", "edit") for r in message.reviews or [])
        policy = campaign_allocation(campaign)
        passing = [
            v["tone"] for v in message.variants if (v.get("quality") or {}).get("passed", True)
        ]
        if reviewed or policy == "best" or len(passing) < 2:
            return chosen
        if message.sequence_step > 0:  # a thread keeps the voice its first message had
            first = await current_message(
                session, campaign_id=message.campaign_id, lead_id=message.lead_id
            )
            voice = first.selected_variant if first is not None else None
            if voice is not None and voice in passing:
                return voice
        rows = {
            row.tone: row for row in await campaign_tone_stats(session, campaign_id=campaign.id)
        }
        arms = [ArmCounts.from_counters(tone, _counters(rows.get(tone))) for tone in passing]
        index = sum(arm.sent for arm in arms)
        return allocate("bandit" if policy == "bandit" else "fixed", arms, self._rng, index)


def _counters(row: CampaignToneStatRow | None) -> dict[str, int]:
    return {k: getattr(row, k) or 0 for k in COUNTER_NAMES} if row is not None else {}
