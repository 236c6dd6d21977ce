"""Runs in the browser: recent runs, a run started from an uploaded lead file, its live progress.

A run is started the way the API starts one (check_runnable, the app's BackgroundRuns, leads
already settled in the campaign skipped), and its page follows the API's own event stream.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sse_starlette import EventSourceResponse

from agent.leads.store import store_leads
from agent.runs.background import ResumeRefused, RunRequest
from agent.runs.queued_runs import WorkersUnreachable
from agent.runs.run_checks import CampaignNotRunnable, LeadsTaken, check_runnable
from graphs.lead import Channel
from server.console.guard import FormSessionDep, SessionDep
from server.console.lead_upload import (
    MAX_UPLOAD_BYTES,
    UploadRefused,
    UploadTooLarge,
    read_lead_upload,
    too_large_text,
)
from server.console.run_rows import recent_runs, run_decisions
from server.console.sessions import ConsoleSession
from server.console.templating import render
from server.routes.runs import events as run_events
from server.schemas import MAX_ID
from storage.campaigns import list_campaigns
from storage.models import CampaignRow, RunRow

router = APIRouter()
RUN_ID = Annotated[str, Path(max_length=40)]


@router.get("/runs", include_in_schema=False)
async def runs_page(request: Request, session: SessionDep) -> Response:
    """List the newest runs with their status and progress."""
    async with request.app.state.db.sessions() as db_session:
        lines = await recent_runs(db_session)
    return render(request, "runs.html", session=session, runs=lines)


async def new_run_form(
    request: Request,
    session: ConsoleSession,
    *,
    chosen: int | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The form to start a run, with why the last one was not started if it was not."""
    async with request.app.state.db.sessions() as db_session:
        campaigns = await list_campaigns(db_session, limit=200)
    return render(
        request,
        "run_new.html",
        session=session,
        campaigns=campaigns,
        chosen=chosen,
        problems=problems or [],
        max_kb=MAX_UPLOAD_BYTES // 1000,
        status_code=status_code,
        headers=headers,
    )


@router.get("/runs/new", include_in_schema=False)
async def new_run_page(
    request: Request,
    session: SessionDep,
    campaign: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Show the form: a campaign and a lead file (CSV or JSONL)."""
    return await new_run_form(request, session, chosen=campaign)


@router.post("/runs", include_in_schema=False)
async def start_run(
    request: Request,
    session: FormSessionDep,
    campaign: Annotated[int, Form(ge=1, le=MAX_ID)],
    leads: Annotated[UploadFile, File()],
) -> Response:
    """Import the uploaded leads and start a run of the campaign over them."""
    state = request.app.state

    async def refused(*problems: str, status_code: int = 422) -> Response:
        return await new_run_form(
            request, session, chosen=campaign, problems=list(problems), status_code=status_code
        )

    async with state.db.sessions() as db_session:
        row = await db_session.get(CampaignRow, campaign)
    if row is None:
        return await refused(f"there is no campaign {campaign}", status_code=404)
    name = leads.filename or "the file"
    if leads.size is not None and leads.size > MAX_UPLOAD_BYTES:
        return await refused(f"{name}: {too_large_text(leads.size)}", status_code=413)
    try:
        check_runnable(row)
        read = read_lead_upload(
            await leads.read(MAX_UPLOAD_BYTES + 1), leads.filename or "upload", Channel(row.channel)
        )
    except CampaignNotRunnable as exc:
        return await refused(str(exc), status_code=409)
    except UploadRefused as exc:
        status = 413 if isinstance(exc, UploadTooLarge) else 422
        return await refused(f"{name}: {exc}", status_code=status)
    if not read.parsed.leads:
        return await refused("no row of the file is a lead that can run", *read.problems[:50])
    lead_ids = await store_leads(state.db, [lead for _, lead in read.parsed.leads])
    try:
        run_id = await state.runs.start(row, RunRequest(lead_ids=lead_ids), taken="skip")
    except LeadsTaken as exc:
        return await refused(*(exc.describe(t) for t in exc.taken[:50]), status_code=409)
    except WorkersUnreachable as exc:
        return await refused(f"{exc}; try again once the broker is back", status_code=503)
    return RedirectResponse(request.url_for("run_page", run_id=run_id), status_code=303)


async def _run(request: Request, run_id: str) -> RunRow | None:
    async with request.app.state.db.sessions() as db_session:
        return await db_session.get(RunRow, run_id)


@router.get("/runs/{run_id}", include_in_schema=False)
async def run_page(request: Request, session: SessionDep, run_id: RUN_ID) -> Response:
    """Show a run's progress (live while it runs) and each lead's decision."""
    return await _run_page(request, session, run_id)


async def _run_page(
    request: Request,
    session: ConsoleSession,
    run_id: str,
    *,
    refusal: str | None = None,
    status_code: int = 200,
) -> Response:
    run = await _run(request, run_id)
    if run is None:
        return render(
            request, "missing.html", session=session, problem="there is no such run",
            status_code=404,
        )  # fmt: skip
    async with request.app.state.db.sessions() as db_session:
        decisions = await run_decisions(db_session, run_id)
        campaign = await db_session.get(CampaignRow, run.campaign_id)
    return render(
        request,
        "run.html",
        session=session,
        run=run,
        campaign=campaign,
        decisions=decisions,
        finished=run.status in ("completed", "failed"),
        can_resume=await request.app.state.runs.resume_refusal(run) is None,
        refusal=refusal,
        status_code=status_code,
    )


@router.post("/runs/{run_id}/resume", include_in_schema=False)
async def resume(request: Request, session: FormSessionDep, run_id: RUN_ID) -> Response:
    """Work on a run a stop or crash cut off again, skipping the leads it already finished."""
    try:
        await request.app.state.runs.resume(run_id)
    except ResumeRefused as exc:
        return await _run_page(request, session, run_id, refusal=str(exc), status_code=409)
    return RedirectResponse(request.url_for("run_page", run_id=run_id), status_code=303)


@router.get("/runs/{run_id}/events", include_in_schema=False)
async def run_event_stream(
    request: Request,
    session: SessionDep,
    run_id: RUN_ID,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    """The API's event stream of the run (message, progress, end), for a console session."""
    return await run_events(request, run_id, last_event_id)
