"""Messages: list and read them, report their delivery status, and review queued ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from agent.review.queue import ReviewError, act
from graphs.review_log import ReviewAction
from server.lookups import row_or_404
from server.message_views import message_out, statuses_for
from server.problems import Problem
from server.schemas import (
    MAX_ID,
    Limit,
    MessageList,
    MessageOut,
    MessageVariants,
    Offset,
    ReviewOut,
    ReviewRequest,
    RowId,
    StatusUpdate,
)
from storage.engagement import lock_for_events, record_engagement
from storage.messages import list_messages
from storage.models import CampaignRow, MessageRow
from tools.delivery.send_queue import SendQueue

router = APIRouter(tags=["messages"])

StatusFilter = Annotated[
    list[str] | None,
    Query(
        description="Statuses to include (repeat or comma-separate); 'pending' means not sent "
        "yet: queued, reviewing, approved or scheduled."
    ),
]


async def load_message(request: Request, message_id: int) -> MessageRow:
    """Return a message row or raise a 404 problem."""
    return await row_or_404(request, MessageRow, message_id, "message")


async def _page(
    request: Request,
    *,
    campaign_id: int | None,
    status: list[str] | None,
    run_id: str | None,
    limit: int,
    offset: int,
) -> MessageList:
    names = [name.strip() for item in status or [] for name in item.split(",") if name.strip()]
    try:
        statuses = statuses_for(names)
    except ValueError as exc:
        raise Problem(422, str(exc), errors=[{"field": "status", "message": str(exc)}]) from None
    async with request.app.state.db.sessions() as session:
        rows, total = await list_messages(
            session,
            campaign_id=campaign_id,
            statuses=statuses,
            run_id=run_id,
            limit=limit,
            offset=offset,
        )
    return MessageList(
        items=[message_out(row) for row in rows], total=total, limit=limit, offset=offset
    )


@router.get("/messages", response_model=MessageList, summary="List messages")
async def list_all(
    request: Request,
    campaign_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    run_id: str | None = None,
    status: StatusFilter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> MessageList:
    """List messages, oldest first, filtered by campaign, run and status."""
    return await _page(
        request, campaign_id=campaign_id, status=status, run_id=run_id, limit=limit, offset=offset
    )


@router.get(
    "/campaigns/{campaign_id}/messages",
    response_model=MessageList,
    summary="List a campaign's messages",
)
async def list_for_campaign(
    request: Request,
    campaign_id: RowId,
    status: StatusFilter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> MessageList:
    """List one campaign's messages (the seed's path)."""
    await row_or_404(request, CampaignRow, campaign_id, "campaign")
    return await _page(
        request, campaign_id=campaign_id, status=status, run_id=None, limit=limit, offset=offset
    )


@router.get("/messages/{message_id}", response_model=MessageOut, summary="Get a message")
async def get_one(request: Request, message_id: RowId) -> MessageOut:
    """Return one message with its drafts."""
    return message_out(await load_message(request, message_id))


@router.get(
    "/messages/{message_id}/variants",
    response_model=MessageVariants,
    summary="Get a message's drafts",
)
async def variants(request: Request, message_id: RowId) -> MessageVariants:
    """Return the three drafts (professional, friendly, direct), their scores and the choice."""
    message = message_out(await load_message(request, message_id))
    return MessageVariants(
        message_id=message.id,
        variants=message.variants,
        selected_variant=message.selected_variant,
        selected_tone=message.selected_tone,
        status=message.status,
    )


@router.put("/messages/{message_id}/status", response_model=MessageOut, summary="Report a status")
async def update_status(request: Request, message_id: RowId, body: StatusUpdate) -> MessageOut:
    """Record what a delivery system reports about a message (as its webhook would).

    Statuses only move forward (delivered → opened → clicked → replied); a bounce, complaint or
    unsubscribe also suppresses the address, and a reply stops the lead's other messages.
    """
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        row = await session.get(MessageRow, message_id)
        if row is None:
            raise Problem(404, f"there is no message {message_id}")
        # Locked (and re-read) with what the event may write, in storage/lock_order.py's order.
        await lock_for_events(session, [(row, body.status)])
        if row.sent_at is None and body.status != "sent" and row.status != "sent":
            raise Problem(
                409,
                f"message {message_id} is {row.status} and was never sent; report 'sent' "
                "first (with the provider's id in channel_data)",
            )
        provider_id = body.channel_data.get("email_id") or body.channel_data.get("message_id")
        if provider_id and not row.provider_message_id:
            row.provider_message_id = str(provider_id)
        await record_engagement(session, row, body.status, payload={"api": body.channel_data})
        await session.refresh(row)
        return message_out(row)


@router.post(
    "/messages/{message_id}/review", response_model=ReviewOut, summary="Review a queued message"
)
async def review(request: Request, message_id: RowId, body: ReviewRequest) -> ReviewOut:
    """Approve (optionally a chosen draft), edit, reject or regenerate a queued message.

    The lead's paused graph resumes with the decision: an edit is checked by the critic like
    any draft, a regenerate rewrites with your feedback, and an approved message joins the
    campaign's send queue. Send `expected_version` to be refused if someone acted first.
    """
    await load_message(request, message_id)  # 404 for an unknown message
    action = ReviewAction.model_validate(
        body.model_dump(exclude={"expected_version"}, exclude_none=True)
    )
    try:
        result = await act(
            request.app.state.settings,
            message_id,
            action,
            expected_version=body.expected_version,
            db=request.app.state.db,
            outbox=SendQueue(),
            record_sends=False,
        )
    except ReviewError as exc:
        raise Problem(409, str(exc)) from None
    return ReviewOut(
        message=message_out(await load_message(request, message_id)), feedback=result.feedback
    )
