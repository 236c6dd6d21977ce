"""Planning: a campaign's stored leads split over its segments, ranked by priority with the
reasons for each score, and planned over a week of its mailboxes."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Request

from agent.campaigns.stored import spec_of
from agent.learning.reply_chance import OutcomeReplyChance, stored_reply_chance
from agent.planning.operations import (
    WeekPlanReport,
    next_week,
    prioritize,
    segment,
    week_of,
)
from agent.planning.plan_enrollment import PlanNotFollowable
from agent.planning.prospects import Prospect
from agent.planning.stored_facts import stored_prospects
from agent.planning.stored_plan import enroll_stored_week, plan_stored_week
from agent.sequences.operations import NoSequence, SequenceConflict
from server.cadence_schemas import (
    CadenceOut,
    CadenceRequest,
    PlanEnrolmentOut,
    SeedCadenceRequest,
)
from server.lookups import row_or_404
from server.planning_schemas import (
    PlanningProblemOut,
    PlanningRequest,
    PrioritizeOut,
    PrioritizeRequest,
    PriorityOut,
    SeedPrioritizeRequest,
    SeedSegmentRequest,
    SegmentOut,
    SegmentRequest,
)
from server.problems import Problem
from server.schemas import RowId
from storage.models import CampaignRow

router = APIRouter(tags=["planning"])


async def _inputs(
    request: Request, campaign_id: int, body: PlanningRequest
) -> tuple[CampaignRow, list[Prospect]]:
    row = await row_or_404(request, CampaignRow, campaign_id, "campaign")
    state = request.app.state
    prospects = await stored_prospects(
        state.db, today=state.clock().date(), lead_ids=body.lead_ids, limit=body.max_leads
    )
    return row, prospects


@router.post(
    "/campaigns/{campaign_id}/segment",
    response_model=SegmentOut,
    summary="Split the stored leads over the campaign's segments",
)
async def segment_leads(
    request: Request, campaign_id: RowId, body: SegmentRequest | None = None
) -> SegmentOut:
    """Place every stored lead (or those named) in the first of the campaign's segments with a
    rule that matches it (fields and researched facts), else in `unsegmented`, with the rule
    that placed it; count each segment against its target share of the week. Problems with
    the campaign's segments (a share scaled, a segment left out) are listed, and the split is
    made with what works. 404: no such campaign."""
    return await _segment(request, campaign_id, body or SegmentRequest())


async def _segment(request: Request, campaign_id: int, body: SegmentRequest) -> SegmentOut:
    row, prospects = await _inputs(request, campaign_id, body)
    report = segment(spec_of(row), prospects)
    return SegmentOut.model_validate(
        {
            "campaign_id": campaign_id,
            "leads": len(prospects),
            "leads_with_facts": sum(1 for p in prospects if p.fact_count),
            "segments": [count.as_dict() for count in report.split.counts],
            "problems": [p.as_dict() for p in report.planning.problems],
            "placements": report.lead_lines() if body.include_leads else [],
        }
    )


@router.post(
    "/campaigns/{campaign_id}/prioritize",
    response_model=PrioritizeOut,
    summary="Rank the stored leads by priority, with the reasons",
)
async def prioritize_leads(
    request: Request, campaign_id: RowId, body: PrioritizeRequest | None = None
) -> PrioritizeOut:
    """Score every stored lead (or those named) for the campaign and return the best `top`:
    each score is a sum of named parts (fit against the target audience, fresh trigger events
    weighed by age, reachability), every part with its reason. `segment` keeps the leads of
    one segment. 404: no such campaign; 422: a segment the campaign does not have."""
    return await _prioritize(request, campaign_id, body or PrioritizeRequest())


async def _prioritize(request: Request, campaign_id: int, body: PrioritizeRequest) -> PrioritizeOut:
    row, prospects = await _inputs(request, campaign_id, body)
    spec = spec_of(row)
    today = request.app.state.clock().date()
    chance = await _reply_chance(request, row)
    report = prioritize(
        spec, prospects, today=today, top=None if body.segment else body.top, reply_chance=chance
    )
    ranked = report.ranked
    if body.segment is not None:
        names = {s.name for s in report.planning.setup.segments} | {"unsegmented"}
        if body.segment not in names:
            raise Problem(
                422,
                f"the campaign has no segment {body.segment!r}; segments: "
                f"{', '.join(sorted(names))}",
                errors=[{"field": "segment", "message": "no such segment"}],
            )
        ranked = [p for p in ranked if p.placement.segment == body.segment][: body.top]
    return PrioritizeOut(
        campaign_id=campaign_id,
        scored=report.scored,
        leads_with_facts=sum(1 for p in prospects if p.fact_count),
        items=[PriorityOut.model_validate(item.as_dict()) for item in ranked],
        problems=[PlanningProblemOut.model_validate(p.as_dict()) for p in report.planning.problems],
    )


@router.post(
    "/outreach/segment", response_model=SegmentOut, summary="Segment (seed 001's path and body)"
)
async def seed_segment(request: Request, body: SeedSegmentRequest) -> SegmentOut:
    """The same as POST /campaigns/{campaign_id}/segment, with the campaign in the body and
    seed 001's `prospect_ids` for lead ids."""
    return await _segment(request, body.campaign_id, SegmentRequest(lead_ids=body.prospect_ids))


@router.post(
    "/outreach/prioritize",
    response_model=PrioritizeOut,
    summary="Prioritize (seed 001's path and body)",
)
async def seed_prioritize(request: Request, body: SeedPrioritizeRequest) -> PrioritizeOut:
    """The same as POST /campaigns/{campaign_id}/prioritize, with the campaign in the body,
    seed 001's `prospect_ids` for lead ids and `limit` for top."""
    return await _prioritize(
        request, body.campaign_id, PrioritizeRequest(lead_ids=body.prospect_ids, top=body.limit)
    )


@router.post(
    "/campaigns/{campaign_id}/cadence/weekly",
    response_model=CadenceOut,
    summary="Plan a week: first touches, follow-ups and tasks per day and mailbox",
)
async def weekly_cadence(
    request: Request, campaign_id: RowId, body: CadenceRequest | None = None
) -> CadenceOut:
    """Plan a week (next week by default) for the stored leads (or those named): per business
    day (public holidays skipped) and per mailbox, first touches by segment share, best leads
    first, within each mailbox's daily cap after its warm-up ramp; the campaign's stored
    follow-ups due that week take their room first; the follow-ups and tasks the new first
    touches bring within the week; never two first touches at one account (email domain) on a
    day. What did not fit is counted by reason; problems with the mailboxes, segments or
    accounts are listed and the plan is made with what works. Nothing is sent. 404: no such
    campaign."""
    return await _cadence(request, campaign_id, body or CadenceRequest())


async def _reply_chance(request: Request, row: CampaignRow) -> OutcomeReplyChance:
    """What the campaign's outcomes since its learning was reset predict (nothing yet: the
    prior alone, which adds no part to a score)."""
    async with request.app.state.db.sessions() as session:
        return await stored_reply_chance(session, row)


async def _cadence(request: Request, campaign_id: int, body: CadenceRequest) -> CadenceOut:
    report = await _plan(request, campaign_id, body)
    found = report.as_json(include_leads=body.include_leads)
    return CadenceOut.model_validate({"campaign_id": campaign_id, **found})


async def _plan(request: Request, campaign_id: int, body: CadenceRequest) -> WeekPlanReport:
    row = await row_or_404(request, CampaignRow, campaign_id, "campaign")
    state = request.app.state
    today = state.clock().date()
    return await plan_stored_week(
        state.db,
        state.settings,
        spec_of(row),
        campaign_id,
        today=today,
        week_start=week_of(body.week) if body.week is not None else next_week(today),
        lead_ids=body.lead_ids,
        limit=body.max_leads,
        reply_chance=await _reply_chance(request, row),
    )


@router.post(
    "/campaigns/{campaign_id}/cadence/weekly/enroll",
    response_model=PlanEnrolmentOut,
    summary="Hand the week's plan to the sequence scheduler",
)
async def enroll_weekly_cadence(
    request: Request, campaign_id: RowId, body: CadenceRequest | None = None
) -> PlanEnrolmentOut:
    """Plan the week as POST /campaigns/{campaign_id}/cadence/weekly does, then enrol each
    planned first touch in its segment's sequence (the campaign's unless the segment's angle
    names one) with its first step due on its planned day (at its window's opening in the
    lead's timezone); the scheduler then writes and sends it and its follow-ups, from the
    mailbox the plan gave the lead and within its ramped daily cap. 409 (nobody enrolled) when
    the sending path would not follow the plan, naming why (a segment without a sequence in a
    campaign without one), or the campaign has no sequence, or is finished.
    404: no such campaign."""
    body = body or CadenceRequest()
    row = await row_or_404(request, CampaignRow, campaign_id, "campaign")
    state = request.app.state
    now = state.clock()
    try:
        report, days = await enroll_stored_week(
            state.db,
            state.settings,
            spec_of(row),
            campaign_id,
            now=now,
            week_start=week_of(body.week) if body.week is not None else next_week(now.date()),
            lead_ids=body.lead_ids,
            limit=body.max_leads,
            reply_chance=await _reply_chance(request, row),
        )
    except PlanNotFollowable as exc:
        raise Problem(
            409,
            f"the scheduler would not follow this plan, so nobody was enrolled: {exc}",
            errors=[{"field": "plan", "message": reason} for reason in exc.reasons],
        ) from None
    except (NoSequence, SequenceConflict) as exc:
        raise Problem(409, str(exc)) from None
    found = report.as_json(include_leads=False)
    return PlanEnrolmentOut.model_validate(
        {
            "campaign_id": campaign_id,
            "week": report.plan.week_start,
            "enrolled": sum(len(d.enrolled) for d in days),
            "already": sum(len(d.already) for d in days),
            "days": [dataclasses.asdict(d) for d in days],
            "did_not_fit": found["did_not_fit"],
            "problems": found["problems"],
        }
    )


@router.post(
    "/outreach/cadence/weekly",
    response_model=CadenceOut,
    summary="Weekly cadence (seed 001's path and body)",
)
async def seed_cadence(request: Request, body: SeedCadenceRequest) -> CadenceOut:
    """The same as POST /campaigns/{campaign_id}/cadence/weekly, with the campaign in the body
    and seed 001's `prospect_ids` for lead ids."""
    return await _cadence(
        request,
        body.campaign_id,
        CadenceRequest(
            lead_ids=body.prospect_ids, week=body.week, include_leads=body.include_leads
        ),
    )
