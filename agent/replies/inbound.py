"""Record an inbound reply: find the message it answers and apply it as an event.

The SendGrid Inbound Parse webhook and `outreach simulate`'s scripted replies both come here,
so a simulated reply stops a sequence exactly as a real one does. The reply is matched by
In-Reply-To/References (our Message-ID), else by a `replies+<message id>@` address when it
comes from the lead's own address. What it says is read by the reply classifier
(tools/replies: headers of RFC 3834, delivery status notifications, then phrase rules in five
languages over the sender's own words, our quoted message left out): an out-of-office or other
automatic reply is only logged as `auto_reply`; a bounce notice is a bounce and an opt-out in
any wording an unsubscribe (both suppress the address); anything else is a reply. All three
stop the lead's other messages and remaining sequence steps. The classifier's verdict (intent,
reason, confidence, the deciding words, a return date, a referral) is kept on the event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from email.message import Message
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.engagement import record_engagement
from storage.leads import normalize_email
from storage.messages import messages_by_header_ids
from storage.models import MAX_ROW_ID, LeadRow, MessageRow
from tools.replies import Intent, ReplyText, ReplyVerdict, classify_by_rules

log = logging.getLogger("outreach.replies")

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
PLUS_TOKEN = re.compile(r"[\w.!#$%&'*/=?^`{|}~-]+\+(\d+)@")
SNIPPET_CHARS = 500
EXTERNAL_ID_MAX = 200  # EventRow.external_id's length

ReplyKind = Literal["replied", "auto_reply", "bounced", "unsubscribed"]
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


@dataclass(frozen=True)
class InboundOutcome:
    """Which message the reply answered and what was recorded (nothing when unmatched)."""

    message_id: int | None
    recorded: Recorded | None

    @property
    def matched(self) -> bool:
        """Whether the reply answered a message we sent."""
        return self.message_id is not None


KINDS: dict[Intent, ReplyKind] = {
    Intent.BOUNCE: "bounced",
    Intent.UNSUBSCRIBE: "unsubscribed",
    Intent.OUT_OF_OFFICE: "auto_reply",
    Intent.AUTO_REPLY: "auto_reply",
}
"""What each intent does to the lead's sequence; every other intent is a reply, which stops it."""


def classify(reply: InboundReply) -> ReplyVerdict:
    """Read what the reply says (never raises: an unreadable reply is `other`, for a person)."""
    headers = {key: str(value) for key, value in reply.headers.items()}
    if reply.sender and not any(key.lower() == "from" for key in headers):
        headers["From"] = reply.sender
    text = ReplyText(subject=reply.subject, text=reply.text, headers=headers)
    return classify_by_rules(text, received=reply.occurred_at)


def reply_kind(reply: InboundReply) -> ReplyKind:
    """Return what a reply is as far as a sequence cares: a bounce, an opt-out, an automatic
    reply, or a person's reply."""
    return KINDS.get(classify(reply).intent, "replied")


def verdict_payload(verdict: ReplyVerdict) -> dict[str, Any]:
    """The verdict as the event keeps it (what the reply wants, and the words that said so)."""
    referral = verdict.referral
    return {
        "intent": str(verdict.intent),
        "reason": verdict.reason,
        "confidence": round(verdict.confidence, 3),
        "evidence": verdict.evidence,
        "needs_person": verdict.needs_person,
        "return_date": verdict.return_date.isoformat() if verdict.return_date else None,
        "referral": referral.model_dump() if referral else None,
    }


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


async def record_inbound_reply(db: Database, reply: InboundReply) -> InboundOutcome:
    """Match a reply to our message and record it once (a re-post changes nothing)."""
    own_id = (reply.headers.get("Message-ID") or "").strip()
    if not own_id:
        digest = hashlib.sha256(f"{reply.raw}\0{reply.text}".encode()).hexdigest()
        own_id = f"inbound:{digest}"
    verdict = classify(reply)
    kind = KINDS.get(verdict.intent, "replied")
    snippet = reply.text[:SNIPPET_CHARS]
    payload: dict[str, Any] = {
        "from": reply.sender,
        "subject": reply.subject,
        "snippet": snippet,
        "reply": verdict_payload(verdict),
    }
    if kind == "bounced":
        payload["reason"] = "a delivery status notification came back: " + verdict.evidence
    async with db.write_lock, db.sessions.begin() as session:
        message = await answered_message(session, reply.headers, reply.to, reply.sender)
        if message is None:
            log.info("inbound reply %s matches no message we sent", own_id)
            return InboundOutcome(message_id=None, recorded=None)
        recorded: Recorded = "duplicate"
        try:
            async with session.begin_nested():
                if await record_engagement(
                    session,
                    message,
                    kind,
                    external_id=external_id(own_id),
                    payload=payload,
                    occurred_at=reply.occurred_at,
                ):
                    recorded = kind
        except IntegrityError:  # the same reply recorded by another worker just now
            recorded = "duplicate"
        return InboundOutcome(message_id=message.id, recorded=recorded)
