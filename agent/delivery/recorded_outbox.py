"""An outbox that writes each message's idempotency key to the database before sending.

The pipeline's side of the one delivery path (agent/delivery/ledgered_send.py).
"""

from __future__ import annotations

from agent.delivery.ledgered_send import Receipt, send_once
from graphs.context import AlreadyContacted, Outbox
from storage.deliveries import DeliveryLedger
from tools.delivery.receipt import Delivery


class DeliveryInterrupted(Exception):
    """An earlier attempt to send this message died before the provider's answer was stored."""


class RecordedOutbox:
    """Send through an inner outbox at most once per key, whatever crashes in between."""

    def __init__(self, inner: Outbox, ledger: DeliveryLedger) -> None:
        self.inner = inner
        self.ledger = ledger

    async def deliver(
        self,
        *,
        idempotency_key: str,
        recipient: str,
        channel: str,
        tone: str,
        subject: str | None,
        body: str,
        metadata: dict[str, object],
    ) -> Delivery:
        """Claim the key, send, then record the provider's message id (or the failure)."""
        delivered: list[Delivery] = []

        async def send() -> Receipt:
            delivery = await self.inner.deliver(
                idempotency_key=idempotency_key,
                recipient=recipient,
                channel=channel,
                tone=tone,
                subject=subject,
                body=body,
                metadata=metadata,
            )
            delivered.append(delivery)
            return Receipt(delivery.provider, delivery.message_id, delivery.tone)

        outcome = await send_once(
            self.ledger,
            idempotency_key,
            run_id=str(metadata.get("run", "")),
            channel=channel,
            recipient=recipient,
            owner=str(metadata.get("lead_ref", recipient)),
            approved=bool(metadata.get("approved_by")),
            tone=tone,
            send=send,
            step=int(str(metadata.get("sequence_step") or 0)),
        )
        if outcome.state == "taken":
            raise AlreadyContacted(
                f"{recipient} was already contacted in this campaign ({outcome.owner}); "
                "a lead gets one message per campaign"
            )
        if outcome.state == "interrupted":
            raise DeliveryInterrupted(
                "an earlier attempt to send this message was cut off before the provider "
                "answered, so it may or may not have gone out; check the provider's log, then "
                "reject this item if it went out, or approve it to send it again"
            )
        if outcome.state == "sent_before":
            assert outcome.receipt is not None
            return Delivery(
                provider=outcome.receipt.provider,
                message_id=outcome.receipt.message_id,
                tone=outcome.receipt.tone,
                recipient=recipient,
                duplicate=True,
            )
        return delivered[0]
