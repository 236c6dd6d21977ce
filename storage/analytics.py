"""Campaign analytics: one aggregate over messages and per-variant counters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MessageRow, VariantStatRow

COUNTERS = ("sent", "delivered", "opened", "clicked", "replied", "bounced")


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
    totals = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(MessageRow.cost_usd), 0.0)).where(
                MessageRow.campaign_id == campaign_id
            )
        )
    ).one()
    per_tone = (
        await session.execute(
            select(VariantStatRow.tone, *(func.sum(getattr(VariantStatRow, c)) for c in COUNTERS))
            .join(MessageRow, MessageRow.id == VariantStatRow.message_id)
            .where(MessageRow.campaign_id == campaign_id)
            .group_by(VariantStatRow.tone)
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
    total_messages, total_cost = int(totals[0]), float(totals[1])
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
        },
        "cost": {
            "total_usd": round(total_cost, 6),
            "cost_per_message": round(total_cost / total_messages, 6) if total_messages else 0.0,
            "cost_per_reply": round(total_cost / replies, 6) if replies else None,
        },
        "variants": sorted(variants, key=lambda v: v["tone"]),
    }
