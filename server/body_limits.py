"""How large a request body each route accepts, and a receive() that stops at the limit.

A body is refused with 413 by its Content-Length before any of it is read, or, when it comes
chunked, as soon as the bytes received pass the limit: the rest is never read, and the answer
closes the connection so the client stops sending.

Limits (decimal megabytes, as the messages say):
- JSON API bodies: 1 MB. A campaign or a review is a few kB.
- POST /leads (JSON import): 20 MB, the same leads a file upload may hold.
- POST /leads/import (file upload): the route's own 20 MB file limit plus room for the multipart
  framing, so a file just over 20 MB still gets the route's own answer.
- SendGrid Event Webhook: 5 MB. SendGrid posts batches of events, each a few hundred bytes.
- SendGrid Inbound Parse: 40 MB. SendGrid accepts mail up to 30 MB (message and attachments),
  posted as multipart form data with the parsed fields besides.
- Unsubscribe (POST /u/...): 10 kB. Mail clients send `List-Unsubscribe=One-Click`.
- Twilio's status callback and incoming texts: 64 kB. Twilio posts a form of about 20 fields
  (an incoming text is at most 1,600 characters, plus up to ten media URLs).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from server.routes.leads import MAX_UPLOAD_BYTES

MB = 1_000_000
API_JSON_LIMIT = 1 * MB
LEAD_IMPORT_LIMIT = MAX_UPLOAD_BYTES
LEAD_UPLOAD_LIMIT = MAX_UPLOAD_BYTES + 100_000
SENDGRID_EVENTS_LIMIT = 5 * MB
INBOUND_PARSE_LIMIT = 40 * MB
UNSUBSCRIBE_LIMIT = 10_000
TWILIO_WEBHOOK_LIMIT = 64_000

API_ROUTE_LIMITS: dict[tuple[str, str], int] = {
    ("POST", "/leads"): LEAD_IMPORT_LIMIT,
    ("POST", "/leads/import"): LEAD_UPLOAD_LIMIT,
    ("POST", "/webhooks/sendgrid"): SENDGRID_EVENTS_LIMIT,
    ("POST", "/webhooks/inbound"): INBOUND_PARSE_LIMIT,
    ("POST", "/webhooks/twilio/status"): TWILIO_WEBHOOK_LIMIT,
    ("POST", "/webhooks/twilio/inbound"): TWILIO_WEBHOOK_LIMIT,
}
"""Routes under the API prefix with a limit other than API_JSON_LIMIT, by method and path."""
UNSUBSCRIBE_PREFIX = "/u/"
CLOSE = {"Connection": "close"}


def size_text(size: int) -> str:
    """Return a byte count as people read it, to three figures: 1 MB, 20.1 MB, 2.35 MB, 10 kB."""
    if size >= MB:
        return f"{size / MB:.3g} MB"
    return f"{size / 1000:.3g} kB"


def body_limit(method: str, path: str, api_prefix: str) -> int:
    """Return how many body bytes a request to this route may carry."""
    path = path.rstrip("/") or "/"
    if path.startswith(UNSUBSCRIBE_PREFIX):
        return UNSUBSCRIBE_LIMIT
    if path.startswith(api_prefix + "/"):
        return API_ROUTE_LIMITS.get((method, path.removeprefix(api_prefix)), API_JSON_LIMIT)
    return API_JSON_LIMIT


class BodyTooLarge(HTTPException):
    """413: the body passed its route's limit. The answer closes the connection."""

    def __init__(self, limit: int, *, size: int | None = None) -> None:
        detail = f"the request body is larger than {size_text(limit)}, the limit for this endpoint"
        super().__init__(413, detail, headers=dict(CLOSE))
        self.limit = limit
        self.size = size
        """The body's declared size; None when it came chunked (only "over the limit" is known)."""


def within_limit(receive: Receive, limit: int) -> Receive:
    """Wrap receive() so that the message which takes the body past `limit` raises BodyTooLarge.

    The server does not read more of the body than the app asks for, so nothing past the limit
    (plus one chunk) is ever read. FastAPI answers the exception like any HTTPException.
    """
    taken = 0

    async def receive_within_limit() -> Message:
        nonlocal taken
        if taken > limit:
            raise BodyTooLarge(limit)
        message = await receive()
        if message["type"] == "http.request":
            taken += len(message.get("body", b""))
            if taken > limit:
                raise BodyTooLarge(limit)
        return message

    return receive_within_limit
