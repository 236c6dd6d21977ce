"""The review queue in the browser: list, read, approve, edit (checked first), reject, rewrite."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from agent.review.draft_detail import check_edit, draft_detail
from agent.review.queue import ReviewError, act
from graphs.drafts import Tone
from graphs.review_log import ReviewAction
from server.console.guard import FormSessionDep, SessionDep
from server.console.queue_rows import neighbours, queue_page
from server.console.sessions import ConsoleSession
from server.console.templating import render
from server.schemas import MAX_ID, RowId
from storage.review_queue import ReviewConflict
from tools.delivery.send_queue import SendQueue

router = APIRouter()
Version = Annotated[int, Form(ge=0, le=MAX_ID)]
ToneField = Annotated[Tone, Form()]
TextField = Annotated[str, Form(max_length=20_000)]
DONE = {"approve": "approved", "edit": "edited", "reject": "rejected", "regenerate": "rewritten"}
CHANGED_ELSEWHERE = "Changed by someone else — reload."


@router.get("/", include_in_schema=False)
async def console_home(request: Request, session: SessionDep) -> Response:
    """Open the review queue."""
    return RedirectResponse(request.url_for("review_queue"), status_code=303)


@router.get("/review", include_in_schema=False)
async def review_queue(
    request: Request,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    done: Annotated[str | None, Query(max_length=20)] = None,
    message: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """List the drafts waiting for a human, 50 a page, oldest first."""
    queue = await queue_page(request.app.state.db, page=page)
    return render(
        request, "queue.html", session=session, queue=queue, notice=_notice(done, message)
    )


def _notice(done: str | None, message: int | None) -> str | None:
    """What the last action did, in words (fixed words: the query string is not echoed)."""
    return f"Message {message} {DONE[done]}." if done in DONE and message else None


async def _draft_page(
    request: Request,
    session: ConsoleSession,
    message_id: int,
    *,
    tone: str | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    db = request.app.state.db
    try:
        detail = await draft_detail(request.app.state.settings, db, message_id)
    except ReviewError as exc:
        return render(request, "missing.html", session=session, problem=str(exc), status_code=404)
    item = detail.item
    tones = [v["tone"] for v in item["variants"]]
    chosen = (
        tone if tone in tones else item.get("selected_variant") or (tones[0] if tones else None)
    )
    variant = next((v for v in item["variants"] if v["tone"] == chosen), None)
    before, after = await neighbours(db, message_id)
    return render(
        request,
        "draft.html",
        session=session,
        detail=detail,
        item=item,
        variant=variant,
        previous_id=before,
        next_id=after,
        status_code=status_code,
        **{"edit": None, "verdict": None, "refusal": None, "notice": None, **context},
    )


@router.get("/review/{message_id}", include_in_schema=False)
async def review_draft(
    request: Request,
    session: SessionDep,
    message_id: RowId,
    tone: Annotated[str | None, Query(max_length=20)] = None,
    done: Annotated[str | None, Query(max_length=20)] = None,
    message: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Show one draft with its hooks, the facts behind them and every critic check."""
    return await _draft_page(request, session, message_id, tone=tone, notice=_notice(done, message))


def _refusal_text(exc: ReviewError) -> str:
    stale = isinstance(exc.__cause__, ReviewConflict) or "not waiting for review" in str(exc)
    return f"{CHANGED_ELSEWHERE} ({exc})" if stale else str(exc)


async def _act(
    request: Request,
    session: ConsoleSession,
    message_id: int,
    action: ReviewAction,
    expected_version: int,
) -> Response:
    """Apply an action as the API does; go on to the next draft, or show why it was refused."""
    db = request.app.state.db
    _, after = await neighbours(db, message_id)
    try:
        result = await act(
            request.app.state.settings,
            message_id,
            action,
            expected_version=expected_version,
            db=db,
            outbox=SendQueue(),
            record_sends=False,
        )
    except ReviewError as exc:
        tone = action.tone.value if action.tone else None
        return await _draft_page(
            request, session, message_id, tone=tone, refusal=_refusal_text(exc), status_code=409
        )
    if result.feedback:  # not applied (e.g. the critic refused an edit): the draft says why
        return RedirectResponse(
            request.url_for("review_draft", message_id=message_id), status_code=303
        )
    done = f"?done={action.action}&message={message_id}"
    target = (
        request.url_for("review_draft", message_id=after)
        if after is not None
        else request.url_for("review_queue")
    )
    return RedirectResponse(f"{target}{done}", status_code=303)


def _reviewer(session: ConsoleSession) -> str:
    return f"{session.key_name} (console)"


@router.post("/review/{message_id}/approve", include_in_schema=False)
async def approve(
    request: Request,
    session: FormSessionDep,
    message_id: RowId,
    expected_version: Version,
    tone: ToneField,
) -> Response:
    """Approve the shown draft: it joins the campaign's send queue."""
    action = ReviewAction(action="approve", tone=tone, reviewer=_reviewer(session))
    return await _act(request, session, message_id, action, expected_version)


@router.post("/review/{message_id}/reject", include_in_schema=False)
async def reject(
    request: Request,
    session: FormSessionDep,
    message_id: RowId,
    expected_version: Version,
    reason: TextField = "",
) -> Response:
    """Reject the lead's message with a reason; nothing is sent."""
    if not reason.strip():
        return await _draft_page(
            request, session, message_id, refusal="Say why you reject it.", status_code=422
        )
    action = ReviewAction(action="reject", reason=reason.strip(), reviewer=_reviewer(session))
    return await _act(request, session, message_id, action, expected_version)


@router.post("/review/{message_id}/regenerate", include_in_schema=False)
async def regenerate(
    request: Request,
    session: FormSessionDep,
    message_id: RowId,
    expected_version: Version,
    instruction: TextField = "",
) -> Response:
    """Rewrite the drafts with the reviewer's instruction; they come back to the queue."""
    if not instruction.strip():
        return await _draft_page(
            request, session, message_id, refusal="Say what to change.", status_code=422
        )
    action = ReviewAction(
        action="regenerate", instruction=instruction.strip(), reviewer=_reviewer(session)
    )
    return await _act(request, session, message_id, action, expected_version)


@router.post("/review/{message_id}/check-edit", include_in_schema=False)
async def check_edited(
    request: Request,
    session: FormSessionDep,
    message_id: RowId,
    expected_version: Version,
    tone: ToneField,
    body: TextField = "",
    subject: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Run the critic on the edited text and show its checks; send is offered only if it passes."""
    edit = {"tone": tone.value, "subject": subject, "body": body, "version": expected_version}
    if not body.strip():
        return await _draft_page(
            request, session, message_id, tone=tone.value, edit=edit,
            refusal="The edited message is empty.", status_code=422,
        )  # fmt: skip
    try:
        verdict = await check_edit(
            request.app.state.settings,
            request.app.state.db,
            message_id,
            tone=tone.value,
            subject=subject or None,
            body=body,
        )
    except ReviewError as exc:
        return await _draft_page(
            request, session, message_id, tone=tone.value, edit=edit,
            refusal=str(exc), status_code=409,
        )  # fmt: skip
    return await _draft_page(
        request, session, message_id, tone=tone.value, edit=edit, verdict=verdict
    )


@router.post("/review/{message_id}/edit", include_in_schema=False)
async def send_edited(
    request: Request,
    session: FormSessionDep,
    message_id: RowId,
    expected_version: Version,
    tone: ToneField,
    body: TextField = "",
    subject: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Send the checked edit: the paused lead runs the critic again and sends it if it passes."""
    if not body.strip():
        return await _draft_page(
            request, session, message_id, refusal="The edited message is empty.", status_code=422
        )
    action = ReviewAction(
        action="edit", tone=tone, subject=subject or None, body=body, reviewer=_reviewer(session)
    )
    return await _act(request, session, message_id, action, expected_version)
