"""Campaigns: create, read, list, update (with validated status moves)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from server.campaign_fields import (
    apply_fields,
    campaign_out,
    check_planning,
    check_prompt_versions,
)
from server.lookups import row_or_404
from server.problems import Problem
from server.schemas import (
    CampaignCreate,
    CampaignList,
    CampaignOut,
    CampaignStatus,
    CampaignUpdate,
    Limit,
    Offset,
    RowId,
)
from storage.campaigns import (
    CampaignConflict,
    check_name_free,
    check_transition,
    create_campaign,
    list_campaigns,
)
from storage.models import CampaignRow

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


async def _create(request: Request, body: CampaignCreate) -> CampaignOut:
    check_prompt_versions(body)
    check_planning(body)
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        try:
            row = CampaignRow(name=body.name, channel=body.channel.value, status="draft")
            apply_fields(row, body, request.app.state.campaign_defaults)
            row = await create_campaign(session, row)
        except CampaignConflict as exc:
            raise Problem(409, str(exc)) from None
    return campaign_out(row)


@router.post("", status_code=201, response_model=CampaignOut, summary="Create a campaign")
async def create(request: Request, body: CampaignCreate) -> CampaignOut:
    """Create a campaign in draft status."""
    return await _create(request, body)


@router.post(
    "/create", status_code=201, response_model=CampaignOut, summary="Create (seed-style path)"
)
async def create_alias(request: Request, body: CampaignCreate) -> CampaignOut:
    """The same as POST /campaigns, at the path earlier clients use."""
    return await _create(request, body)


@router.get("", response_model=CampaignList, summary="List campaigns")
async def list_all(
    request: Request,
    status: CampaignStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> CampaignList:
    """List campaigns, newest first."""
    async with request.app.state.db.sessions() as session:
        rows = await list_campaigns(session, status=status, limit=limit, offset=offset)
    return CampaignList(items=[campaign_out(r) for r in rows], limit=limit, offset=offset)


@router.get("/{campaign_id}", response_model=CampaignOut, summary="Get a campaign")
async def get_one(request: Request, campaign_id: RowId) -> CampaignOut:
    """Return one campaign."""
    return campaign_out(await row_or_404(request, CampaignRow, campaign_id, "campaign"))


async def _update(request: Request, campaign_id: int, body: CampaignUpdate) -> CampaignOut:
    check_prompt_versions(body)
    check_planning(body)
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        row = await session.get(CampaignRow, campaign_id, with_for_update=True)
        if row is None:
            raise Problem(404, f"there is no campaign {campaign_id}")
        try:
            if body.status is not None:
                check_transition(row.status, body.status)
            if body.name is not None and body.name != row.name:
                await check_name_free(session, body.name)
                row.name = body.name
        except CampaignConflict as exc:
            raise Problem(409, str(exc)) from None
        if body.status is not None:
            row.status = body.status
        apply_fields(row, body, None)
        await session.flush()
        await session.refresh(row)  # the database sets updated_at
        return campaign_out(row)


@router.patch("/{campaign_id}", response_model=CampaignOut, summary="Update a campaign")
async def update(request: Request, campaign_id: RowId, body: CampaignUpdate) -> CampaignOut:
    """Change the fields sent; status moves must follow draft → active → paused/completed/
    cancelled (paused → active again); completed and cancelled are final."""
    return await _update(request, campaign_id, body)


@router.put("/{campaign_id}", response_model=CampaignOut, summary="Update a campaign (PUT)")
async def update_put(request: Request, campaign_id: RowId, body: CampaignUpdate) -> CampaignOut:
    """The same as PATCH: only the fields sent change."""
    return await _update(request, campaign_id, body)
