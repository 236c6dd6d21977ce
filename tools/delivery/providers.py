"""What every email provider offers (send one email, get its id) and the two ways sending fails.

`DeliveryRejected` is permanent: the same request would fail again (bad key, invalid message,
refused recipient), so it is never retried. `DeliveryUnavailable` is transient (rate limits,
server errors, timeouts, refused connections, SMTP 4xx replies): try again later.
"""

from __future__ import annotations

from typing import Protocol

from tools.delivery.email_message import OutgoingEmail


class DeliveryError(Exception):
    """A provider did not accept an email; `str()` names the provider, the status and why."""

    outcome = "failed to take"

    def __init__(self, provider: str, detail: str, *, status: int | None = None) -> None:
        self.provider = provider
        self.status = status
        self.detail = detail
        code = "" if status is None else f" ({status})"
        super().__init__(f"{provider} {self.outcome} the email{code}: {detail}")


class DeliveryRejected(DeliveryError):
    """Permanent failure: fix the message, the recipient or the configuration; do not retry."""

    outcome = "rejected"


class DeliveryUnavailable(DeliveryError):
    """Transient failure: the provider could not take the email now; try again later."""

    outcome = "could not take"


class EmailProvider(Protocol):
    """Something that sends an `OutgoingEmail` and returns the provider's id for it."""

    name: str

    async def send(self, email: OutgoingEmail) -> str:
        """Send the email; raise DeliveryRejected or DeliveryUnavailable when it is not taken."""
        ...
