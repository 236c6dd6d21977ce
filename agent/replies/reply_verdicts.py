"""What a reply says, read by the reply classifier, and what that means for the lead's events.

The classifier (tools/replies) reads headers (RFC 3834, vendors' X-headers), delivery status
notifications, then phrase rules in five languages over the sender's own words; with the openai
provider, the model reads what the rules leave open (agent/replies/model_layer.py). The rules
are pure CPU work over untrusted text, so they run in a worker thread: a long or hostile reply
never holds up the event loop that answers every other request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from agent.replies.model_layer import ReplyModel, classify_reply
from tools.replies import Intent, ReplyText, ReplyVerdict

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


async def classify_email_off_loop(
    *,
    subject: str,
    text: str,
    html: str = "",
    headers: Mapping[str, str],
    received: dt.datetime | None,
    model: ReplyModel | None = None,
) -> ReplyVerdict:
    """Classify one received email, the rules in a worker thread and, with a model, the model
    for what they leave open (never raises: an unreadable one is `other`, for a person)."""
    reply = ReplyText(subject=subject, text=text, html=html or None, headers=dict(headers))
    return await classify_reply(reply, received=received, model=model)


async def classify_text_off_loop(
    text: str, received: dt.datetime | None, model: ReplyModel | None = None
) -> ReplyVerdict:
    """Classify a text message (no subject, no headers) the same way."""
    return await classify_reply(ReplyText(subject="", text=text), received=received, model=model)
