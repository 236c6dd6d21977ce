"""What a reply says, read by the reply classifier, and what that means for the lead's events.

The classifier (tools/replies) reads headers (RFC 3834, vendors' X-headers), delivery status
notifications, then phrase rules in five languages over the sender's own words. It is pure CPU
work over untrusted text, so the webhooks run it in a worker thread: a long or hostile reply
never holds up the event loop that answers every other request.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from tools.replies import Intent, ReplyText, ReplyVerdict, classify_by_rules

ReplyKind = Literal["replied", "auto_reply", "bounced", "unsubscribed"]

KINDS: dict[Intent, ReplyKind] = {
    Intent.BOUNCE: "bounced",
    Intent.UNSUBSCRIBE: "unsubscribed",
    Intent.OUT_OF_OFFICE: "auto_reply",
    Intent.AUTO_REPLY: "auto_reply",
}
"""The event each intent records; every other intent is a reply, which stops the sequence."""

HOT = (Intent.INTERESTED, Intent.MEETING_REQUEST, Intent.QUESTION)
"""Replies a person should answer soon: the lead is marked interested."""


def kind_of(verdict: ReplyVerdict) -> ReplyKind:
    """Return the event a verdict records (bounce, opt-out, automatic reply, or a reply)."""
    return KINDS.get(verdict.intent, "replied")


def verdict_payload(verdict: ReplyVerdict) -> dict[str, Any]:
    """The verdict as the reply event keeps it, flat (the metrics read `intent`);
    `intent_reason`, since an event's `reason` is the provider's explanation of a bounce."""
    referral = verdict.referral
    return {
        "intent": str(verdict.intent),
        "intent_reason": verdict.reason,
        "confidence": round(verdict.confidence, 3),
        "evidence": verdict.evidence,
        "layer": verdict.layer,
        "language": verdict.language,
        "needs_person": verdict.needs_person,
        "return_date": verdict.return_date.isoformat() if verdict.return_date else None,
        "referral": referral.model_dump() if referral else None,
    }


def classify_email(
    *,
    subject: str,
    text: str,
    html: str = "",
    headers: Mapping[str, str],
    received: dt.datetime | None,
) -> ReplyVerdict:
    """Classify one received email (never raises: an unreadable one is `other`, for a person)."""
    reply = ReplyText(subject=subject, text=text, html=html, headers=dict(headers))
    return classify_by_rules(reply, received=received)


async def classify_email_off_loop(
    *,
    subject: str,
    text: str,
    html: str = "",
    headers: Mapping[str, str],
    received: dt.datetime | None,
) -> ReplyVerdict:
    """classify_email in a worker thread (the event loop goes on serving requests)."""
    return await asyncio.to_thread(
        classify_email, subject=subject, text=text, html=html, headers=headers, received=received
    )


async def classify_text_off_loop(text: str, received: dt.datetime | None) -> ReplyVerdict:
    """Classify a text message (no subject, no headers) in a worker thread."""
    return await asyncio.to_thread(
        classify_by_rules, ReplyText(subject="", text=text), received=received
    )
