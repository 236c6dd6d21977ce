"""Tasks for a person (LinkedIn steps and calls of sequences, draft answers to hot replies):
list, read, mark done or skipped, book a slot a lead accepted."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Request
from pydantic import ValidationError

from agent.replies.booking import NotBookable, book_slot
from agent.sequences.tasks import FinishRefused, TaskView, finish, task_page, task_view
from server.problems import Problem
from server.schemas import MAX_ID, Limit, Offset, RowId
from server.task_schemas import (
    Booking,
    BookSlot,
    CallScriptOut,
    ReplyAnswerOut,
    TaskFinish,
    TaskList,
    TaskOut,
)
from storage.stage_changes import StageConflict
from storage.tasks import TaskNotOpen, TaskOutcome, as_utc

router = APIRouter(tags=["tasks"])


def task_out(view: TaskView) -> TaskOut:
    """Return a task as the API shows it (a call's stored script read leniently)."""
    data = view.as_dict()
    stored = data.pop("script")
    script = None
    answer = None
    if view.kind == "call" and stored:
        try:
            script = CallScriptOut.model_validate(stored)
        except ValidationError:
            script = None  # an unreadable script is left out, the task still shows
    if view.kind == "reply" and stored:
        offered = stored.get("slots")
        slots = [
            {**slot, "number": n}
            for n, slot in enumerate(offered if isinstance(offered, list) else [], 1)
            if isinstance(slot, dict)
        ]
        try:
            answer = ReplyAnswerOut.model_validate({**stored, "slots": slots})
        except ValidationError:
            answer = None  # an unreadable draft's details are left out, the task still shows
    return TaskOut.model_validate({**data, "script": script, "answer": answer})


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    try:
        return as_utc(moment)
    except (OverflowError, ValueError):
        message = "not a time that can be compared (out of range)"
        raise Problem(
            422, f"due_before: {message}", errors=[{"field": "due_before", "message": message}]
        ) from None


@router.get("/tasks", response_model=TaskList, summary="List tasks")
async def list_all(
    request: Request,
    status: Annotated[
        Literal["open", "done", "skipped"] | None,
        Query(description="Only tasks with this status ('open': still to do)."),
    ] = None,
    campaign_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    due_before: Annotated[
        dt.datetime | None,
        Query(description="Only tasks due at or before this time (ISO 8601; UTC if no offset)."),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> TaskList:
    """List tasks, the earliest due (the most overdue) first."""
    views, total = await task_page(
        request.app.state.db,
        status=status,
        campaign_id=campaign_id,
        due_before=_utc(due_before),
        limit=limit,
        offset=offset,
    )
    return TaskList(items=[task_out(v) for v in views], total=total, limit=limit, offset=offset)


@router.get("/tasks/{task_id}", response_model=TaskOut, summary="Get a task")
async def get_one(request: Request, task_id: RowId) -> TaskOut:
    """Return one task: the text to paste, or the call script with the facts behind it."""
    try:
        return task_out(await task_view(request.app.state.db, task_id))
    except LookupError as exc:
        raise Problem(404, str(exc)) from None


async def _finish(
    request: Request, task_id: int, outcome: TaskOutcome, body: TaskFinish | None
) -> TaskOut:
    body = body or TaskFinish()
    try:
        view = await finish(
            request.app.state.db,
            task_id,
            outcome=outcome,
            note=body.note,
            meeting_booked=body.meeting_booked,
            now=request.app.state.clock(),
        )
    except LookupError as exc:
        raise Problem(404, str(exc)) from None
    except TaskNotOpen as exc:
        raise Problem(409, str(exc), task_status=exc.status) from None
    except StageConflict as exc:
        raise Problem(409, str(exc)) from None
    except FinishRefused as exc:
        errors = [{"field": exc.field, "message": str(exc)}]
        raise Problem(422, f"{exc.field}: {exc}", errors=errors) from None
    return task_out(view)


FinishBody = Annotated[TaskFinish | None, Body()]


@router.post("/tasks/{task_id}/done", response_model=TaskOut, summary="Mark a task done")
async def done(request: Request, task_id: RowId, body: FinishBody = None) -> TaskOut:
    """Mark an open task done; its sequence step is done too and the sequence goes on. A call
    with `meeting_booked` marks the lead meeting_booked, which ends its sequences instead."""
    return await _finish(request, task_id, "done", body)


@router.post("/tasks/{task_id}/skip", response_model=TaskOut, summary="Skip a task")
async def skip(request: Request, task_id: RowId, body: FinishBody = None) -> TaskOut:
    """Skip an open task; its sequence step is skipped and the sequence goes on."""
    return await _finish(request, task_id, "skipped", body)


@router.post("/tasks/{task_id}/book", response_model=Booking, summary="Book an offered slot")
async def book(request: Request, task_id: RowId, body: BookSlot) -> Booking:
    """The lead accepted slot `slot` of a reply task's draft answer: return the ICS invite to
    send them (also saved under the data directory), mark the lead meeting_booked (its
    sequences stop) and the task done. 404 no task; 409 finished already, or the lead opted
    out; 422 a task without that slot, or no email address for the invite."""
    try:
        booked = await book_slot(
            request.app.state.db,
            request.app.state.settings,
            task_id,
            body.slot,
            now=request.app.state.clock(),
        )
    except LookupError as exc:
        raise Problem(404, str(exc)) from None
    except TaskNotOpen as exc:
        raise Problem(409, str(exc), task_status=exc.status) from None
    except StageConflict as exc:
        raise Problem(409, str(exc)) from None
    except NotBookable as exc:
        raise Problem(422, str(exc)) from None
    return Booking(
        task=task_out(booked.task),
        lead_stage=booked.lead_stage,
        invite_ics=booked.invite.decode(),
        invite_file=str(booked.invite_file),
    )
