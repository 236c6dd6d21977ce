"""Record an inbound reply: find the message it answers, read it, and act on it.

The SendGrid Inbound Parse webhook and `outreach simulate`'s scripted replies both come here,
so a simulated reply stops a sequence exactly as a real one does. The reply is matched by
In-Reply-To/References (our Message-ID), else by a `replies+<message id>@` address when it
comes from the lead's own address. The reply classifier (tools/replies) reads it: a bounce
notice is a bounce and an opt-out in any wording an unsubscribe (both suppress the lead); an
out-of-office or other automatic reply is logged as `auto_reply` (an out-of-office with a
return date holds the sequence until then); anything else is a reply, which stops the lead's
other messages and remaining steps. An interested reply stops its colleagues' sequences at the
same company in the campaign too (agent/replies/account_stop.py). The verdict (intent, reason,
confidence, the deciding words, return date, referral) and what was done about it sit flat on
the event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from email.message import Message
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agent.replies.account_stop import account_colleagues, lock_account, stop_colleagues
from agent.replies.answer_task import draft_answer_task
from agent.replies.model_layer import ReplyModel
from agent.replies.reply_actions import act_on_reply, mark_interested
from agent.replies.reply_verdicts import (
    HOT,
    ReplyKind,
    classify_email_off_loop,
    kind_of,
    verdict_payload,
)
from agent.settings import Settings
from storage.database import Database
from storage.engagement import record_engagement, seen_events
from storage.leads import normalize_email
from storage.messages import messages_by_header_ids
from storage.models import MAX_ROW_ID, EventRow, LeadRow, MessageRow
from tools.replies import Intent, ReplyText, ReplyVerdict, classify_by_rules

log = logging.getLogger("outreach.replies")

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
PLUS_TOKEN = re.compile(r"[\w.!#$%&'*/=?^`{|}~-]+\+(\d+)@")
SNIPPET_CHARS = 500
ATTEMPTS = 2
"""Tries at recording a reply whose insert conflicted with another writer's."""
EXTERNAL_ID_MAX = 200  # EventRow.external_id's length

Recorded = Literal["replied", "auto_reply", "bounced", "unsubscribed", "duplicate"]


@dataclass(frozen=True)
class InboundReply:
    """One received email, as the webhook parsed it (all of it untrusted)."""

    headers: Message
    text: str
    sender: str
    to: str
    subject: str
    raw: str
    """The headers or the whole MIME message, to fingerprint a reply without a Message-ID."""
    occurred_at: dt.datetime | None = None
    html: str = ""
    """The HTML part, read when the text part is missing or empty."""


@dataclass(frozen=True)
class InboundOutcome:
    """Which message the reply answered and what was recorded (nothing when unmatched)."""

    message_id: int | None
    recorded: Recorded | None
    verdict: ReplyVerdict | None = None
    """What the classifier read in the reply (None when it matched no message)."""
    actions: tuple[str, ...] = ()
    """What was done about it (a pause, a referral, the lead marked interested)."""

    @property
    def matched(self) -> bool:
        """Whether the reply answered a message we sent."""
        return self.message_id is not None


def reply_kind(reply: InboundReply) -> ReplyKind:
    """Return what a reply records as far as a sequence cares: a bounce, an opt-out, an
    automatic reply, or a person's reply (the rules' verdict, read on this thread)."""
    reply_text = ReplyText(
        subject=reply.subject,
        text=reply.text,
        html=reply.html or None,
        headers=_headers(reply),
    )
    return kind_of(classify_by_rules(reply_text, received=reply.occurred_at))


def _headers(reply: InboundReply) -> dict[str, str]:
    headers = {key: str(value) for key, value in reply.headers.items()}
    if reply.sender and not any(key.lower() == "from" for key in headers):
        headers["From"] = reply.sender
    return headers


def external_id(value: str) -> str:
    """Return an event id short enough for the events table (long ids are hashed)."""
    if len(value) <= EXTERNAL_ID_MAX:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def row_id(value: object) -> int | None:
    """Return a message id from text, or None (not a plausible primary key)."""
    text = str(value or "").strip()
    if re.fullmatch(r"[0-9]{1,10}", text) and 0 < int(text) <= MAX_ROW_ID:
        return int(text)
    return None


async def answered_message(
    session: AsyncSession, headers: Message, to: str, sender: str
) -> MessageRow | None:
    """Find the message a reply answers: by In-Reply-To/References, else by plus address."""
    ids = MESSAGE_ID.findall(headers.get("In-Reply-To") or "")
    ids += reversed(MESSAGE_ID.findall(headers.get("References") or ""))  # newest first
    if ids:
        rows = await messages_by_header_ids(session, header_ids=ids)
        by_header = {row.email_message_id: row for row in rows}
        found = next((by_header[i] for i in ids if i in by_header), None)
        if found is not None:
            return found
    for token in PLUS_TOKEN.findall(to):
        number = row_id(token)
        row = await session.get(MessageRow, number) if number is not None else None
        lead = await session.get(LeadRow, row.lead_id) if row is not None else None
        # The token is guessable: trust it only for mail from the lead's own address.
        same = lead is not None and (normalize_email(lead.email) or "") == (
            normalize_email(sender) or ""
        )
        if row is not None and sender and same:
            return row
    return None


async def record_inbound_reply(
    db: Database, reply: InboundReply, *, settings: Settings, model: ReplyModel | None = None
) -> InboundOutcome:
    """Match a reply to our message, read it, record it once and act on it (a re-post changes
    nothing). The classifier runs in a worker thread (the model, if any, over the network),
    after the match and before any lock is taken."""
    own_id = (reply.headers.get("Message-ID") or "").strip()
    if not own_id:
        digest = hashlib.sha256(f"{reply.raw}\0{reply.text}\0{reply.html}".encode()).hexdigest()
        own_id = f"inbound:{digest}"
    # Matched and new first: an unmatched or re-posted reply costs no classification (the
    # Inbound Parse URL cannot be signed; a model call is paid for).
    async with db.sessions() as session:
        answered = await answered_message(session, reply.headers, reply.to, reply.sender)
        seen = answered is not None and bool(await seen_events(session, [external_id(own_id)]))
    if answered is None:
        log.info("inbound reply %s matches no message we sent", own_id)
        return InboundOutcome(message_id=None, recorded=None)
    if seen:
        return InboundOutcome(message_id=answered.id, recorded="duplicate")
    verdict = await classify_email_off_loop(
        subject=reply.subject,
        text=reply.text,
        html=reply.html,
        headers=_headers(reply),
        received=reply.occurred_at,
        model=model,
    )
    snippet = (reply.text or reply.html)[:SNIPPET_CHARS]
    payload: dict[str, Any] = {
        "from": reply.sender,
        "subject": reply.subject[:SNIPPET_CHARS],
        "snippet": snippet,
        **verdict_payload(verdict),
    }
    if verdict.intent is Intent.BOUNCE:
        payload["reason"] = "a delivery status notification came back: " + verdict.evidence
    async with db.write_lock, db.sessions.begin() as session:
        message = await session.get(MessageRow, answered.id)
        if message is None:  # erased meanwhile
            return InboundOutcome(message_id=None, recorded=None, verdict=verdict)
        recorded, actions = await record_classified_reply(
            session,
            message,
            verdict,
            external_id=external_id(own_id),
            payload=payload,
            occurred_at=reply.occurred_at,
            settings=settings,
        )
        return InboundOutcome(
            message_id=message.id, recorded=recorded, verdict=verdict, actions=tuple(actions)
        )


async def record_classified_reply(
    session: AsyncSession,
    message: MessageRow,
    verdict: ReplyVerdict,
    *,
    external_id: str,
    payload: dict[str, Any],
    occurred_at: dt.datetime | None,
    settings: Settings,
) -> tuple[Recorded, list[str]]:
    """Record a classified reply (email or text) on its message once, and act on it: the
    actions go on the event (`actions`), so the lead's timeline says what was done and why.

    A conflict on insert is a duplicate only when this reply's id is on record (another worker
    recorded it just now); any other conflict (two replies naming the same new lead at once)
    is tried again, so no reply is answered "duplicate" and lost."""
    for attempt in range(ATTEMPTS):
        try:
            async with session.begin_nested():
                return await _record_once(
                    session, message, verdict, external_id, payload, occurred_at, settings
                )
        except IntegrityError:
            if await seen_events(session, [external_id]):
                return "duplicate", []  # the same reply, recorded by another worker just now
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("ATTEMPTS is at least 1")


async def _record_once(
    session: AsyncSession,
    message: MessageRow,
    verdict: ReplyVerdict,
    external_id: str,
    payload: dict[str, Any],
    occurred_at: dt.datetime | None,
    settings: Settings,
) -> tuple[Recorded, list[str]]:
    kind = kind_of(verdict)
    now = occurred_at or dt.datetime.now(dt.UTC)
    if await seen_events(session, [external_id]):
        return "duplicate", []
    colleagues = await account_colleagues(session, message) if verdict.intent in HOT else None
    if colleagues is not None:  # their rows with the replier's, before anything is written
        await lock_account(session, message, colleagues)
    actions = await act_on_reply(session, message, verdict, settings=settings, now=now)
    recorded = await record_engagement(
        session,
        message,
        kind,
        external_id=external_id,
        payload={**payload, "actions": actions},
        occurred_at=occurred_at,
    )
    if not recorded:
        return "duplicate", []
    if verdict.intent in HOT:
        actions.append(await mark_interested(session, message, verdict))
        if colleagues is not None:
            actions.append(await stop_colleagues(session, message, colleagues, now=now))
        actions.append(
            await draft_answer_task(session, message, verdict, settings=settings, now=now)
        )
        await _note_actions(session, external_id, actions)
    return kind, actions


async def _note_actions(session: AsyncSession, external_id: str, actions: list[str]) -> None:
    event = await session.scalar(select(EventRow).where(EventRow.external_id == external_id))
    if event is not None:
        event.payload = {**event.payload, "actions": list(actions)}
