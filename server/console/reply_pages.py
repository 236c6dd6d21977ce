"""The reply inbox in the browser: each inbound reply with the classifier's intent and reason,
what was done about it, and the drafted answer waiting as a task."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from server.console.guard import SessionDep
from server.console.reply_rows import INTENTS, reply_page
from server.console.task_pages import campaign_number
from server.console.templating import render
from storage.campaigns import list_campaigns

router = APIRouter()


@router.get("/replies", include_in_schema=False)
async def reply_inbox(
    request: Request,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    intent: Annotated[str | None, Query(max_length=40)] = None,
    campaign: Annotated[str | None, Query(max_length=12)] = None,
) -> Response:
    """List inbound replies, newest first, 50 a page; by intent and campaign if asked."""
    # An unknown intent (or the form's empty "any") filters nothing rather than failing.
    chosen = intent if intent in INTENTS else None
    campaign_id = campaign_number(campaign)
    db = request.app.state.db
    inbox = await reply_page(db, page=page, intent=chosen, campaign_id=campaign_id)
    async with db.sessions() as db_session:
        campaigns = await list_campaigns(db_session, limit=200)
    return render(
        request,
        "replies.html",
        session=session,
        inbox=inbox,
        intents=INTENTS,
        intent=chosen,
        campaigns=campaigns,
        campaign=campaign_id,
    )
