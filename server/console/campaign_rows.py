"""What the campaign pages show, picked from the analytics the API reports (no new figures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.analytics import campaign_analytics
from storage.campaigns import list_campaigns
from storage.reply_outcomes import reply_outcomes

LIST_LIMIT = 200
BAR_WIDTH = 300
"""The width (SVG units) of the per-variant interval plot's scale."""


@dataclass(frozen=True)
class CampaignLine:
    """One campaign as the list shows it."""

    id: int
    name: str
    status: str
    channel: str
    sent: int
    replied: int
    positive: int


async def campaign_rows(session: AsyncSession) -> list[CampaignLine]:
    """Return the newest campaigns with their sends, replies and positive replies."""
    lines = []
    for row in await list_campaigns(session, limit=LIST_LIMIT):
        stats = await campaign_analytics(session, campaign_id=row.id)
        replies = await reply_outcomes(session, campaign_id=row.id)
        performance = stats["performance"]
        counts = (performance["sent"], performance["replied"], replies.total.positive)
        lines.append(CampaignLine(row.id, row.name, row.status, row.channel, *counts))
    return lines


def funnel_of(report: dict[str, Any]) -> list[tuple[str, int | None]]:
    """Return the funnel's steps and counts, from campaign_report's answer."""
    performance, replies = report["performance"], report["replies"]
    return [
        ("Sent", performance["sent"]),
        ("Delivered", performance["delivered"]),
        ("Opened", performance["opened"]),
        ("Replied", performance["replied"]),
        ("Positive", replies["positive_replies"]),
        ("Meetings", report["lead_stages"].get("meeting_booked", 0)),
        ("Meeting requests", replies["meeting_requests"]),
        ("Unsubscribed", performance["unsubscribed"]),
        ("Bounced", performance["bounced"]),
    ]


@dataclass(frozen=True)
class IntervalBar:
    """A variant's reply rate and its 95% interval, placed on the plot's scale."""

    tone: str
    rate: float
    low: float
    high: float
    x: float
    width: float
    mark: float


def interval_bars(variants: list[dict[str, Any]]) -> tuple[list[IntervalBar], float]:
    """Place each A/B variant's interval on one scale; return the bars and the scale's top (%)."""
    top = max([10.0, *(float(v["reply_rate_ci"][1]) for v in variants)])
    scale = BAR_WIDTH / top
    bars = [
        IntervalBar(
            tone=str(v["tone"]),
            rate=float(v["reply_rate"]),
            low=float(v["reply_rate_ci"][0]),
            high=float(v["reply_rate_ci"][1]),
            x=round(float(v["reply_rate_ci"][0]) * scale, 1),
            width=round(max(1.0, (v["reply_rate_ci"][1] - v["reply_rate_ci"][0]) * scale), 1),
            mark=round(float(v["reply_rate"]) * scale, 1),
        )
        for v in variants
    ]
    return bars, top
