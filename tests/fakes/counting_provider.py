"""A delivery provider that accepts every call and counts them: no de-duplication of its own.

The dry-run outbox ignores a key it has seen, which would hide a double send; this fake
does not, so "sent once" assertions really test the ledger.
"""

from __future__ import annotations

from typing import Any

from tools.delivery.receipt import Delivery


class CountingProvider:
    """Record every message handed over, and answer like a provider that accepted it."""

    provider = "counting"

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def deliver(self, **message: Any) -> Delivery:
        """Accept the message."""
        self.calls.append(message)
        return Delivery(
            provider=self.provider,
            message_id=f"msg-{len(self.calls)}",
            tone=message["tone"],
            recipient=message["recipient"],
        )

    def to(self, recipient: str | None) -> list[dict[str, Any]]:
        """Return the calls addressed to a recipient."""
        return [call for call in self.calls if call["recipient"] == recipient]
