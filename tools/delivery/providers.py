"""What every email provider offers (send one email, get its id) and the two ways sending fails.

`DeliveryRejected` is permanent: the same request would fail again (bad key, invalid message,
refused recipient), so it is never retried. `DeliveryUnavailable` is transient (rate limits,
server errors, timeouts, refused connections, SMTP 4xx replies): try again later.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable
from urllib.parse import urlsplit

from tools.delivery.email_message import OutgoingEmail


class DeliveryError(Exception):
    """A provider did not accept an email; `str()` names the provider, the status and why."""

    outcome = "failed to take"

    def __init__(self, provider: str, detail: str, *, status: int | None = None) -> None:
        self.provider = provider
        self.status = status
        self.detail = detail
        code = "" if status is None else f" ({status})"
        super().__init__(f"{provider} {self.outcome} the message{code}: {detail}")


class DeliveryRejected(DeliveryError):
    """Permanent failure: fix the message, the recipient or the configuration; do not retry."""

    outcome = "rejected"


class DeliveryUnavailable(DeliveryError):
    """Transient failure: the provider could not take the email now; try again later.

    `unanswered`: the request reached the provider but no answer came back (a read timeout, a
    dropped connection), so it may have taken the message: trying again blindly could send it
    twice. Its log can tell (`SentLog`), or else a person."""

    outcome = "could not take"

    def __init__(
        self, provider: str, detail: str, *, status: int | None = None, unanswered: bool = False
    ) -> None:
        super().__init__(provider, detail, status=status)
        self.unanswered = unanswered


class EmailProvider(Protocol):
    """Something that sends an `OutgoingEmail` and returns the provider's id for it."""

    name: str

    async def send(self, email: OutgoingEmail) -> str:
        """Send the email; raise DeliveryRejected or DeliveryUnavailable when it is not taken."""
        ...


@dataclass(frozen=True)
class SentRecord:
    """What a provider's own log says of one send we lost track of (cut off mid-call).

    found: the provider took it (`message_id` is its id there); absent: the log has no trace of
    it; unknown: the log cannot be read now. A log can lag, so the caller trusts `absent` only
    once the attempt is old enough (OUTREACH_DELIVERY_RECONCILE_AFTER_S).
    """

    state: Literal["found", "absent", "unknown"]
    message_id: str | None = None


@runtime_checkable
class SentLog(Protocol):
    """A provider whose log of sent messages can be searched for one send."""

    @property
    def can_look_up(self) -> bool:
        """Whether this account's log can be searched (SendGrid's needs a paid add-on)."""
        ...

    async def find_sent(self, key: str, *, to: str, body: str, since: dt.datetime) -> SentRecord:
        """Look for the send with idempotency key `key` (to `to`, this body) made since then."""
        ...


def sent_log(provider: object) -> SentLog | None:
    """Return the provider as a searchable log of its sends, or None when it is not one."""
    if isinstance(provider, SentLog) and provider.can_look_up:
        return provider
    return None


def refuse_without_https_unsubscribe(email: OutgoingEmail, provider: str) -> None:
    """Raise DeliveryRejected unless the email's one-click unsubscribe link is https.

    compose_email lets plain http through for this machine (the dry-run outbox, demos); mail
    that leaves it must carry a link its recipient can use (RFC 8058), whatever built it."""
    header = email.headers.get("List-Unsubscribe", "")
    links = [link for link in re.findall(r"<([^<>]*)>", header) if "://" in link]
    if not links or any(urlsplit(link).scheme.lower() != "https" for link in links):
        shown = repr(links[0]) if links else "(none)"
        raise DeliveryRejected(
            provider,
            f"the unsubscribe link {shown} is not https: mail that leaves this machine needs an "
            "https one-click unsubscribe link (RFC 8058); set the server's public base URL "
            "(OUTREACH_PUBLIC_BASE_URL) to the https address recipients reach it at",
        )
