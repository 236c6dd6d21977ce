"""A campaign's results as people read them: counts, rates, cost and an honest A/B verdict.

The REST API's analytics endpoint and the operator chat both report through here.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.delivery.dispatcher import campaign_allocation
from agent.experiments.ab_testing import ArmCounts, DecisionRule, analyze
from graphs.drafts import tone_rank
from storage.analytics import campaign_analytics
from storage.models import CampaignRow

OPENS_NOTE = (
    "Open rates are inflated by mail privacy proxies (e.g. Apple Mail Privacy Protection "
    "fetches every image), so they are reported but never used to pick a winner."
)


async def campaign_report(
    session: AsyncSession, campaign: CampaignRow, rule: DecisionRule | None = None
) -> dict[str, Any]:
    """Return counts and rates (percent of delivered), cost, and the A/B section.

    A/B: reply rate is the primary metric; a winner needs the rule's probability to be best,
    expected loss and sends per arm, otherwise `not_yet` says why.
    """
    rule = rule or DecisionRule()
    stats = await campaign_analytics(session, campaign_id=campaign.id)
    variants = sorted(stats.pop("variants"), key=lambda v: tone_rank(v["tone"]))
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
