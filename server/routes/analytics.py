"""Campaign analytics: counts, rates and cost, an honest A/B read of the variants, and the
metrics by segment, angle and week with their weekly trend as an SVG picture."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from agent.campaigns.report import AbMetric, campaign_report
from agent.campaigns.segment_metrics import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS, segment_metrics
from agent.campaigns.trend_plot import trend_plot
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


SVG = "image/svg+xml"
WeeksQuery = Annotated[
    int,
    Query(
        ge=MIN_WEEKS,
        le=MAX_WEEKS,
        description="How many ISO weeks to report, ending with the week holding `until`.",
    ),
]
UntilQuery = Annotated[
    dt.date | None,
    Query(
        ge=dt.date(2000, 1, 1),
        le=dt.date(2999, 12, 31),
        description="A day in the last week reported (default: today).",
    ),
]


async def _segment_metrics(
    request: Request, campaign_id: int, weeks: int, until: dt.date | None
) -> dict[str, Any]:
    campaign = await row_or_404(request, CampaignRow, campaign_id, "campaign")
    state = request.app.state
    async with state.db.sessions() as session:
        return await segment_metrics(
            session,
            campaign,
            weeks=weeks,
            until=until or state.clock().date(),
            offload=run_in_threadpool,  # placing and counting every lead: off the loop
        )


@router.get(
    "/campaigns/{campaign_id}/analytics/segments",
    summary="Metrics by segment, angle, sequence and week",
)
async def segment_analytics(
    request: Request,
    campaign_id: RowId,
    weeks: WeeksQuery = DEFAULT_WEEKS,
    until: UntilQuery = None,
) -> dict[str, Any]:
    """Return, over the last `weeks` ISO weeks, the leads first written to (`sent`), replied,
    positive replies (interested or asking for a meeting) and meetings (leads marked
    meeting_booked or won), with rates (percent of sent) and Wilson 95% intervals: in total,
    per segment, per angle (tone, the segment's emphasis, the first hook's type), per week with
    the change from the week before (`up`/`down` only when the intervals do not overlap,
    `too_few` under 30 leads a week), and per segment and week. `top_sequences` and
    `top_angles` rank by the positive-reply interval's lower bound, with the sample size.

    A lead counts in the week its first message in the campaign went. Segments are the
    campaign's rules as defined now, applied to each lead as of that day (`segment_basis`,
    `notes`). A campaign with no sends answers empty tables.
    """
    return await _segment_metrics(request, campaign_id, weeks, until)


@router.get(
    "/campaigns/{campaign_id}/analytics/weekly-trend.svg",
    summary="Weekly trend of reply rates, as an SVG picture",
    response_class=Response,
    responses={200: {"content": {SVG: {}}, "description": "An SVG picture"}},
)
async def weekly_trend_svg(
    request: Request,
    campaign_id: RowId,
    weeks: WeeksQuery = DEFAULT_WEEKS,
    until: UntilQuery = None,
) -> Response:
    """Draw the reply and positive-reply rates per ISO week: all leads with their 95% band and
    each segment as a line, the leads per week under each week; "No data yet" without sends.
    The same weeks and figures as GET /campaigns/{id}/analytics/segments."""
    metrics = await _segment_metrics(request, campaign_id, weeks, until)
    picture = await run_in_threadpool(trend_plot, metrics, "svg")  # ~0.1 s of drawing
    return Response(
        picture,
        media_type=SVG,
        # Opened on its own, the picture runs nothing: no scripts, no fetches.
        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
    )
