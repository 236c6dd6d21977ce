"""Campaign analytics: counts, rates and cost, and an honest A/B read of the variants."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent.campaigns.report import AbMetric, campaign_report
from agent.experiments.ab_testing import DecisionRule
from server.lookups import row_or_404
from server.schemas import RowId
from storage.models import CampaignRow

router = APIRouter(tags=["analytics"])


@router.get("/campaigns/{campaign_id}/analytics", summary="Campaign analytics and A/B results")
async def analytics(
    request: Request,
    campaign_id: RowId,
    prob_best: Annotated[float, Query(gt=0.5, lt=1)] = 0.95,
    max_expected_loss: Annotated[float, Query(gt=0, lt=1)] = 0.005,
    min_sends_per_arm: Annotated[int, Query(ge=1, le=1_000_000)] = 100,
    metric: AbMetric = "reply_rate",
) -> dict[str, Any]:
    """Return sent, delivered, opened, clicked, replied, bounced and unsubscribed counts and
    rates (percent of delivered), cost (total, per message, per reply) and the A/B section.

    `replies`: what the reply classifier read in the replies (intents), positive replies and
    meeting requests with their rates, and the reasons behind each not_interested and
    objection; `segments`: sends, replies, positive replies and meeting requests per segment
    (the lead's `segment` field, else its industry); `lead_stages`: the campaign's leads per
    lifecycle stage.

    A/B: reply rate is the primary metric, or with `metric=positive_reply_rate` positive
    replies (interested or asking for a meeting). Each variant gets a Wilson 95% interval, the
    posterior probability that it is best (Beta-Binomial) and its expected loss. A winner is
    declared only when its probability to be best reaches `prob_best`, its expected loss is below
    `max_expected_loss` and every variant has `min_sends_per_arm` sends; otherwise `not_yet` says
    why. Fisher's exact (small counts) or chi-square p-values are shown for information: checked
    after every batch they would call false winners, so they never decide.

    `sequence` (null for a campaign without one): the sequence's leads by state and, per step,
    sent, delivered, opened, replied, positive replies, their rate and meeting requests (null
    only when every reply predates the reply classifier), unsubscribed, bounced, the reply
    rate (replies to the step's message over its sends), the
    median hours to reply and the tasks of LinkedIn and call steps; and the tones as arms of
    the whole sequence (leads replied at any step), as GET /campaigns/{id}/sequence/metrics.
    """
    campaign = await row_or_404(request, CampaignRow, campaign_id, "campaign")
    rule = DecisionRule(prob_best, max_expected_loss, min_sends_per_arm)
    async with request.app.state.db.sessions() as session:
        return await campaign_report(session, campaign, rule, metric=metric)
