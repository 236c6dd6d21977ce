"""A dry-run outbox: messages are written to a JSONL file and nothing leaves the machine."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tools.delivery.email_message import OutgoingEmail
from tools.delivery.providers import SentRecord
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
        self._load()

    def _load(self) -> None:
        """Read the keys already in the file (another process, or an earlier run, wrote them)."""
        if not self.path.exists():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:  # blank, or the last line of a process killed mid-write
                continue
            self._sent[record["idempotency_key"]] = Delivery.model_validate(record["delivery"])

    can_look_up = True
    """The outbox file is its own log: a cut-off write is found there, or it is not."""

    async def find_sent(self, key: str, *, to: str, body: str, since: datetime) -> SentRecord:
        """Look the key up in the outbox file (as another process may have written it)."""
        async with self._lock:
            if key not in self._sent:
                self._load()
            delivery = self._sent.get(key)
        return (
            SentRecord("absent") if delivery is None else SentRecord("found", delivery.message_id)
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
                # A process killed mid-write left half a line: start a fresh one after it.
                torn = handle.tell() > 0 and not _ends_with_newline(self.path)
                handle.write(("\n" if torn else "") + json.dumps(record, ensure_ascii=False) + "\n")
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


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) == b"\n"
