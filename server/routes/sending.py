"""Sending: activate a campaign and send its approved messages within the mailbox's limits."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel

from agent.delivery.campaign_sender import CampaignNotSendable
from agent.delivery.dispatcher import Dispatcher
from server.problems import Problem
from server.schemas import RowId
from storage.campaigns import CampaignConflict

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
    dispatcher: Dispatcher = request.app.state.dispatcher
    try:
        report = await dispatcher.send_campaign(campaign_id)
    except LookupError as exc:
        raise Problem(404, str(exc)) from None
    except CampaignNotSendable as exc:
        raise Problem(422, str(exc), errors=[{"field": exc.field, "message": str(exc)}]) from None
    except CampaignConflict as exc:
        raise Problem(409, str(exc)) from None
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
