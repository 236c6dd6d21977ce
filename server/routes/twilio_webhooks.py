"""Webhooks Twilio calls for text messages: delivery status callbacks and incoming texts.

Both prove themselves with `X-Twilio-Signature`, an HMAC of the URL Twilio was given (the
public address, OUTREACH_PUBLIC_BASE_URL, plus path and query) and the form fields, keyed
with the account's auth token. Without a token configured they answer 503; without a
signature, or with one that does not match, 403. Only signed, form-encoded bodies of at most
64 kB are read (server/body_limits.py).

An incoming text is data, never an instruction: only the whole message being one of the
carrier keywords (STOP..., START..., HELP/INFO) changes what happens; anything else is
recorded as a reply.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import ImmutableMultiDict
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from agent.campaigns.stored import spec_of
from agent.replies.inbound import record_classified_reply, row_id
from agent.replies.reply_verdicts import classify_text_off_loop, verdict_payload
from agent.settings import Settings
from server.problems import Problem
from storage.engagement import Engagement, record_engagement
from storage.models import MAX_ROW_ID, CampaignRow, DeliveryRow, LeadRow, MessageRow
from storage.sequence_models import SequenceStepRow
from storage.suppressions import E164, suppress_phone, unsuppress_phone
from tools.delivery.sms import MESSAGE_ID_ARG
from tools.delivery.twilio_sms import error_text, suppression_for
from tools.replies import Intent

router = APIRouter(prefix="/webhooks/twilio", tags=["webhooks"])
log = logging.getLogger("outreach.server.twilio_webhooks")

STATUS_PATH = "/webhooks/twilio/status"
INBOUND_PATH = "/webhooks/twilio/inbound"
TWILIO_WEBHOOKS = (STATUS_PATH, INBOUND_PATH)
"""The routes' paths under the API prefix (the request gate checks their signature header)."""
SIGNATURE_HEADER = "X-Twilio-Signature"
FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 200
"""Twilio posts about 20 fields (and up to 10 media URLs with their types)."""
SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN = frozenset({"START", "UNSTOP", "YES"})
HELP = frozenset({"HELP", "INFO"})
DEFAULT_SENDER = "Outreach Architect"
SNIPPET_MAX = 500
XML = "application/xml"
StatusKind = Literal["delivered", "bounced", "failed", "unsubscribed"]


class StatusResult(BaseModel):
    """What a status callback did."""

    matched: bool
    message_id: int | None = None
    recorded: StatusKind | Literal["duplicate"] | None = None
    """The event recorded; None for statuses that change nothing (queued, sent...)."""


def refuse_before_reading(settings: Settings, headers: Mapping[str, str]) -> Problem | None:
    """Return why a Twilio webhook request is refused before its body is read, if it is.

    503 while no auth token is configured, 403 without the signature header: the request gate
    (server/request_gate.py) answers both without reading the body.
    """
    if settings.twilio_auth_token is None or not settings.twilio_auth_token.get_secret_value():
        return Problem(
            503,
            "the Twilio webhooks are not configured: set OUTREACH_TWILIO_AUTH_TOKEN to the "
            "account's auth token, which signs Twilio's requests",
            title="Service unavailable",
        )
    if not headers.get(SIGNATURE_HEADER):
        return Problem(403, f"the request is not signed: {SIGNATURE_HEADER} is missing")
    return None


async def signed_form(request: Request) -> dict[str, str]:
    """Return the form fields of a request Twilio signed; raise a 4xx Problem otherwise."""
    settings: Settings = request.app.state.settings
    refused = refuse_before_reading(settings, request.headers)
    if refused is not None:
        raise refused
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != FORM:
        raise Problem(415, f"expected a form body ({FORM}), as Twilio posts")
    body = await request.body()
    try:
        pairs = parse_qsl(
            body.decode("ascii"),
            keep_blank_values=True,
            max_num_fields=MAX_FIELDS,
            encoding="utf-8",
            errors="strict",
        )
    except ValueError:  # not ASCII, bad UTF-8 in an escape, or too many fields
        raise Problem(400, f"the body is not a form of at most {MAX_FIELDS} UTF-8 fields") from None
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    assert settings.twilio_auth_token is not None  # refuse_before_reading checked it
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    if not validator.validate(url, ImmutableMultiDict(pairs), request.headers[SIGNATURE_HEADER]):
        raise Problem(
            403,
            "the signature does not match this request: it is not from Twilio, or "
            "OUTREACH_PUBLIC_BASE_URL is not the address Twilio was given",
        )
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        raise Problem(400, "a form field contains a NUL character")
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def _sid(form: Mapping[str, str], *names: str) -> str:
    value = next((form[name] for name in names if form.get(name)), "")
    if not SID.fullmatch(value):
        raise Problem(400, f"expected a Twilio message SID in {names[0]} (two letters, 32 hex)")
    return value


def _error_code(form: Mapping[str, str]) -> int | None:
    value = form.get("ErrorCode", "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else None


def _status_kind(status: str, code: int | None) -> StatusKind | None:
    """Return the engagement a Twilio message status means, or None (not an outcome yet)."""
    if status == "delivered":
        return "delivered"
    if status in ("undelivered", "failed"):
        suppress_as = suppression_for(code)
        return suppress_as if suppress_as is not None else "failed"
    return None  # queued, accepted, scheduled, sending, sent, canceled, read, ...


def _row_id(value: str | None) -> int | None:
    text = (value or "").strip()
    if re.fullmatch(r"[0-9]{1,10}", text) and 0 < int(text) <= MAX_ROW_ID:
        return int(text)
    return None


async def _status_message(
    session: AsyncSession, sid: str, message_id: int | None
) -> MessageRow | None:
    """Find the message a status callback is about: by its SID, else by the id in the URL.

    Not locked here: recording the status locks it (storage/lock_order.py's order)."""
    found = await session.scalar(
        select(MessageRow)
        .where(MessageRow.provider_message_id == sid)
        .order_by(MessageRow.id)
        .limit(1)
    )
    if found is None and message_id is not None:
        # The signed callback URL names our message (compose_sms): Twilio may call before
        # the sender stored the SID. A message that went out under another SID is not it.
        found = await session.scalar(select(MessageRow).where(MessageRow.id == message_id))
        if found is not None and found.provider_message_id not in (None, sid):
            return None
    return found


async def _record_once(
    session: AsyncSession, message: MessageRow, kind: Engagement, external_id: str, **payload: Any
) -> bool:
    """Record an event unless its external id was recorded before (even a moment ago)."""
    try:
        async with session.begin_nested():
            return await record_engagement(
                session, message, kind, external_id=external_id, payload=payload
            )
    except IntegrityError:  # the same event recorded by another worker just now
        return False


MESSAGE_STATUSES = (
    "queued", "accepted", "scheduled", "sending", "sent", "delivered", "undelivered", "failed",
    "canceled", "read", "receiving", "received", "partially_delivered",
)  # fmt: skip
FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "MessageSid": {"type": "string", "pattern": f"^{SID.pattern}$"},
    "MessageStatus": {"type": "string", "enum": list(MESSAGE_STATUSES)},
    "ErrorCode": {"type": "string", "pattern": "^[0-9]{0,6}$"},
    "From": {"type": "string", "pattern": f"^{E164.pattern}$"},
}
FORM_SCHEMAS: dict[str, dict[str, Any]] = {
    name: {
        "type": "object",
        "required": required,
        "properties": {
            field: FIELD_SCHEMAS.get(field, {"type": "string"}) for field in [*required, *optional]
        },
    }
    for name, required, optional in (
        ("status", ["MessageSid", "MessageStatus"], ["ErrorCode", "To", "From", "AccountSid"]),
        ("inbound", ["MessageSid", "From", "Body"], ["To", "AccountSid", "NumMedia"]),
    )
}
"""The forms Twilio posts (documented here: the routes read the raw body they verify)."""


def _openapi(form: str) -> dict[str, Any]:
    return {
        "requestBody": {"required": True, "content": {FORM: {"schema": FORM_SCHEMAS[form]}}},
        "parameters": [
            {
                "name": SIGNATURE_HEADER,
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
            }
        ],
    }


@router.post(
    "/status",
    response_model=StatusResult,
    summary="Twilio message status callback",
    openapi_extra=_openapi("status"),
)
async def twilio_status(request: Request) -> StatusResult:
    """Record what became of a text: delivered, bounced (the number cannot take texts), failed.

    Give Twilio this URL as the message's StatusCallback (the SMS sender does). Each
    (MessageSid, MessageStatus) pair is applied once; statuses only move forward. A bounce
    (Twilio errors 30003, 30005, 30006, 21211, 21614) or an opt-out (21610) suppresses the
    number. A callback about a message we do not know answers 200 `{"matched": false}`.
    """
    form = await signed_form(request)
    sid = _sid(form, "MessageSid", "SmsSid")
    state = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
    if not re.fullmatch(r"[a-z_-]{1,30}", state):
        raise Problem(400, "expected a Twilio message status in MessageStatus")
    code = _error_code(form)
    kind = _status_kind(state, code)
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        message = await _status_message(
            session, sid, _row_id(request.query_params.get(MESSAGE_ID_ARG))
        )
        if message is None:
            log.info("twilio status %s for %s matches no message we sent", state, sid)
            return StatusResult(matched=False)
        if kind is None:
            return StatusResult(matched=True, message_id=message.id)
        details: dict[str, Any] = {"provider": "twilio", "sid": sid, "status": state}
        if kind != "delivered":
            details |= {"error_code": code, "reason": error_text(code)}
        applied = await _record_once(session, message, kind, f"twilio:{sid}:{state}", **details)
        return StatusResult(
            matched=True, message_id=message.id, recorded=kind if applied else "duplicate"
        )


async def _latest_sms_to(session: AsyncSession, phone: str) -> MessageRow | None:
    """Return the last text we sent to this number (an SMS campaign's or an SMS step's): by
    the send ledger, which holds the number as it was texted, else by the lead's stored phone.
    Not locked here: recording the reply locks it with the lead's rows (storage/lock_order.py)."""
    owner = await session.scalar(
        select(DeliveryRow.owner)
        .where(
            DeliveryRow.channel == "sms",
            DeliveryRow.recipient == phone,
            DeliveryRow.status == "sent",
            DeliveryRow.owner.like("message:%"),
        )
        .order_by(DeliveryRow.updated_at.desc())
        .limit(1)
    )
    ledgered = row_id(owner.removeprefix("message:")) if owner else None
    if ledgered is not None:
        found = await session.get(MessageRow, ledgered)
        if found is not None:
            return found
    sms_step = exists().where(
        SequenceStepRow.message_id == MessageRow.id, SequenceStepRow.channel == "sms"
    )
    return await session.scalar(
        select(MessageRow)
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .join(CampaignRow, CampaignRow.id == MessageRow.campaign_id)
        .where(
            LeadRow.phone == phone,
            MessageRow.provider_message_id.is_not(None),
            or_(CampaignRow.channel == "sms", sms_step),
        )
        .order_by(MessageRow.sent_at.desc().nulls_last(), MessageRow.id.desc())
        .limit(1)
    )


async def _help_text(session: AsyncSession, message: MessageRow | None) -> str:
    """Return the HELP answer: who is texting, how to reach them, and how to opt out."""
    who, contact = DEFAULT_SENDER, None
    campaign = await session.get(CampaignRow, message.campaign_id) if message else None
    if campaign is not None:
        try:
            sender = spec_of(campaign).sender
        except (ValidationError, ValueError):  # a stored campaign that no longer reads
            sender = None
        if sender is not None and sender.name:
            who = f"{sender.name} at {sender.company}" if sender.company else sender.name
            contact = sender.email
    reach = f" Questions: {contact}." if contact else ""
    return f"{who}.{reach} Reply STOP to opt out of these texts, START to opt back in."


def _twiml(reply: str | None = None) -> Response:
    answer = MessagingResponse()
    if reply:
        answer.message(reply)
    return Response(str(answer), media_type=XML)


@router.post(
    "/inbound",
    response_class=Response,
    summary="Twilio incoming text",
    openapi_extra=_openapi("inbound"),
    responses={200: {"content": {XML: {}}, "description": "TwiML: a reply, or none"}},
)
async def twilio_inbound(request: Request) -> Response:
    """Handle a text someone sent to our number (configure it as the number's messaging URL).

    A whole message of STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or OPTOUT
    suppresses the number at once and stops the lead's unsent messages (Twilio sends the
    carrier's confirmation); START, UNSTOP or YES lifts that opt-out; HELP or INFO answers
    who is texting. Anything else is read by the reply classifier and recorded as a reply to
    the last text we sent to the number, with its verdict; an opt-out in words ("stop texting
    me", in any of the five languages) is taken as STOP, a referral or an out-of-office is
    acted on as for email. Answers TwiML; a text seen before (same MessageSid) is recorded
    once.
    """
    form = await signed_form(request)
    sid = _sid(form, "MessageSid", "SmsMessageSid", "SmsSid")
    phone = form.get("From", "").strip()
    if not E164.fullmatch(phone):
        raise Problem(400, "expected the sender's phone number (E.164) in From")
    text = form.get("Body", "")
    keyword = text.strip().upper()
    settings: Settings = request.app.state.settings
    verdict = None
    if keyword not in HELP | OPT_OUT | {"START", "UNSTOP"}:  # in a worker thread, lock-free
        verdict = await classify_text_off_loop(
            text, None, getattr(request.app.state, "reply_model", None)
        )
    # An opt-out in words ("stop texting me", "bitte keine SMS mehr") counts as the keyword.
    in_words = verdict is not None and verdict.intent is Intent.UNSUBSCRIBE
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        message = await _latest_sms_to(session, phone)
        if keyword in HELP:
            return _twiml(await _help_text(session, message))
        if keyword in OPT_IN:
            lifted = await unsuppress_phone(session, phone)
            log.info("twilio inbound %s: opt-in keyword (suppression lifted: %s)", sid, lifted)
            if lifted or message is None or verdict is None:
                return _twiml()
            # A "Yes" from a number that never opted out answers our question: a reply.
        if keyword in OPT_OUT or in_words:
            if message is not None:  # the lead's rows first, then the suppression list
                verdict_fields = verdict_payload(verdict) if verdict is not None else {}
                await _record_once(
                    session, message, "unsubscribed", f"twilio:{sid}", provider="twilio",
                    sid=sid, via="sms words" if in_words else "sms keyword", keyword=keyword,
                    **verdict_fields,
                )  # fmt: skip
            await suppress_phone(session, phone, "unsubscribed")
            return _twiml()
        if message is None:
            log.info("twilio inbound %s matches no text we sent", sid)
            return _twiml()
        assert verdict is not None
        payload = {"provider": "twilio", "sid": sid, "snippet": text[:SNIPPET_MAX]}
        await record_classified_reply(
            session,
            message,
            verdict,
            external_id=f"twilio:{sid}",
            payload={**payload, **verdict_payload(verdict)},
            occurred_at=None,
            settings=settings,
        )
    return _twiml()
