"""The operator chat in the browser: the terminal's `outreach chat` session, one form post a turn.

A conversation is the operator's ChatSession (the same agent, tools, checkpoint thread and
confirmations as the terminal; `outreach chat --session ID` resumes a browser conversation and
the reverse). A turn runs to its end inside the post, then the browser is sent back to the page
(post/redirect/get). When the agent wants to do something with outside effects the graph stops
at its confirmation: the page shows the question with Yes and No, and nothing runs until a Yes
is posted for exactly the actions shown. A second answer to an answered question does nothing.
Importing a lead file by its path on the server is left out (see SERVER_FILE_TOOLS).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from agent.operator.chat_session import (
    AnswerRefused,
    ChatSession,
    Event,
    new_session_id,
)
from agent.operator.chat_terminal import MODEL_HELP
from agent.operator.commands import COMMAND_HELP
from server.console.chat_rows import chat_entries
from server.console.guard import FormSessionDep, SessionDep
from server.console.sessions import ConsoleSession
from server.console.templating import render

router = APIRouter()
CHAT_ID = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
MAX_MESSAGE_CHARS = 4000
SERVER_FILE_TOOLS = frozenset({"import_leads"})
"""Tools that read a path on the server's disk: fine in a terminal on that machine, but from a
browser they would show the first line of any file the server can read (a secret, say). Lead
files come through the Runs page's upload instead."""


@contextlib.asynccontextmanager
async def _conversation(
    request: Request, session: ConsoleSession, chat_id: str
) -> AsyncIterator[ChatSession]:
    """Open the conversation, one turn at a time per conversation in this process."""
    state = request.app.state
    locks = getattr(state, "console_chat_locks", None)
    if locks is None:
        locks = state.console_chat_locks = weakref.WeakValueDictionary()
    lock = locks.get(chat_id)
    if lock is None:
        lock = locks[chat_id] = asyncio.Lock()
    async with (
        lock,
        ChatSession.open(
            state.settings,
            session_id=chat_id,
            reviewer=session.key_name,
            clock=state.clock,
            left_out=SERVER_FILE_TOOLS,
        ) as chat,
    ):
        yield chat


async def _page(
    request: Request,
    session: ConsoleSession,
    chat: ChatSession,
    *,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "chat.html",
        session=session,
        chat_id=chat.session_id,
        entries=chat_entries(await chat.history()),
        pending=await chat.pending_confirmation(),
        help_text=COMMAND_HELP if chat.offline else MODEL_HELP,
        offline=chat.offline,
        problem=problem,
        max_chars=MAX_MESSAGE_CHARS,
        status_code=status_code,
    )


async def _run_turn(events: AsyncIterator[Event]) -> str | None:
    """Run a turn to its end; return what went wrong, or None (a refused answer is raised)."""
    try:
        async for _ in events:
            pass  # the turn's messages are checkpointed; the page reads them back
    except AnswerRefused:
        raise
    except Exception as exc:  # the model endpoint failed (down, 429, bad reply)
        return (
            f"The turn failed ({type(exc).__name__}: {exc}). Nothing more was done; try again, "
            "or check OUTREACH_LLM_BASE_URL."
        )
    return None


def _back(request: Request, chat_id: str) -> Response:
    return RedirectResponse(f"{request.url_for('chat_page', chat_id=chat_id)}#reply", 303)


@router.get("/chat", include_in_schema=False)
async def new_chat(request: Request, session: SessionDep) -> Response:
    """Start a new conversation."""
    return RedirectResponse(request.url_for("chat_page", chat_id=new_session_id()), 303)


@router.get("/chat/{chat_id}", include_in_schema=False)
async def chat_page(request: Request, session: SessionDep, chat_id: CHAT_ID) -> Response:
    """Show the conversation, the question waiting for an answer if any, and the message box."""
    async with _conversation(request, session, chat_id) as chat:
        return await _page(request, session, chat)


@router.post("/chat/{chat_id}/turns", include_in_schema=False)
async def say(
    request: Request,
    session: FormSessionDep,
    chat_id: CHAT_ID,
    text: Annotated[str, Form(max_length=MAX_MESSAGE_CHARS)] = "",
) -> Response:
    """Send the operator's message and run the agent's turn to its end (or its question)."""
    async with _conversation(request, session, chat_id) as chat:
        if await chat.pending_confirmation() is not None:
            return await _page(
                request,
                session,
                chat,
                problem="Answer the question above first: your message was not sent.",
                status_code=409,
            )
        if not text.strip():
            return await _page(
                request, session, chat, problem="Type a message first.", status_code=422
            )
        failed = await _run_turn(chat.say(text))
        if failed is not None:
            return await _page(request, session, chat, problem=failed, status_code=502)
    return _back(request, chat_id)


@router.post("/chat/{chat_id}/confirmation", include_in_schema=False)
async def confirm(
    request: Request,
    session: FormSessionDep,
    chat_id: CHAT_ID,
    answer: Annotated[Literal["yes", "no"], Form()],
    asked: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Answer the waiting question: Yes runs the actions shown, No runs none of them."""
    async with _conversation(request, session, chat_id) as chat:
        pending = await chat.pending_confirmation()
        if pending is None or pending.question_id != asked.strip():
            problem = (
                "Nothing is waiting for an answer (it was answered already): nothing was done."
                if pending is None
                else "The question changed since this page was shown: nothing was done. "
                "Read it again below."
            )
            return await _page(request, session, chat, problem=problem, status_code=409)
        try:
            failed = await _run_turn(chat.answer(answer == "yes", pending.question_id))
        except AnswerRefused as refused:  # answered in another window or process first
            problem = f"{str(refused)[:1].upper()}{str(refused)[1:]}."
            return await _page(request, session, chat, problem=problem, status_code=409)
        if failed is not None:
            return await _page(request, session, chat, problem=failed, status_code=502)
    return _back(request, chat_id)
