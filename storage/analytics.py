"""Campaign analytics: one aggregate over messages and per-variant counters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CampaignRow, CampaignToneStatRow, MessageRow

COUNTERS = (
    "sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed", "complained",
)  # fmt: skip


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


async def campaign_analytics(session: AsyncSession, *, campaign_id: int) -> dict[str, Any]:
    """Return counts, rates, cost and per-tone engagement for a campaign."""
    statuses = dict(
        (
            await session.execute(
                select(MessageRow.status, func.count())
                .where(MessageRow.campaign_id == campaign_id)
                .group_by(MessageRow.status)
            )
        ).all()
    )
    campaign = await session.get(CampaignRow, campaign_id)
    assert campaign is not None, f"unknown campaign {campaign_id}"
    # Totals come from rollups kept on write, not from scanning every message.
    per_tone = (
        await session.execute(
            select(
                CampaignToneStatRow.tone, *(getattr(CampaignToneStatRow, c) for c in COUNTERS)
            ).where(CampaignToneStatRow.campaign_id == campaign_id)
        )
    ).all()
    variants = []
    overall = dict.fromkeys(COUNTERS, 0)
    for tone, *sums in per_tone:
        counts = {name: int(value or 0) for name, value in zip(COUNTERS, sums, strict=True)}
        for name in COUNTERS:
            overall[name] += counts[name]
        variants.append(
            {
                "tone": tone,
                **counts,
                "open_rate": _rate(counts["opened"], counts["delivered"]),
                "reply_rate": _rate(counts["replied"], counts["delivered"]),
            }
        )
    total_messages, total_cost = campaign.total_messages, campaign.total_cost_usd
    replies = overall["replied"]
    return {
        "campaign_id": campaign_id,
        "performance": {
            "total_messages": total_messages,
            "by_status": statuses,
            **overall,
            "open_rate": _rate(overall["opened"], overall["delivered"]),
            "click_rate": _rate(overall["clicked"], overall["delivered"]),
            "reply_rate": _rate(overall["replied"], overall["delivered"]),
            "bounce_rate": _rate(overall["bounced"], overall["sent"]),
            "unsubscribe_rate": _rate(overall["unsubscribed"], overall["delivered"]),
        },
        "cost": {
            "total_usd": round(total_cost, 6),
            "cost_per_message": round(total_cost / total_messages, 6) if total_messages else 0.0,
            "cost_per_reply": round(total_cost / replies, 6) if replies else None,
        },
        "variants": sorted(variants, key=lambda v: v["tone"]),
    }


async def campaign_tone_stats(
    session: AsyncSession, *, campaign_id: int
) -> list[CampaignToneStatRow]:
    """Return the campaign's per-tone counters."""
    return list(
        await session.scalars(
            select(CampaignToneStatRow).where(CampaignToneStatRow.campaign_id == campaign_id)
        )
    )
