"""A dry-run outbox: messages are written to a JSONL file and nothing leaves the machine."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tools.delivery.email_message import OutgoingEmail
from tools.delivery.receipt import Delivery
from tools.facts import utc_now


class DryRunOutbox:
    """Append each message once (per idempotency key) to an outbox file."""

    provider = "dry-run"
    name = "dry-run"

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        self.path = path
        self._clock = clock
        self._lock = asyncio.Lock()
        self._sent: dict[str, Delivery] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    self._sent[record["idempotency_key"]] = Delivery.model_validate(
                        record["delivery"]
                    )

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
        """Write the message unless this key was already delivered."""
        async with self._lock:
            if idempotency_key in self._sent:
                return self._sent[idempotency_key].model_copy(update={"duplicate": True})
            message_id = "dryrun-" + hashlib.sha1(idempotency_key.encode()).hexdigest()[:16]
            delivery = Delivery(
                provider=self.provider,
                message_id=message_id,
                tone=tone,
                recipient=recipient,
                location=str(self.path),
            )
            record = {
                "idempotency_key": idempotency_key,
                "queued_at": self._clock().isoformat(),
                "channel": channel,
                "to": recipient,
                "subject": subject,
                "body": body,
                "metadata": metadata,
                "delivery": delivery.model_dump(),
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._sent[idempotency_key] = delivery
            return delivery

    async def send(self, email: OutgoingEmail) -> str:
        """Write a composed email (the REST API's sender uses providers this way)."""
        delivery = await self.deliver(
            idempotency_key=email.custom_args.get("idempotency_key", email.message_id_header),
            recipient=email.to,
            channel="email",
            tone=email.custom_args.get("tone", ""),
            subject=email.subject,
            body=email.text,
            metadata={"from": email.sender.email, "headers": email.headers, **email.custom_args},
        )
        return delivery.message_id
