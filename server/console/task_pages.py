"""Tasks for a person in the browser: LinkedIn steps, calls and draft answers to hot replies,
with the text to send or say; mark one done or skipped as the API does, with a short note, and
a call done with "meeting booked" (only an open task can be finished: of two people finishing
it at once, the second is refused and told so)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from agent.sequences.tasks import FinishRefused, finish, task_page
from server.console.guard import FormSessionDep, SessionDep
from server.console.reply_rows import PAGE_SIZE
from server.console.sessions import ConsoleSession
from server.console.templating import render
from server.schemas import MAX_ID
from storage.campaigns import list_campaigns
from storage.stage_changes import StageConflict
from storage.tasks import TASK_STATUSES, TaskNotOpen, TaskOutcome

router = APIRouter()
TASK_ID = Annotated[int, Path(ge=1, le=MAX_ID)]
SHOWN = (*TASK_STATUSES, "all")
FINISHED = {"done": "done", "skipped": "skipped", "meeting": "done: meeting booked"}


def campaign_number(value: str | None) -> int | None:
    """A campaign filter's id; the form's empty "any" (or anything not an id) is no filter."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None


async def _tasks_page(
    request: Request,
    session: ConsoleSession,
    *,
    status: str = "open",
    campaign: int | None = None,
    page: int = 1,
    notice: str | None = None,
    refusal: str | None = None,
    status_code: int = 200,
) -> Response:
    db = request.app.state.db
    views, total = await task_page(
        db,
        status=None if status == "all" else status,
        campaign_id=campaign,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    async with db.sessions() as db_session:
        campaigns = await list_campaigns(db_session, limit=200)
    return render(
        request,
        "tasks.html",
        session=session,
        tasks=views,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        status=status,
        statuses=SHOWN,
        campaigns=campaigns,
        campaign=campaign,
        notice=notice,
        refusal=refusal,
        status_code=status_code,
    )


@router.get("/tasks", include_in_schema=False)
async def tasks_list(
    request: Request,
    session: SessionDep,
    status: Annotated[Literal["open", "done", "skipped", "all"], Query()] = "open",
    campaign: Annotated[str | None, Query(max_length=12)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    finished: Annotated[str | None, Query(max_length=20)] = None,
    task: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """List tasks, the earliest due (the most overdue) first, 50 a page."""
    # Fixed words only: the query string is not echoed.
    notice = f"Task {task} marked {FINISHED[finished]}." if finished in FINISHED and task else None
    return await _tasks_page(
        request,
        session,
        status=status,
        campaign=campaign_number(campaign),
        page=page,
        notice=notice,
    )


NoteField = Annotated[str, Form(max_length=20_000)]
"""Bounded here only against abuse: over NOTE_LIMIT gets the list with the reason (422)."""


async def _finish(
    request: Request,
    session: ConsoleSession,
    task_id: int,
    outcome: TaskOutcome,
    note: str = "",
    meeting_booked: bool = False,
) -> Response:
    state = request.app.state
    try:
        await finish(
            state.db,
            task_id,
            outcome=outcome,
            note=note,
            meeting_booked=meeting_booked,
            now=state.clock(),
        )
    except LookupError as exc:
        return render(request, "missing.html", session=session, problem=str(exc), status_code=404)
    except TaskNotOpen as exc:
        refusal = f"Changed by someone else — reload. (Task {task_id} is already {exc.status}.)"
        return await _tasks_page(request, session, refusal=refusal, status_code=409)
    except (FinishRefused, StageConflict) as exc:
        refusal = f"Task {task_id} was left open: {exc}."
        status_code = 409 if isinstance(exc, StageConflict) else 422
        return await _tasks_page(request, session, refusal=refusal, status_code=status_code)
    finished = "meeting" if meeting_booked else outcome
    url = request.url_for("tasks_list").include_query_params(finished=finished, task=task_id)
    return RedirectResponse(url, status_code=303)


@router.post("/tasks/{task_id}/done", include_in_schema=False)
async def task_done(
    request: Request,
    session: FormSessionDep,
    task_id: TASK_ID,
    note: NoteField = "",
    meeting_booked: Annotated[bool, Form()] = False,
) -> Response:
    """Mark an open task done, with a note if given; its sequence step is done too and the
    sequence goes on. A call with "meeting booked" marks the lead meeting_booked instead."""
    return await _finish(request, session, task_id, "done", note, meeting_booked)


@router.post("/tasks/{task_id}/skip", include_in_schema=False)
async def task_skip(
    request: Request, session: FormSessionDep, task_id: TASK_ID, note: NoteField = ""
) -> Response:
    """Skip an open task, with a note if given; its sequence step is skipped and the sequence
    goes on."""
    return await _finish(request, session, task_id, "skipped", note)
