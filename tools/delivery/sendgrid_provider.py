"""Send through SendGrid's v3 Mail Send API with the official (synchronous) `sendgrid` library.

The library speaks urllib underneath: calls run in a worker thread, HTTP errors arrive as
`python_http_client` exceptions carrying the status, and network failures as raw
`urllib.error.URLError` / `OSError`. Both are mapped to DeliveryRejected / DeliveryUnavailable.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import json
import urllib.error
from typing import Any

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import CustomArg, From, Header, Mail, ReplyTo, To

from tools.delivery.email_message import OutgoingEmail
from tools.delivery.providers import (
    DeliveryRejected,
    DeliveryUnavailable,
    SentRecord,
    refuse_without_https_unsubscribe,
)

PROVIDER = "SendGrid"
# Request timeout, rate limit and server-side failures are worth another try later.
_TRANSIENT_STATUSES = {408, 429}


class SendGridProvider:
    """An EmailProvider for SendGrid; `host` points it at a fake in tests."""

    name = "sendgrid"

    def __init__(
        self,
        api_key: str,
        *,
        host: str = "https://api.sendgrid.com",
        timeout_s: float = 10.0,
        activity_api: bool = False,
    ) -> None:
        if not api_key:
            # The library would silently fall back to $SENDGRID_API_KEY.
            raise ValueError("a SendGrid API key is required")
        self._client = SendGridAPIClient(api_key=api_key, host=host.rstrip("/"))
        # SendGridAPIClient takes no timeout, and without one urllib waits forever. Clients built
        # for each call (client.mail.send) copy this attribute; urllib applies it to the connect
        # and to each socket read, not to the request as a whole.
        self._client.client.timeout = timeout_s
        self.activity_api = activity_api

    @property
    def can_look_up(self) -> bool:
        """Whether sends can be looked up (the account has the Email Activity API add-on)."""
        return self.activity_api

    async def find_sent(self, key: str, *, to: str, body: str, since: dt.datetime) -> SentRecord:
        """Search the Email Activity API for the email sent with this idempotency key (every
        email carries it as a custom arg); any failure to ask reads as unknown."""
        if not self.activity_api or '"' in key or "\\" in key:
            return SentRecord("unknown")
        query = f"unique_args['idempotency_key']=\"{key}\""
        try:
            response = await asyncio.to_thread(
                self._client.client.messages.get, query_params={"query": query, "limit": 10}
            )
            found = json.loads(response.body or b"{}").get("messages") or []
        except (HTTPError, OSError, http.client.HTTPException, ValueError, AttributeError):
            return SentRecord("unknown")
        for message in found:
            if isinstance(message, dict) and str(message.get("to_email", "")).lower() == to.lower():
                # msg_id is the events' sg_message_id: "<X-Message-Id>.filter…".
                return SentRecord("found", str(message.get("msg_id", "")).split(".", 1)[0])
        return SentRecord("absent")

    async def send(self, email: OutgoingEmail) -> str:
        """Send the email; return SendGrid's X-Message-Id (the `sg_message_id` prefix in events)."""
        refuse_without_https_unsubscribe(email, PROVIDER)
        mail = build_mail(email)
        try:
            response = await asyncio.to_thread(self._client.send, mail)
        except HTTPError as error:
            status = int(error.status_code)
            detail = f"{error.reason}: {_error_messages(error.body)}"
            if status in _TRANSIENT_STATUSES or status >= 500:
                raise DeliveryUnavailable(PROVIDER, detail, status=status) from error
            raise DeliveryRejected(PROVIDER, detail, status=status) from error
        except urllib.error.URLError as error:  # connection refused, DNS, connect timeout
            raise DeliveryUnavailable(PROVIDER, f"cannot reach the API: {error.reason}") from error
        except (OSError, http.client.HTTPException) as error:  # read timeout, dropped connection
            detail = f"no answer: {error or type(error).__name__}"
            raise DeliveryUnavailable(PROVIDER, detail, unanswered=True) from error
        # SendGrid always sends it; if it were missing, the email was still accepted, and
        # raising would only make the caller send it twice.
        return str(response.headers.get("X-Message-Id") or email.message_id_header)


def build_mail(email: OutgoingEmail) -> Mail:
    """Return the library's Mail object for the email (plain text, headers, custom_args)."""
    mail = Mail(
        from_email=From(email.sender.email, email.sender.name),
        to_emails=To(email.to),
        subject=email.subject,
        plain_text_content=email.text,
    )
    if email.sender.reply_to:
        mail.reply_to = ReplyTo(email.sender.reply_to)
    # The setters append one item each (a dict argument is not accepted despite the docs).
    for key, value in email.headers.items():
        mail.header = Header(key, value)
    for key, value in email.custom_args.items():
        mail.custom_arg = CustomArg(key, str(value))
    return mail


def _error_messages(body: Any) -> str:
    """Return the `errors[].message` texts of a SendGrid error body, or the raw body."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    try:
        errors = json.loads(text)["errors"]
        return "; ".join(str(e.get("message", e)) for e in errors) or text
    except (ValueError, KeyError, TypeError, AttributeError):
        return text[:300] or "no details"
