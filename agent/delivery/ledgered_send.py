"""The one way a message leaves, whoever sends it: claim its key in the send ledger, call the
provider at most once, and record the provider's answer.

The pipeline's outbox (a lead sent from inside a run) and the campaign dispatcher (approved
messages sent within the mailbox's limits) both go through `send_once`; they differ only in
what they do before (compose, pace) and with the outcome (raise, or record on the message).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from storage.deliveries import Claim, DeliveryLedger
from storage.models import MessageRow
from tools.delivery.providers import (
    DeliveryError,
    DeliveryUnavailable,
    SentLog,
    SentRecord,
    sent_log,
)

HAND_TO_A_PERSON_AFTER = dt.timedelta(days=1)
"""A send whose provider's log stays unreadable this long is held for a person."""


@dataclass(frozen=True)
class LookUp:
    """How to settle a send cut off mid-call: the provider's log, and how far it may lag."""

    log: SentLog
    to: str
    body: str
    lag: dt.timedelta
    """The log is trusted to have no trace of an attempt only this long after it began."""

    async def __call__(self, key: str, since: dt.datetime) -> SentRecord:
        return await self.log.find_sent(key, to=self.to, body=self.body, since=since)

    @classmethod
    def of(cls, provider: object, *, to: str, body: str, lag_s: float) -> LookUp | None:
        """How to look this send up in the provider's log; None when it keeps no such log."""
        log = sent_log(provider)
        if log is None:
            return None
        return cls(log, to, body, dt.timedelta(seconds=lag_s))

    @property
    def patience(self) -> dt.timedelta:
        """How long the log may stay unreadable before a person is asked instead."""
        return max(HAND_TO_A_PERSON_AFTER, 2 * self.lag)

    @property
    def recheck(self) -> dt.timedelta:
        """How soon to ask the log again about an attempt it could not settle yet."""
        return min(self.lag, dt.timedelta(minutes=5))


class SendUnsettled(DeliveryError):
    """An attempt was cut off mid-call, or never answered: the provider may have the message.
    `retry_after`: its log will tell, so ask again then; None: only a person can tell."""

    outcome = "may have taken"

    def __init__(self, provider: str, detail: str, *, retry_after: dt.timedelta | None) -> None:
        super().__init__(provider, detail)
        self.retry_after = retry_after

    @classmethod
    def unanswered(cls, error: DeliveryUnavailable, look_up: LookUp | None) -> SendUnsettled:
        """A send the provider never answered: look it up in its log later, or hold it."""
        if look_up is not None:
            detail = f"{error.detail}; its log is checked before any new attempt"
            return cls(error.provider, detail, retry_after=look_up.recheck)
        detail = f"{error.detail}; check its log before sending it again"
        return cls(error.provider, detail, retry_after=None)

    @classmethod
    def of(cls, outcome: SendOutcome, provider: str, look_up: LookUp | None) -> SendUnsettled:
        """An interrupted or checking outcome, as an error for the message's record."""
        why = unsent_reason(outcome, "")
        if outcome.state == "checking" and look_up is not None:
            return cls(provider, why, retry_after=look_up.recheck)
        return cls(provider, why, retry_after=None)


@dataclass(frozen=True)
class Receipt:
    """What the provider answered: who took the message, its id there, and the draft's tone."""

    provider: str
    message_id: str
    tone: str


@dataclass(frozen=True)
class SendOutcome:
    """What became of one send.

    sent: the provider took it now; sent_before: an earlier attempt delivered it (the receipt is
    that one's, from the ledger or found in the provider's log); taken: another message owns
    this recipient (`owner`); interrupted: an earlier attempt died before the provider answered,
    so it may or may not have gone out, and only a person can tell; checking: the same, but the
    provider's log will tell: try again later.
    """

    state: Literal["sent", "sent_before", "taken", "interrupted", "checking"]
    receipt: Receipt | None = None
    owner: str | None = None


async def send_once(
    ledger: DeliveryLedger,
    key: str,
    *,
    run_id: str,
    channel: str,
    recipient: str,
    owner: str,
    approved: bool,
    tone: str,
    send: Callable[[], Awaitable[Receipt]],
    step: int = 0,
    look_up: LookUp | None = None,
) -> SendOutcome:
    """Send through `send` at most once per key, whatever crashes in between; `step` is the
    message's place in its campaign's sequence (one send per recipient and step).

    A provider error propagates after the ledger marks the key failed (a later attempt may try
    again); a cancellation leaves it pending, so it reads as interrupted. With `look_up`, an
    interrupted attempt is settled from the provider's log: found there, it is recorded as
    sent (with the draft that attempt sent); absent once the log has had time to show it, it is
    sent now (once, whoever asks); a log that cannot tell for a day hands it to a person.
    """
    claim = await ledger.claim(
        key,
        run_id=run_id,
        channel=channel,
        recipient=recipient,
        owner=owner,
        approved=approved,
        step=step,
        checkable=look_up is not None,
        tone=tone,
    )
    if claim.state == "interrupted" and look_up is not None:
        settled = await _settle_from_log(ledger, key, claim, look_up, tone)
        if settled is not None:
            return settled
        claim = Claim("retry")
    if claim.state == "sent":
        earlier = Receipt(
            provider=claim.provider or "unknown",
            message_id=claim.provider_message_id or "",
            tone=claim.tone or tone,
        )
        return SendOutcome("sent_before", receipt=earlier)
    if claim.state == "taken":
        return SendOutcome("taken", owner=claim.owner)
    if claim.state == "interrupted":
        return SendOutcome("interrupted")
    async with ledger.sending(key):
        receipt = await send()
    await ledger.confirm(
        key, provider=receipt.provider, message_id=receipt.message_id, tone=receipt.tone
    )
    return SendOutcome("sent", receipt=receipt)


async def _settle_from_log(
    ledger: DeliveryLedger, key: str, claim: Claim, look_up: LookUp, tone: str
) -> SendOutcome | None:
    """Settle an interrupted attempt from the provider's log; None: send now (it is ours)."""
    if claim.attempted_at is None:  # another process is sending it this very moment
        return SendOutcome("checking")
    record = await look_up(key, claim.attempted_at)
    if record.state == "found":
        provider = str(getattr(look_up.log, "name", "provider"))
        receipt = Receipt(provider, record.message_id or "", claim.tone or tone)
        await ledger.found_uncertain(
            key, provider=provider, message_id=receipt.message_id, tone=receipt.tone
        )
        return SendOutcome("sent_before", receipt=receipt)
    now = dt.datetime.now(dt.UTC)
    settled = record.state == "absent" and now >= claim.attempted_at + look_up.lag
    if settled and await ledger.retry_uncertain(key, attempts=claim.attempts, tone=tone):
        return None
    if now >= claim.attempted_at + look_up.patience:
        why = f"the provider's log could not tell whether it went out ({record.state})"
        await ledger.hold_uncertain(key, why=why)
        return SendOutcome("interrupted")
    return SendOutcome("checking")


def unsent_reason(outcome: SendOutcome, recipient: str) -> str:
    """Why a send that got no receipt did not go out now (taken, interrupted or checking)."""
    if outcome.state == "taken":
        return (
            f"{recipient} already got this step of the campaign ({outcome.owner}); not sent again"
        )
    if outcome.state == "checking":
        return (
            "an earlier attempt was cut off before the provider answered; looking it up in "
            "the provider's log before sending it again"
        )
    return (
        "an earlier attempt was cut off before the provider answered; check the provider's "
        "log before sending it again"
    )


def delivery_key(message: MessageRow) -> str:
    """Return the ledger key of a message (the run's key when the pipeline made one)."""
    return (
        message.idempotency_key or hashlib.sha256(f"message:{message.id}".encode()).hexdigest()[:32]
    )
