"""The one way a message leaves, whoever sends it: claim its key in the send ledger, call the
provider at most once, and record the provider's answer.

The pipeline's outbox (a lead sent from inside a run) and the campaign dispatcher (approved
messages sent within the mailbox's limits) both go through `send_once`; they differ only in
what they do before (compose, pace) and with the outcome (raise, or record on the message).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from storage.deliveries import DeliveryLedger


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
    that one's); taken: another message owns this recipient (`owner`); interrupted: an earlier
    attempt died before the provider answered, so it may or may not have gone out.
    """

    state: Literal["sent", "sent_before", "taken", "interrupted"]
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
) -> SendOutcome:
    """Send through `send` at most once per key, whatever crashes in between; `step` is the
    message's place in its campaign's sequence (one send per recipient and step).

    A provider error propagates after the ledger marks the key failed (a later attempt may try
    again); a cancellation leaves it pending, so it reads as interrupted.
    """
    claim = await ledger.claim(
        key,
        run_id=run_id,
        channel=channel,
        recipient=recipient,
        owner=owner,
        approved=approved,
        step=step,
    )
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
