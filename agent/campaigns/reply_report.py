"""The campaign report's `replies` section: what people answered, and why they said no."""

from __future__ import annotations

from typing import Any

from agent.experiments.intervals import wilson
from storage.reply_outcomes import ReplyOutcomes, SegmentCounts

UNREAD_NOTE = (
    "{unread} of {replied} replies were recorded before the reply classifier read replies: "
    "they count as replies but not as positive ones."
)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def delivered_basis(stats: dict[str, Any]) -> int:
    """The rates' denominator: delivered messages when deliveries are tracked, else sent."""
    performance = stats["performance"]
    return int(performance.get("delivered") or performance.get("sent") or 0)


def segments_section(segments: dict[str, SegmentCounts]) -> list[dict[str, Any]]:
    """Per segment (the lead's `segment` field, else industry): sends, replies, positive
    replies and meeting requests, with rates over sends and a Wilson interval on positives."""
    rows = []
    for name, counts in sorted(segments.items(), key=lambda item: (-item[1].sent, item[0])):
        basis = max(counts.sent, counts.replied)
        rows.append(
            {
                "segment": name,
                "sent": counts.sent,
                "replied": counts.replied,
                "reply_rate": _percent(counts.replied, basis),
                "positive_replies": counts.positive,
                "positive_reply_rate": _percent(counts.positive, basis),
                "positive_reply_rate_ci": [
                    round(100 * b, 2) for b in wilson(counts.positive, basis)
                ],
                "meeting_requests": counts.meeting_requests,
                "meeting_request_rate": _percent(counts.meeting_requests, basis),
            }
        )
    return rows


def replies_section(replies: ReplyOutcomes, *, delivered: int) -> dict[str, Any]:
    """Intents, positive-reply and meeting-request rates (percent of delivered, with Wilson
    95% intervals), and the reasons behind every no, most given first."""
    total = replies.total
    positive, meetings = total.positive, total.intents["meeting_request"]
    # A reply proves a delivery whose event was lost: never fewer deliveries than replies.
    delivered = max(delivered, total.replied)
    section: dict[str, Any] = {
        "replied": total.replied,
        "intents": dict(total.intents.most_common()),
        "positive_replies": positive,
        "positive_reply_rate": _percent(positive, delivered),
        "positive_reply_rate_ci": [round(100 * b, 2) for b in wilson(positive, delivered)],
        "meeting_requests": meetings,
        "meeting_request_rate": _percent(meetings, delivered),
        "reasons": {
            intent: dict(reasons.most_common()) for intent, reasons in replies.reasons.items()
        },
        "notes": [],
    }
    if total.unread:
        section["notes"].append(UNREAD_NOTE.format(unread=total.unread, replied=total.replied))
    return section
