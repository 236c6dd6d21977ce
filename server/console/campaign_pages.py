"""Campaigns in the browser: the list, and a campaign's funnel, rates, A/B standings and plots.

Every figure comes from the functions the analytics API answers with (campaign_report,
segment_metrics, trend_plot); this module only picks what a page shows.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from agent.campaigns.report import campaign_report
from agent.campaigns.trend_plot import trend_plot
from server.console.campaign_rows import campaign_rows, funnel_of, interval_bars
from server.console.guard import SessionDep
from server.console.templating import render
from server.console.weekly_metrics import WeeklyMetrics
from server.schemas import RowId
from storage.models import CampaignRow

router = APIRouter()
SVG_HEADERS = {
    # Opened on its own, the picture runs nothing: no scripts, no fetches (as the API's).
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@router.get("/campaigns", include_in_schema=False)
async def campaigns_page(request: Request, session: SessionDep) -> Response:
    """List the campaigns, newest first, with what they sent and what came back."""
    async with request.app.state.db.sessions() as db_session:
        rows = await campaign_rows(db_session)
    return render(request, "campaigns.html", session=session, campaigns=rows)


async def _campaign(request: Request, campaign_id: int) -> CampaignRow | None:
    async with request.app.state.db.sessions() as db_session:
        return await db_session.get(CampaignRow, campaign_id)


async def _report(request: Request, campaign: CampaignRow) -> dict[str, Any]:
    async with request.app.state.db.sessions() as db_session:
        return await campaign_report(db_session, campaign)


async def _weekly(request: Request, campaign: CampaignRow) -> dict[str, Any]:
    state = request.app.state
    if getattr(state, "console_weekly", None) is None:
        state.console_weekly = WeeklyMetrics()
    async with state.db.sessions() as db_session:
        weekly: dict[str, Any] = await state.console_weekly.of(
            db_session, campaign, until=state.clock().date()
        )
        return weekly


@router.get("/campaigns/{campaign_id}", include_in_schema=False)
async def campaign_page(request: Request, session: SessionDep, campaign_id: RowId) -> Response:
    """Show a campaign's funnel, per-variant and per-step rates, A/B standings and plots."""
    campaign = await _campaign(request, campaign_id)
    if campaign is None:
        return render(
            request, "missing.html", session=session,
            problem=f"there is no campaign {campaign_id}", status_code=404,
        )  # fmt: skip
    # The report and the weekly figures read apart, each on its own connection: at once.
    report, weekly = await asyncio.gather(_report(request, campaign), _weekly(request, campaign))
    return render(
        request,
        "campaign.html",
        session=session,
        campaign=campaign,
        report=report,
        funnel=funnel_of(report),
        bars=interval_bars(report["ab_testing"]["variants"]),
        weekly=weekly,
    )


@router.get("/campaigns/{campaign_id}/weekly-trend.svg", include_in_schema=False)
async def weekly_trend(request: Request, session: SessionDep, campaign_id: RowId) -> Response:
    """Draw the weekly reply and positive-reply rates (the API's picture, for a session)."""
    campaign = await _campaign(request, campaign_id)
    if campaign is None:
        return Response(status_code=404)
    picture = await run_in_threadpool(trend_plot, await _weekly(request, campaign), "svg")
    return Response(picture, media_type="image/svg+xml", headers=SVG_HEADERS)
