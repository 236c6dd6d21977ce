"""A send queue: the pipeline's send step hands the chosen message over instead of sending.

The REST API's campaigns use it. A message the pipeline (or a reviewer) approves is stored as
`approved`; the campaign's dispatcher sends it once the campaign is active, within the
mailbox's daily cap, gaps and the recipient's business hours.
"""

from __future__ import annotations

from tools.delivery.receipt import Delivery


class SendQueue:
    """Accept every message as approved; nothing is sent here."""

    provider = "send-queue"

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
        """Return an approval receipt for the message."""
        return Delivery(
            provider=self.provider,
            message_id="",
            tone=tone,
            recipient=recipient,
            idempotency_key=idempotency_key,
            state="approved",
        )
