"""One message as a run left it: its lead, decision, reason and every draft (read-only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.console.guard import SessionDep
from server.console.templating import render
from server.message_views import message_out
from server.schemas import RowId
from storage.models import CampaignRow, LeadRow, MessageRow

router = APIRouter()


@router.get("/messages/{message_id}", include_in_schema=False)
async def message_page(request: Request, session: SessionDep, message_id: RowId) -> Response:
    """Show a message's status, reason and drafts; a waiting one links to its review page."""
    async with request.app.state.db.sessions() as db_session:
        row = await db_session.get(MessageRow, message_id)
        lead = await db_session.get(LeadRow, row.lead_id) if row else None
        campaign = await db_session.get(CampaignRow, row.campaign_id) if row else None
    if row is None:
        return render(
            request, "missing.html", session=session,
            problem=f"there is no message {message_id}", status_code=404,
        )  # fmt: skip
    return render(
        request,
        "message.html",
        session=session,
        message=message_out(row),
        lead=lead,
        campaign=campaign,
    )
