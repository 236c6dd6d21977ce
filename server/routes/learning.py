"""A campaign's learning from reviewers' edits and replies: read it, reset it, undo a reset."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from agent.learning.overview import reset_campaign_learning, show_learning, undo_campaign_reset
from server.problems import Problem
from server.schemas import RowId
from storage.models import CampaignRow

router = APIRouter(tags=["learning"])


async def _campaign(session: Any, campaign_id: RowId) -> CampaignRow:
    row = await session.get(CampaignRow, campaign_id)
    if row is None:
        raise Problem(404, f"there is no campaign {campaign_id}")
    return row


@router.get("/campaigns/{campaign_id}/learning", summary="What the campaign has learned")
async def learning(request: Request, campaign_id: RowId) -> dict[str, Any]:
    """Return what shapes the campaign's next drafts and priorities, since its last reset
    (`since`): the edited messages the writer takes as examples (most recent first), the
    phrasings reviewers kept deleting (`avoid`) and kept or wrote (`prefer`), and per segment
    the sends and positive replies by hook kind and tone with the Beta prior and posterior."""
    async with request.app.state.db.sessions() as session:
        return await show_learning(session, await _campaign(session, campaign_id))


@router.delete("/campaigns/{campaign_id}/learning", summary="Reset the campaign's learning")
async def reset(request: Request, campaign_id: RowId) -> dict[str, Any]:
    """Start the campaign's learning afresh: edits and replies so far stop shaping its drafts
    and priorities. Nothing is deleted; POST .../learning/undo-reset brings them back."""
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        row = await _campaign(session, campaign_id)
        await reset_campaign_learning(session, row)
        return await show_learning(session, row)


@router.post("/campaigns/{campaign_id}/learning/undo-reset", summary="Undo the last reset")
async def undo(request: Request, campaign_id: RowId) -> dict[str, Any]:
    """Let everything learned before the last reset count again (409 without a reset)."""
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        row = await _campaign(session, campaign_id)
        if not await undo_campaign_reset(session, row):
            raise Problem(409, f"campaign {campaign_id} has no reset to undo")
        return await show_learning(session, row)
