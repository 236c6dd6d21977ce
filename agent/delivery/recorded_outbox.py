"""An outbox that writes each message's idempotency key to the database before sending."""

from __future__ import annotations

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
        claim = await self.ledger.claim(
            idempotency_key,
            run_id=str(metadata.get("run", "")),
            channel=channel,
            recipient=recipient,
            owner=str(metadata.get("lead_ref", recipient)),
            approved=bool(metadata.get("approved_by")),
        )
        if claim.state == "taken":
            raise AlreadyContacted(
                f"{recipient} was already contacted in this campaign ({claim.owner}); "
                "a lead gets one message per campaign"
            )
        if claim.state == "sent":
            return Delivery(
                provider=claim.provider or "unknown",
                message_id=claim.provider_message_id or "",
                tone=claim.tone or tone,
                recipient=recipient,
                duplicate=True,
            )
        if claim.state == "interrupted":
            raise DeliveryInterrupted(
                "an earlier attempt to send this message was cut off before the provider "
                "answered, so it may or may not have gone out; check the provider's log, then "
                "reject this item if it went out, or approve it to send it again"
            )
        async with self.ledger.sending(idempotency_key):
            delivery = await self.inner.deliver(
                idempotency_key=idempotency_key,
                recipient=recipient,
                channel=channel,
                tone=tone,
                subject=subject,
                body=body,
                metadata=metadata,
            )
        await self.ledger.confirm(
            idempotency_key,
            provider=delivery.provider,
            message_id=delivery.message_id,
            tone=delivery.tone,
        )
        return delivery
