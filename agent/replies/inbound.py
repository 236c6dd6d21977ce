"""Record an inbound reply: find the message it answers and apply it as an event.

The SendGrid Inbound Parse webhook and `outreach simulate`'s scripted replies both come here,
so a simulated reply stops a sequence exactly as a real one does. The reply is matched by
In-Reply-To/References (our Message-ID), else by a `replies+<message id>@` address when it
comes from the lead's own address. An automatic reply (headers of RFC 3834, vendors' X-headers,
an out-of-office subject or opening) is only logged as `auto_reply`; a bounce notice is a
bounce and an opt-out asked for in words an unsubscribe (both suppress the address); anything
else is a reply. All three stop the lead's other messages and remaining sequence steps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from email.message import Message
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.engagement import record_engagement
from storage.leads import normalize_email
from storage.messages import messages_by_header_ids
from storage.models import MAX_ROW_ID, LeadRow, MessageRow

log = logging.getLogger("outreach.replies")

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
PLUS_TOKEN = re.compile(r"[\w.!#$%&'*/=?^`{|}~-]+\+(\d+)@")
AUTO_PRECEDENCE = ("bulk", "auto_reply", "list", "junk")
AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|out of (the )?office|abwesenheitsnotiz|"
    r"r[ée]ponse automatique|respuesta autom[áa]tica|resposta autom[áa]tica)\b",
    re.IGNORECASE,
)
"""Subjects mail servers give automatic replies (Outlook, Gmail, Exchange; five languages)."""
AUTO_TEXT = re.compile(
    r"\b(out of (the )?office|automatic reply|auto-?reply|i am (currently )?away|"
    r"on (annual |parental |sick )?leave|abwesend|absent du bureau|fuera de la oficina|"
    r"fora do escrit[óo]rio)\b",
    re.IGNORECASE,
)
"""Opening words of an out-of-office reply that came without its headers (forwarded, pasted)."""
BOUNCE = re.compile(
    r"^(mailer-daemon|postmaster)@|delivery status notification \(failure\)|"
    r"undeliverable:|mail delivery (failed|subsystem)|address not found|"
    r"recipient address rejected|user unknown|mailbox unavailable",
    re.IGNORECASE | re.MULTILINE,
)
"""What a delivery status notification (a bounce) says, from its sender or its first lines."""
OPT_OUT = re.compile(
    r"\b(unsubscribe|remove me|take me off|stop (emailing|contacting|messaging) me|"
    r"do not (contact|email) me|don'?t (contact|email) me|opt(-| )?out|"
    r"darse de baja|d[ée]sinscri|abmelden|descadastr)",
    re.IGNORECASE,
)
"""An opt-out asked for in words: it must be honoured at once, whatever else the reply says."""
QUOTE_START = re.compile(
    r"^(on .{0,200} wrote:|le .{0,200} a écrit|am .{0,200} schrieb|el .{0,200} escribió|"
    r"em .{0,200} escreveu|-{2,} ?original message|_{10,}|(from|de|von): .+@)",
    re.IGNORECASE,
)
"""Where a mail client starts quoting the message being answered (our footer is in there)."""
OPENING_CHARS = 400
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


def is_auto_reply(headers: Message, subject: str = "") -> bool:
    """Return whether headers or subject mark an automatic reply (out of office, list)."""
    auto = (headers.get("Auto-Submitted") or "").strip().lower()
    precedence = (headers.get("Precedence") or "").strip().lower()
    return (
        bool(auto and auto != "no")
        or headers.get("X-Autoreply") is not None
        or headers.get("X-Autorespond") is not None
        or precedence in AUTO_PRECEDENCE
        or AUTO_SUBJECT.match(subject) is not None
    )


def own_words(text: str) -> str:
    """Return the reply without the quoted earlier message ("> ..." lines, "On ... wrote:",
    Outlook's "From: ..." block): our own footer, which offers an unsubscribe link, is in it."""
    kept: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") or QUOTE_START.match(stripped):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def reply_kind(reply: InboundReply) -> ReplyKind:
    """Return what a reply is as far as a sequence cares: a bounce, an opt-out, an automatic
    reply, or a person's reply. The reply classifier (intents, reasons, referrals) refines
    `replied`; these four decide whether and how the lead's sequence stops."""
    opening = f"{reply.sender}\n{reply.subject}\n{reply.text[:OPENING_CHARS]}"
    if BOUNCE.search(opening):
        return "bounced"
    words = own_words(reply.text)
    if OPT_OUT.search(f"{reply.subject}\n{words}"):
        return "unsubscribed"
    if is_auto_reply(reply.headers, reply.subject) or AUTO_TEXT.search(words[:OPENING_CHARS]):
        return "auto_reply"
    return "replied"


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
    kind = reply_kind(reply)
    snippet = reply.text[:SNIPPET_CHARS]
    payload: dict[str, str] = {"from": reply.sender, "subject": reply.subject, "snippet": snippet}
    if kind == "bounced":
        payload["reason"] = "a delivery status notification came back: " + snippet[:200]
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
