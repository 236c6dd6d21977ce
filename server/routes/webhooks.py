"""Webhooks SendGrid calls: the Event Webhook (delivery, opens, clicks, bounces) and Inbound Parse.

They are mounted without the API key: the Event Webhook proves itself with its ECDSA signature;
Inbound Parse cannot be signed (see `inbound`). SendGrid retries a request answered with a
non-2xx status, so only a request that is not SendGrid's (bad signature) or not understandable
(bad body) is refused; an event about a message we do not know is counted and skipped.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import logging
from collections.abc import Mapping
from email import message_from_string, policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import HeaderParser
from itertools import zip_longest
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agent.replies.inbound import InboundReply, Recorded, external_id, record_inbound_reply, row_id
from agent.settings import Settings
from server.json_depth import check_json_depth
from server.problems import Problem
from storage.engagement import (
    Engagement,
    Occurrence,
    in_lists,
    record_engagements,
)
from storage.messages import messages_by_ids
from storage.models import MessageRow
from tools.delivery.sendgrid_signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify_sendgrid_signature,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
log = logging.getLogger("outreach.server.webhooks")

SENDGRID_EVENTS: dict[str, Engagement] = {
    "delivered": "delivered",
    "open": "opened",
    "click": "clicked",
    "bounce": "bounced",
    "dropped": "failed",
    "spamreport": "complained",
    "unsubscribe": "unsubscribed",
    "group_unsubscribe": "unsubscribed",
}
"""SendGrid event → engagement; others (processed, deferred, group_resubscribe) are ignored."""
CUSTOM_ARG = "outreach_message_id"
"""The custom arg every email carries with its MessageRow id (echoed in each event)."""
EVENT_DETAILS = (
    "event", "sg_event_id", "sg_message_id", "reason", "status", "type", "bounce_classification",
    "url", "response", "attempt",
)  # fmt: skip
"""What an event's payload keeps (not the address, IP or user agent)."""


class EventSummary(BaseModel):
    """What one Event Webhook request did."""

    received: int = 0
    applied: int = 0
    duplicates: int = 0
    """Events recorded before (SendGrid retries and replays)."""
    unmatched: int = 0
    """Events about no message we know (sent by another system, or since erased)."""
    ignored: int = 0
    """Event types that change nothing here (processed, deferred, group_resubscribe, unknown)."""


class InboundResult(BaseModel):
    """What an Inbound Parse post did."""

    matched: bool
    message_id: int | None = None
    recorded: Recorded | None = None


def _timestamp(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _provider_ids(event: dict[str, Any]) -> set[str]:
    """Return the stored provider ids an event's `sg_message_id` may match."""
    sg_id = event.get("sg_message_id")
    if not isinstance(sg_id, str) or not sg_id:
        return set()
    # sg_message_id is "<X-Message-Id>.filter…": the stored X-Message-Id is its prefix.
    return {sg_id, sg_id.split(".filter", 1)[0], sg_id.split(".", 1)[0]}


async def _event_messages(
    session: AsyncSession, events: list[dict[str, Any]]
) -> list[MessageRow | None]:
    """Find each event's message (by our custom arg, else by SendGrid's id).

    One query per thousand events. Recording the events locks the messages (and, for a reply,
    bounce or opt-out, the lead's sequence rows) up front in one order (storage/lock_order.py),
    so concurrent batches and the sequence scheduler cannot deadlock with each other.
    """
    row_ids = [row_id(event.get(CUSTOM_ARG)) for event in events]
    provider_ids = [_provider_ids(event) for event in events]
    wanted_ids = sorted({i for i in row_ids if i is not None})
    wanted_provider = sorted(set().union(*provider_ids)) if provider_ids else []
    by_id: dict[int, MessageRow] = {}
    for ids, provider in zip_longest(in_lists(wanted_ids), in_lists(wanted_provider)):
        rows = await messages_by_ids(session, ids=ids or [], provider_ids=provider or [])
        by_id.update((row.id, row) for row in rows)
    by_provider: dict[str, MessageRow] = {}
    for row in sorted(by_id.values(), key=lambda r: r.id, reverse=True):
        if row.provider_message_id:
            by_provider[row.provider_message_id] = row  # the oldest message wins a shared id
    found: list[MessageRow | None] = []
    for number, candidates in zip(row_ids, provider_ids, strict=True):
        message = by_id.get(number) if number is not None else None
        if message is None:  # every candidate is a prefix of sg_message_id: the longest wins
            message = next(
                (
                    by_provider[c]
                    for c in sorted(candidates, key=len, reverse=True)
                    if c in by_provider
                ),
                None,
            )
        found.append(message)
    return found


def _occurrence(event: dict[str, Any], kind: Engagement, message: MessageRow) -> Occurrence:
    raw_id = event.get("sg_event_id")
    if not isinstance(raw_id, str) or not raw_id:  # SendGrid always sends one; be safe anyway
        raw_id = hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()
    details = {key: event[key] for key in EVENT_DETAILS if key in event}
    return Occurrence(
        message,
        kind,
        external_id=external_id(raw_id),
        payload={"provider": "sendgrid", **details},
        occurred_at=_timestamp(event.get("timestamp")),
    )


def _kind(event: dict[str, Any]) -> Engagement | None:
    if event.get("event") == "bounce" and event.get("type") == "blocked":
        return "failed"  # refused for reputation or content: the address itself may be fine
    return SENDGRID_EVENTS.get(str(event.get("event")))


async def _apply_events(session: AsyncSession, events: list[dict[str, Any]]) -> EventSummary:
    summary = EventSummary(received=len(events))
    relevant = [(event, kind) for event in events if (kind := _kind(event)) is not None]
    summary.ignored = len(events) - len(relevant)
    messages = await _event_messages(session, [event for event, _ in relevant])
    occurrences = [
        _occurrence(event, kind, message)
        for (event, kind), message in zip(relevant, messages, strict=True)
        if message is not None
    ]
    summary.unmatched = len(relevant) - len(occurrences)
    results = await record_engagements(session, occurrences)
    summary.applied = sum(results)
    summary.duplicates = len(results) - summary.applied
    return summary


def refuse_before_reading(settings: Settings, headers: Mapping[str, str]) -> Problem | None:
    """Return why an Event Webhook request is refused before its body is read, if it is.

    503 while no verification key is configured, 403 without the signature headers: neither
    needs the body, so the request gate (server/request_gate.py) answers them unread.
    """
    if not settings.sendgrid_webhook_public_key:
        return Problem(
            503,
            "the SendGrid event webhook is not configured: turn on Signed Event Webhook in "
            "SendGrid and set OUTREACH_SENDGRID_WEBHOOK_PUBLIC_KEY to its verification key",
            title="Service unavailable",
        )
    missing = [name for name in (SIGNATURE_HEADER, TIMESTAMP_HEADER) if not headers.get(name)]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        return Problem(403, f"the request is not signed: {' and '.join(missing)} {verb} missing")
    return None


EVENT_BATCH_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "event": {"type": "string"},
            "sg_event_id": {"type": "string"},
            "sg_message_id": {"type": "string"},
            CUSTOM_ARG: {"type": "string"},
            "timestamp": {"type": "integer"},
            "email": {"type": "string"},
            "type": {"type": "string"},
            "reason": {"type": "string"},
        },
    },
}
"""The body SendGrid posts (documented here: the route reads the raw bytes it verifies)."""


@router.post(
    "/sendgrid",
    response_model=EventSummary,
    summary="SendGrid Event Webhook",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": EVENT_BATCH_SCHEMA}},
        },
        "parameters": [
            {"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
            for name in (SIGNATURE_HEADER, TIMESTAMP_HEADER)
        ],
    },
)
async def sendgrid_events(request: Request) -> EventSummary:
    """Apply a signed batch of SendGrid events to the messages they are about.

    Configure SendGrid's Event Webhook with this URL and Signed Event Webhook on, and set
    OUTREACH_SENDGRID_WEBHOOK_PUBLIC_KEY to its verification key. Each event is applied once
    (by `sg_event_id`), so retries and replays change nothing; statuses only move forward.
    A batch may be up to 5 MB, nested at most 64 levels deep.
    """
    settings = request.app.state.settings
    refused = refuse_before_reading(settings, request.headers)
    if refused is not None:
        raise refused
    body = await request.body()
    signature = request.headers[SIGNATURE_HEADER]
    timestamp = request.headers[TIMESTAMP_HEADER]
    max_age = settings.sendgrid_webhook_max_age_s or None
    public_key = settings.sendgrid_webhook_public_key
    if not verify_sendgrid_signature(public_key, body, signature, timestamp, max_age_s=max_age):
        raise Problem(
            403, "the signature does not match the body and verification key, or is too old"
        )
    check_json_depth(body)  # whatever the Content-Type says: json.loads reads it next
    try:
        events = json.loads(body)
    except ValueError:
        raise Problem(400, "the body is not JSON; expected an array of SendGrid events") from None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise Problem(400, "expected a JSON array of SendGrid event objects")
    db = request.app.state.db
    for attempt in range(2):
        try:
            async with db.write_lock, db.sessions.begin() as session:
                summary = await _apply_events(session, events)
            break
        except IntegrityError:  # a concurrent request recorded some of these event ids first
            if attempt:
                raise
    if summary.unmatched:
        log.info("sendgrid webhook: %d event(s) about unknown messages", summary.unmatched)
    return summary


def _text_field(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


INBOUND_FIELDS = ("headers", "email", "text", "html", "from", "to", "envelope", "subject")


def _decoded(value: str) -> str:
    """A header's text with its encoded words (=?utf-8?q?...?=) decoded, as far as they can be."""
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, UnicodeError, ValueError, TypeError):
        return value


def _body_part(full: Message, subtype: str) -> str:
    """The message's text or HTML body, decoded; an unknown or lying charset is decoded with
    replacement characters (the classifier then says it could not read it), never a 5xx."""
    try:
        part = full.get_body((subtype,))  # type: ignore[attr-defined]
    except (AttributeError, LookupError, ValueError):
        return ""
    if part is None:
        return ""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


INBOUND_FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in INBOUND_FIELDS},
}
"""The form SendGrid posts (parsed mode: headers, text...; raw mode: the whole MIME `email`)."""


@router.post(
    "/inbound",
    response_model=InboundResult,
    summary="SendGrid Inbound Parse",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": INBOUND_FORM_SCHEMA}},
        }
    },
)
async def inbound(request: Request) -> InboundResult:
    """Record a reply received through SendGrid Inbound Parse (parsed or raw mode).

    The reply is matched to the message it answers by In-Reply-To/References (our Message-ID),
    else by a `replies+<message id>@` reply-to address when it comes from the lead's address.
    A reply stops the lead's other unsent messages; an automatic reply (out of office) is only
    logged as an `auto_reply` event. Posting the same reply again changes nothing.

    Inbound Parse requests cannot be signed: configure the Parse URL with a long random path
    segment or query, or basic auth at the reverse proxy, since anyone who knows the URL can
    post here. An unmatched reply answers 200 `{"matched": false}` so SendGrid does not retry.
    """
    async with request.form(max_part_size=30 * 1024 * 1024) as form:  # closes attachments
        fields = {name: _text_field(form, name) for name in INBOUND_FIELDS}
    raw_headers, raw_email = fields["headers"], fields["email"]
    text, html = fields["text"], fields["html"]
    if not raw_headers and not raw_email:
        raise Problem(400, "expected SendGrid Inbound Parse form data with a 'headers' field")
    if raw_headers:
        headers: Message = HeaderParser().parsestr(raw_headers)
    else:  # SendGrid's "post the raw, full MIME message" mode
        # Headers as sent (compat32: a malformed Cc or Reply-To is text, not a parser crash);
        # the modern parser only for the bodies, which it decodes.
        headers = HeaderParser().parsestr(raw_email, headersonly=True)
        full = message_from_string(raw_email, policy=policy.default)
        text, html = _body_part(full, "plain"), _body_part(full, "html")
    sender = email.utils.parseaddr(fields["from"] or headers.get("From") or "")[1]
    try:
        occurred_at: dt.datetime | None = email.utils.parsedate_to_datetime(headers["Date"] or "")
        if occurred_at is not None:  # stored in UTC: SQLite keeps no offset
            occurred_at = (
                occurred_at.replace(tzinfo=dt.UTC)
                if occurred_at.tzinfo is None
                else occurred_at.astimezone(dt.UTC)
            )
    except (TypeError, ValueError, IndexError, OverflowError):  # an unreadable Date header
        occurred_at = None
    now = request.app.state.clock()
    if occurred_at is not None and occurred_at > now:  # a sender's clock, or a forged Date,
        occurred_at = now  # never moves what is done about the reply into the future
    reply = InboundReply(
        headers=headers,
        text=text,
        sender=sender,
        to=" ".join([fields["to"], headers.get("To") or "", fields["envelope"]]),
        subject=fields["subject"] or _decoded(headers.get("Subject") or ""),
        raw=raw_headers or raw_email,
        occurred_at=occurred_at,
        html=html,
    )
    outcome = await record_inbound_reply(
        request.app.state.db,
        reply,
        settings=request.app.state.settings,
        model=getattr(request.app.state, "reply_model", None),
    )
    if not outcome.matched:
        return InboundResult(matched=False)
    return InboundResult(matched=True, message_id=outcome.message_id, recorded=outcome.recorded)
