"""Batch runs: start one for a campaign, follow its progress, stream it as Server-Sent Events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from agent.runs.background import ResumeRefused, RunRequest
from agent.runs.queued_runs import WorkersUnreachable
from agent.runs.run_checks import CampaignNotRunnable, LeadsTaken, check_runnable
from server.lookups import row_or_404
from server.message_views import message_out
from server.problems import Problem
from server.schemas import GenerateRequest, GenerateResult, RowId, RunOut
from storage.leads import leads_without_message_in, missing_lead_ids
from storage.messages import list_messages, run_messages_after
from storage.models import CampaignRow, RunRow

router = APIRouter(tags=["runs"])
FINAL_RUN_STATUSES = ("completed", "failed")
POLL_S = 0.25


def run_out(request: Request, run: RunRow) -> RunOut:
    """Return the API view of a run row."""
    base = f"{request.scope.get('root_path', '')}/api/v1"
    return RunOut(
        id=run.id,
        campaign_id=run.campaign_id,
        status=run.status,
        total=run.total,
        processed=run.processed,
        approved=run.approved,
        sent=run.sent,
        queued=run.queued,
        rejected=run.rejected,
        model_calls=run.model_calls,
        model_calls_per_lead=run.model_calls / run.processed if run.processed else None,
        lead_ids=run.options.get("lead_ids", []),
        started_at=run.started_at,
        finished_at=run.finished_at,
        error=run.error,
        status_url=f"{base}/runs/{run.id}",
        events_url=f"{base}/runs/{run.id}/events",
        messages_url=f"{base}/messages?run_id={run.id}",
    )


async def _leads_for(request: Request, campaign: CampaignRow, asked: list[int] | None) -> list[int]:
    async with request.app.state.db.sessions() as session:
        if asked is not None:
            if missing := await missing_lead_ids(session, asked):
                detail = f"there are no leads with ids {missing[:20]}"
                raise Problem(422, detail, errors=[{"field": "lead_ids", "message": detail}])
            return list(dict.fromkeys(asked))
        return await leads_without_message_in(
            session, campaign_id=campaign.id, min_score=campaign.min_qualification_score
        )


@router.post(
    "/campaigns/{campaign_id}/generate-messages",
    status_code=202,
    responses={
        200: {"model": GenerateResult, "description": "With ?wait=true: the outcome."},
        409: {
            "description": "A lead asked for already has a settled message in this campaign "
            "(approved, scheduled, sent, being reviewed, ...) or another run is writing to "
            "it; each is named with its message or run in `errors`. Nothing was started."
        },
        503: {
            "description": "Runs go to workers (OUTREACH_BROKER_URL) and the broker could not "
            "be reached: the run is marked failed and its leads are free to ask for again."
        },
    },
    response_model=RunOut | GenerateResult,
    summary="Research and write messages for leads (a background run)",
)
async def generate(
    request: Request,
    response: Response,
    campaign_id: RowId,
    body: GenerateRequest | None = None,
    wait: Annotated[
        bool, Query(description="Answer when the run ends, with its messages (seed shape).")
    ] = False,
) -> RunOut | GenerateResult:
    """Start a run over the given leads, or over every qualified lead not yet written to.

    Returns the run at once (202); follow it at `status_url` or stream `events_url`. Messages
    that clear the campaign's quality and relevance bar (with auto_send on) are approved for
    sending; the rest wait for review or are rejected, each with its reason.

    A lead has one message per campaign. Asking again for a lead whose message nobody has
    acted on (queued for review, or rejected, and never sent) rewrites that message: it keeps
    its id and review history, gets new drafts and a new version, and moves to the new run
    (its earlier drafts stay in its history). A lead whose message is approved, scheduled,
    sent (or later), being reviewed, failed or suppressed is never rewritten or contacted
    again: the request is refused with 409 naming the lead and its message, and nothing is
    started; so is a lead another unfinished run of the campaign is writing to. Without
    lead_ids, leads that already have a message in the campaign are not picked.
    """
    body = body or GenerateRequest()
    campaign = await row_or_404(request, CampaignRow, campaign_id, "campaign")
    try:
        check_runnable(campaign)
    except CampaignNotRunnable as exc:
        if exc.field is None:
            raise Problem(409, str(exc)) from None
        raise Problem(422, str(exc), errors=[{"field": exc.field, "message": str(exc)}]) from None
    lead_ids = await _leads_for(request, campaign, body.lead_ids)
    if not lead_ids:
        detail = (
            f"no leads to write to: none has a qualification score of at least "
            f"{campaign.min_qualification_score:g} without a message in this campaign already; "
            "import leads or pass lead_ids"
        )
        raise Problem(422, detail, errors=[{"field": "lead_ids", "message": detail}])
    runs = request.app.state.runs
    try:
        run_id = await runs.start(
            campaign,
            RunRequest(
                lead_ids=lead_ids, template=body.template, custom_context=body.custom_context
            ),
            taken="refuse" if body.lead_ids is not None else "skip",
        )
    except LeadsTaken as exc:
        raise Problem(409, str(exc), errors=_taken_errors(exc)) from None
    except WorkersUnreachable as exc:  # the broker is down: the run failed, nothing is held
        raise Problem(503, f"{exc}; try again once the broker is back") from None
    if wait:
        await runs.wait(run_id)
        response.status_code = 200
        return await _result(request, run_id)
    async with request.app.state.db.sessions() as session:
        run = await session.get(RunRow, run_id)
    assert run is not None
    response.headers["Location"] = f"/api/v1/runs/{run_id}"
    return run_out(request, run)


def _taken_errors(exc: LeadsTaken) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for taken in exc.taken[:100]:
        error: dict[str, Any] = {"field": "lead_ids", "lead_id": taken.lead_id}
        if taken.message_id is not None:
            error.update(message_id=taken.message_id, status=taken.status)
        else:
            error["run_id"] = taken.run_id
        error["message"] = exc.describe(taken)
        errors.append(error)
    return errors


async def _result(request: Request, run_id: str) -> GenerateResult:
    async with request.app.state.db.sessions() as session:
        run = await session.get(RunRow, run_id)
        assert run is not None
        rows, _ = await list_messages(session, run_id=run_id, limit=100_000)
    messages = [message_out(row) for row in rows]
    latencies = [m.generation_latency_ms for m in messages if m.generation_latency_ms]
    return GenerateResult(
        success=run.status == "completed",
        campaign_id=run.campaign_id,
        run_id=run.id,
        status=run.status,
        error=run.error,
        messages_generated=len(messages),
        total_cost_usd=round(sum(m.generation_cost_usd for m in messages), 8),
        average_latency_ms=round(sum(latencies) / len(latencies), 1) if latencies else 0.0,
        messages=messages,
    )


async def _load_run(request: Request, run_id: str) -> RunRow:
    return await row_or_404(request, RunRow, run_id, "run")


@router.get("/runs/{run_id}", response_model=RunOut, summary="Get a run's progress")
async def get_run(request: Request, run_id: str) -> RunOut:
    """Return how far a run is: leads processed, approved, queued, rejected."""
    return run_out(request, await _load_run(request, run_id))


@router.post(
    "/runs/{run_id}/resume",
    status_code=202,
    response_model=RunOut,
    summary="Resume a run a stop or crash cut off",
    responses={
        409: {
            "description": "Nothing to resume: the run is finished, is being worked on (by "
            "this server, another, or its workers within the last two minutes), or is not the "
            "server's (a CLI run; one on the workers while this server has no broker). "
            "`reason` says which: finished, running or elsewhere."
        },
    },
)
async def resume_run(request: Request, run_id: str) -> RunOut:
    """Work on a cut-off run again: the leads it finished are skipped, the others continue
    from their last completed step (a run on the workers: they go back on the queue)."""
    await _load_run(request, run_id)
    try:
        await request.app.state.runs.resume(run_id)
    except ResumeRefused as exc:
        raise Problem(409, str(exc), reason=exc.reason) from None
    return run_out(request, await _load_run(request, run_id))


@router.get("/runs/{run_id}/result", response_model=GenerateResult, summary="Get a run's messages")
async def get_result(request: Request, run_id: str) -> GenerateResult:
    """Return a run's messages so far, in the shape generate-messages?wait=true answers."""
    await _load_run(request, run_id)
    return await _result(request, run_id)


@router.get(
    "/runs/{run_id}/events",
    summary="Stream a run's progress (Server-Sent Events)",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(
    request: Request,
    run_id: str,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    """Stream `message` events (one per finished lead: id, lead, status, reason), `progress`
    events (the run's counts) and a final `end` event. Reconnect with Last-Event-ID to pick up
    after the last message you saw."""
    await _load_run(request, run_id)
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    return EventSourceResponse(_stream(request, run_id, after), ping=15)


async def _stream(request: Request, run_id: str, after: int) -> AsyncIterator[ServerSentEvent]:
    # The database is the source of truth, so a run resumed by another process streams too.
    last_progress: tuple[int, str] | None = None
    while True:
        async with request.app.state.db.sessions() as session:
            run = await session.get(RunRow, run_id)
            assert run is not None
            rows = await run_messages_after(session, run_id=run_id, after=after)
        for row in rows:
            after = row.id
            view = {
                "message_id": row.id,
                "lead_id": row.lead_id,
                "status": row.status,
                "reason": row.reason,
                "quality_score": row.quality_score,
            }
            yield ServerSentEvent(json.dumps(view), event="message", id=str(row.id))
        progress = (run.processed, run.status)
        if progress != last_progress:
            last_progress = progress
            yield ServerSentEvent(run_out(request, run).model_dump_json(), event="progress")
        if run.status in FINAL_RUN_STATUSES:
            yield ServerSentEvent(json.dumps({"status": run.status}), event="end")
            return
        if await request.is_disconnected():
            return
        await asyncio.sleep(POLL_S)
