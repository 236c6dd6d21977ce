"""Sending: activate a campaign and send its approved messages within the mailbox's limits."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel

from agent.dispatcher import CampaignNotSendable, Dispatcher, sender_of
from server.problems import Problem
from server.schemas import RowId
from storage.campaigns import CampaignConflict, check_transition
from storage.models import CampaignRow

router = APIRouter(tags=["sending"])


class SendResult(BaseModel):
    """What POST /campaigns/{id}/send did."""

    success: bool
    campaign_id: int
    status: str
    provider: str
    sent: list[int]
    scheduled: dict[int, dt.datetime]
    suppressed: list[int]
    stopped: list[int]
    failed: dict[int, str]
    next_send_at: dt.datetime | None


@router.post("/campaigns/{campaign_id}/send", response_model=SendResult, summary="Send a campaign")
async def send(request: Request, campaign_id: RowId) -> SendResult:
    """Activate the campaign and send its approved messages now, as far as limits allow.

    Every email is checked against the suppression list just before it goes and carries the
    sender's postal address and a one-click unsubscribe link. What the daily cap, the gap
    between sends, domain pacing or the recipient's business hours hold back is `scheduled`
    (with its time) and sent by the server when due; nothing is dropped. Sending again later
    is safe: nothing goes twice.
    """
    db = request.app.state.db
    dispatcher: Dispatcher = request.app.state.dispatcher
    async with db.write_lock, db.sessions.begin() as session:
        campaign = await session.get(CampaignRow, campaign_id, with_for_update=True)
        if campaign is None:
            raise Problem(404, f"there is no campaign {campaign_id}")
        if campaign.channel == "email":
            try:
                sender_of(campaign, request.app.state.settings)
            except CampaignNotSendable as exc:
                raise Problem(
                    422, str(exc), errors=[{"field": "sender", "message": str(exc)}]
                ) from None
        else:
            raise Problem(
                422,
                f"campaign {campaign_id} is a {campaign.channel} campaign: there is no sending "
                "API for it; export its approved messages (GET /campaigns/{id}/messages?status="
                "approved) and send them by hand",
                errors=[{"field": "channel", "message": "only email campaigns can be sent"}],
            )
        if campaign.status != "active":
            try:
                check_transition(campaign.status, "active")
            except CampaignConflict as exc:
                raise Problem(409, str(exc)) from None
            campaign.status = "active"
    report = await dispatcher.dispatch(campaign_id)
    return SendResult(
        success=not report.failed,
        campaign_id=campaign_id,
        status="active",
        provider=dispatcher.provider.name,
        sent=report.sent,
        scheduled=report.scheduled,
        suppressed=report.suppressed,
        stopped=report.stopped,
        failed=report.failed,
        next_send_at=report.next_send_at,
    )
