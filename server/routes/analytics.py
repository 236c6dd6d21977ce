"""Campaign analytics: counts, rates and cost, and an honest A/B read of the variants."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent.ab_testing import ArmCounts, DecisionRule, analyze
from agent.dispatcher import campaign_allocation
from server.lookups import row_or_404
from server.schemas import RowId
from storage.analytics import campaign_analytics
from storage.models import CampaignRow

router = APIRouter(tags=["analytics"])
TONE_ORDER = ("professional", "friendly", "direct")
OPENS_NOTE = (
    "Open rates are inflated by mail privacy proxies (e.g. Apple Mail Privacy Protection "
    "fetches every image), so they are reported but never used to pick a winner."
)


@router.get("/campaigns/{campaign_id}/analytics", summary="Campaign analytics and A/B results")
async def analytics(
    request: Request,
    campaign_id: RowId,
    prob_best: Annotated[float, Query(gt=0.5, lt=1)] = 0.95,
    max_expected_loss: Annotated[float, Query(gt=0, lt=1)] = 0.005,
    min_sends_per_arm: Annotated[int, Query(ge=1, le=1_000_000)] = 100,
) -> dict[str, Any]:
    """Return sent, delivered, opened, clicked, replied, bounced and unsubscribed counts and
    rates (percent of delivered), cost (total, per message, per reply) and the A/B section.

    A/B: reply rate is the primary metric. Each variant gets a Wilson 95% interval, the
    posterior probability that it is best (Beta-Binomial) and its expected loss. A winner is
    declared only when its probability to be best reaches `prob_best`, its expected loss is below
    `max_expected_loss` and every variant has `min_sends_per_arm` sends; otherwise `not_yet` says
    why. Fisher's exact (small counts) or chi-square p-values are shown for information: checked
    after every batch they would call false winners, so they never decide.
    """
    campaign = await row_or_404(request, CampaignRow, campaign_id, "campaign")
    async with request.app.state.db.sessions() as session:
        stats = await campaign_analytics(session, campaign_id=campaign_id)
    rule = DecisionRule(prob_best, max_expected_loss, min_sends_per_arm)
    variants = sorted(
        stats.pop("variants"),
        key=lambda v: TONE_ORDER.index(v["tone"]) if v["tone"] in TONE_ORDER else 99,
    )
    ab: dict[str, Any] = {
        "primary_metric": "reply_rate",
        "allocation": campaign_allocation(campaign),
        "decision_rule": asdict(rule),
        "variants": [],
        "winning_variant": None,
        "winner": None,
        "not_yet": ["no sends yet"],
    }
    if variants:
        result = analyze([ArmCounts.from_counters(v["tone"], v) for v in variants], rule)
        numbers = {v["tone"]: n for n, v in enumerate(variants)}
        ab.update(
            variants=[
                {
                    "variant_number": numbers[arm.tone],
                    **{k: v for k, v in asdict(arm).items() if not k.endswith("_rate")},
                    **{
                        k: round(100 * v, 2)
                        for k, v in asdict(arm).items()
                        if k.endswith("_rate") and isinstance(v, float)
                    },
                    "reply_rate_ci": [round(100 * x, 2) for x in arm.reply_rate_ci],
                    "prob_best": round(arm.prob_best, 4),
                    "expected_loss": round(100 * arm.expected_loss, 3),
                }
                for arm in result.arms
            ],
            winning_variant=numbers.get(result.winner) if result.winner else None,
            winner=result.winner,
            leader=result.leader,
            not_yet=result.not_yet,
            significance={
                "test": result.omnibus_test,
                "p_value": result.omnibus_p_value,
                "comparisons": [asdict(c) for c in result.comparisons],
                "note": "fixed-sample p-values, for information; the decision rule decides",
            },
            sends_needed_per_arm=result.sends_needed_per_arm,
            notes=result.notes,
        )
    return {
        **stats,
        "name": campaign.name,
        "status": campaign.status,
        "channel": campaign.channel,
        "notes": [OPENS_NOTE],
        "ab_testing": ab,
    }
