"""Campaign sequences: preview every step for a lead, enrol leads, read a lead's sequence,
pause and resume, and the metrics per step and per sequence."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request

from agent.providers import ProviderConfigError
from agent.sequences.operations import (
    NoSequence,
    SequenceConflict,
    compare,
    enroll,
    lead_sequence,
    sequence_metrics,
    set_paused,
)
from agent.sequences.preview import preview_sequence
from server.problems import Problem
from server.schemas import MAX_ID, RowId
from server.sequence_schemas import (
    EnrollOut,
    EnrollRequest,
    LeadSequenceOut,
    PauseOut,
    PreviewRequest,
    SequencePreviewOut,
    StepPreviewOut,
)
from storage.sequence_metrics import MAX_COMPARED

router = APIRouter(tags=["sequences"])
T = TypeVar("T")


async def answer(work: Awaitable[T]) -> T:
    """Await the operation; its errors become problems: 404 unknown, 409 not possible now."""
    try:
        return await work
    except LookupError as exc:
        raise Problem(404, str(exc)) from None
    except (NoSequence, SequenceConflict) as exc:
        raise Problem(409, str(exc)) from None
    except ProviderConfigError as exc:
        raise Problem(503, f"the writer is not configured: {exc}") from None


@router.post(
    "/campaigns/{campaign_id}/sequence/preview",
    response_model=SequencePreviewOut,
    summary="Draft every step of the sequence for a lead",
)
async def preview(request: Request, campaign_id: RowId, body: PreviewRequest) -> SequencePreviewOut:
    """Write every step of the campaign's sequence for one lead, as the scheduler would (from
    the lead's stored facts, through the critic and the send/queue/reject decision, each
    follow-up knowing the drafts before it; a call step as a call script), for review before
    launch. Nothing is sent and no message is stored. 404: no such campaign or lead; 409: the
    campaign has no sequence or no value proposition to write from."""
    state = request.app.state
    steps = await answer(
        preview_sequence(state.settings, state.db, campaign_id, body.lead_id, clock=state.clock)
    )
    return SequencePreviewOut(
        campaign_id=campaign_id,
        lead_id=body.lead_id,
        steps=[StepPreviewOut.model_validate(step.as_dict()) for step in steps],
    )


@router.post(
    "/campaigns/{campaign_id}/sequence/enroll",
    response_model=EnrollOut,
    summary="Enrol leads in the sequence",
)
async def enroll_leads(request: Request, campaign_id: RowId, body: EnrollRequest) -> EnrollOut:
    """Enrol stored leads in the campaign's sequence and activate the campaign: each lead's
    first step is due at the opening of its window on the next business day in its timezone.
    A lead enrolled before is left as it is (`already`). 404: an unknown campaign or lead
    (nobody is enrolled); 409: no sequence, or a completed or cancelled campaign."""
    state = request.app.state
    done = await answer(
        enroll(state.db, state.settings, campaign_id, body.lead_ids, now=state.clock())
    )
    return EnrollOut.model_validate(dataclasses.asdict(done))


@router.get(
    "/campaigns/{campaign_id}/leads/{lead_id}/sequence",
    response_model=LeadSequenceOut,
    summary="A lead's sequence, step by step",
)
async def lead_view(request: Request, campaign_id: RowId, lead_id: RowId) -> LeadSequenceOut:
    """Return the lead's place in the sequence: active, paused, stopped (with the reason) or
    finished; each step so far with its state, due and finished times, message and task; and
    the steps still to come. 404: no such campaign or lead, or the lead is not enrolled."""
    view = await answer(lead_sequence(request.app.state.db, campaign_id, lead_id))
    return LeadSequenceOut.model_validate(dataclasses.asdict(view))


async def _pause(
    request: Request, campaign_id: int, lead_id: int | None, *, paused: bool
) -> PauseOut:
    state = request.app.state
    outcome = await answer(
        set_paused(state.db, campaign_id, paused=paused, lead_id=lead_id, now=state.clock())
    )
    return PauseOut.model_validate(dataclasses.asdict(outcome))


@router.post(
    "/campaigns/{campaign_id}/sequence/pause", response_model=PauseOut, summary="Pause a sequence"
)
async def pause_campaign(request: Request, campaign_id: RowId) -> PauseOut:
    """Pause the campaign and every scheduled step of its sequence (sent steps stay sent).
    409: a draft, completed or cancelled campaign, or one without a sequence."""
    return await _pause(request, campaign_id, None, paused=True)


@router.post(
    "/campaigns/{campaign_id}/sequence/resume",
    response_model=PauseOut,
    summary="Resume a sequence",
)
async def resume_campaign(request: Request, campaign_id: RowId) -> PauseOut:
    """Resume a paused campaign: steps that fell due meanwhile are due now (leads paused one
    by one stay paused). 409: a completed or cancelled campaign, or one without a sequence."""
    return await _pause(request, campaign_id, None, paused=False)


@router.post(
    "/campaigns/{campaign_id}/leads/{lead_id}/sequence/pause",
    response_model=PauseOut,
    summary="Pause one lead's sequence",
)
async def pause_lead(request: Request, campaign_id: RowId, lead_id: RowId) -> PauseOut:
    """Pause one lead's scheduled steps. 404: not enrolled; 409: its sequence stopped or
    finished."""
    return await _pause(request, campaign_id, lead_id, paused=True)


@router.post(
    "/campaigns/{campaign_id}/leads/{lead_id}/sequence/resume",
    response_model=PauseOut,
    summary="Resume one lead's sequence",
)
async def resume_lead(request: Request, campaign_id: RowId, lead_id: RowId) -> PauseOut:
    """Resume one paused lead (a step that fell due meanwhile is due now). 404: not enrolled;
    409: its sequence stopped or finished."""
    return await _pause(request, campaign_id, lead_id, paused=False)


@router.get(
    "/campaigns/{campaign_id}/sequence/metrics",
    summary="Sequence metrics per step and per sequence",
)
async def metrics(request: Request, campaign_id: RowId) -> dict[str, Any]:
    """Return the sequence's leads (enrolled, active, paused, stopped, finished) and, per step:
    leads reached, step states, sent, delivered, opened, replied, positive replies, their rate
    and meeting requests (null only when every reply predates the reply classifier),
    unsubscribed, bounced, reply rate (the step's replies over its
    sends, with a Wilson 95% interval), median hours to reply, and tasks for LinkedIn and call
    steps; and the tones as arms of the whole sequence (leads replied at any step). 409: the
    campaign has no sequence."""
    return await answer(sequence_metrics(request.app.state.db, campaign_id))


CampaignIds = Annotated[
    str,
    Query(
        max_length=200,
        description=f"2 to {MAX_COMPARED} campaign ids, comma-separated (e.g. 1,2).",
        examples=["1,2"],
    ),
]


def _ids(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    bad = [p for p in parts if not (p.isascii() and p.isdigit() and 0 < int(p) <= MAX_ID)]
    ids = list(dict.fromkeys(int(p) for p in parts if p not in bad))
    message = None
    if bad:
        message = f"not a campaign id: {', '.join(repr(b[:20]) for b in bad[:3])}"
    elif not 2 <= len(ids) <= MAX_COMPARED:
        message = f"give 2 to {MAX_COMPARED} different campaign ids, comma-separated"
    if message is not None:
        raise Problem(
            422,
            f"campaign_ids: {message}",
            errors=[{"field": "campaign_ids", "message": message}],
        )
    return ids


@router.get("/sequences/compare", summary="Compare campaigns' sequences")
async def compare_campaigns(request: Request, campaign_ids: CampaignIds) -> dict[str, Any]:
    """Compare whole sequences (e.g. a 3-step against a 5-step campaign): each campaign's leads
    enrolled and those who replied at any step, with Wilson 95% intervals and a two-sided test
    of the best two (fixed-sample, for information). 404: an unknown campaign; 409: one without
    a sequence."""
    return await answer(compare(request.app.state.db, _ids(campaign_ids)))
