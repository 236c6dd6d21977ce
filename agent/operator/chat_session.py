"""One operator conversation: the agent graph with its tools, checkpointed in the database.

A session is a checkpoint thread (`chat:<id>`), so `outreach chat --session <id>` picks up the
conversation, including a confirmation that was still waiting for an answer. Turns stream as
events the terminal renders: tokens, tool calls, tool results and confirmation requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.messages import ToolMessage as ToolReply
from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, Interrupt

from agent.operator.chat_graph import build_chat_graph
from agent.operator.command_model import CommandModel
from agent.operator.operations import Operations
from agent.operator.tools import operator_tools
from agent.operator.views import ProgressUpdate, View
from agent.providers import build_models
from agent.settings import Settings
from prompts.loader import load_prompt
from storage.chat_answers import claim_answer, release_answer
from storage.checkpoints import open_checkpointer
from storage.database import Database
from tools.facts import utc_now

PROMPT_ID = "operator_chat"


@dataclass(frozen=True)
class Token:
    """A piece of the agent's reply, as the model streams it."""

    text: str


@dataclass(frozen=True)
class ToolCall:
    """The agent decided to call a tool."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolResult:
    """A tool answered."""

    name: str
    view: View
    error: bool = False
    declined: bool = False


@dataclass(frozen=True)
class ConfirmRequest:
    """Actions with outside effects wait for the operator's yes or no."""

    actions: list[dict[str, Any]] = field(default_factory=list)
    question_id: str = ""
    """The pause's id (new for every question asked): an answer names the question it answers,
    so a Yes given to one question can never run another asked since."""


@dataclass(frozen=True)
class ToolProgress:
    """A long tool finished one more item (e.g. one lead of a run)."""

    name: str
    update: ProgressUpdate


Event = Token | ToolCall | ToolProgress | ToolResult | ConfirmRequest


def _confirmation(pending: Interrupt) -> ConfirmRequest | None:
    """Read the chat graph's confirm interrupt (see chat_graph.confirm); None for others."""
    value = pending.value
    if isinstance(value, dict) and value.get("kind") == "confirm":
        return ConfirmRequest(list(value["actions"]), pending.id)
    return None


class AnswerRefused(Exception):
    """The answer was not taken: no question waits, or another answer to it came first."""


def chat_model(settings: Settings) -> BaseChatModel:
    """Return the configured model, or the offline command parser when there is none."""
    if settings.provider == "offline":
        return CommandModel()
    model = build_models(settings).analyst
    assert isinstance(model, BaseChatModel)
    return model


def new_session_id() -> str:
    """Return a fresh, short session id."""
    return uuid.uuid4().hex[:10]


class ChatSession:
    """A conversation with the operator agent."""

    def __init__(
        self,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        session_id: str,
        *,
        offline: bool,
        db: Database | None = None,
        reviewer: str = "operator",
    ) -> None:
        self.graph = graph
        self.session_id = session_id
        self.offline = offline
        self._db = db
        self._reviewer = reviewer

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls,
        settings: Settings,
        *,
        session_id: str | None = None,
        model: BaseChatModel | None = None,
        reviewer: str = "operator",
        clock: Callable[[], dt.datetime] = utc_now,
        left_out: frozenset[str] = frozenset(),
    ) -> AsyncIterator[ChatSession]:
        """Open the database and checkpointer and yield a session (new, or resumed by id);
        the tools named in left_out are not offered (a call to one is answered as an error)."""
        url = settings.database
        model = model or chat_model(settings)
        prompt = load_prompt(PROMPT_ID)

        def system_prompt() -> str:
            return prompt.render(today=dt.date.today().isoformat(), message="").system

        async with (
            await Database.connect(url, migrate=True) as db,
            open_checkpointer(url, allowed_types=()) as saver,
        ):
            ops = Operations(settings, db, reviewer=reviewer, clock=clock)
            graph = build_chat_graph(
                model,
                [tool for tool in operator_tools(ops) if tool.name not in left_out],
                system_prompt,
                saver,
                history_tokens=settings.chat_history_tokens,
            )
            yield cls(
                graph,
                session_id or new_session_id(),
                offline=isinstance(model, CommandModel),
                db=db,
                reviewer=reviewer,
            )

    @property
    def thread_id(self) -> str:
        """This conversation's checkpoint thread."""
        return f"chat:{self.session_id}"

    @property
    def config(self) -> RunnableConfig:
        """Return the graph config of this conversation's thread."""
        return {"configurable": {"thread_id": self.thread_id}}

    def start_new(self) -> str:
        """Start a new conversation in this session object; return its id."""
        self.session_id = new_session_id()
        return self.session_id

    async def history(self) -> list[BaseMessage]:
        """Return the conversation so far."""
        snapshot = await self.graph.aget_state(self.config)
        return list(snapshot.values.get("messages", []))

    async def pending_confirmation(self) -> ConfirmRequest | None:
        """Return the confirmation this conversation waits for, if any (after a resume)."""
        snapshot = await self.graph.aget_state(self.config)
        for pending in snapshot.interrupts:
            if (request := _confirmation(pending)) is not None:
                return request
        return None

    def say(self, text: str) -> AsyncIterator[Event]:
        """Send the operator's message; yield what happens."""
        return self._stream({"messages": [HumanMessage(text)]})

    async def answer(self, confirmed: bool, question_id: str) -> AsyncIterator[Event]:
        """Answer the question of that id; yield what happens next.

        The answer is recorded in the database before anything runs, so a question is answered
        once even when the conversation is open in several processes. Raises AnswerRefused
        when that question no longer waits (answered, or another asked since), or another
        answer to it came first."""
        waiting = await self.pending_confirmation()
        if waiting is None:
            raise AnswerRefused("nothing is waiting for an answer: nothing was done")
        if waiting.question_id != question_id:
            raise AnswerRefused("the question changed since it was shown: nothing was done")
        thread = self.thread_id
        if self._db is not None:
            async with self._db.sessions.begin() as session:
                claimed = await claim_answer(
                    session,
                    thread_id=thread,
                    interrupt_id=question_id,
                    confirmed=confirmed,
                    answered_by=self._reviewer,
                )
            if not claimed:
                raise AnswerRefused("this question was answered already: nothing more was done")
        try:
            resume: Command[Any] = Command(resume={question_id: {"confirmed": confirmed}})
            async for event in self._stream(resume):
                yield event
        except BaseException:  # failed, cancelled (Ctrl-C, a closed request) or stopped early
            await asyncio.shield(self._release_if_still_asked(thread, question_id))
            raise

    async def _release_if_still_asked(self, thread: str, question_id: str) -> None:
        """The turn stopped before leaving the question (nothing of the answer ran): let the
        operator answer it again rather than find it taken. Should this fail too (the database
        away), the claim is taken over once it is stale (storage/chat_answers.py)."""
        if self._db is None:
            return
        with contextlib.suppress(Exception):
            waiting = await self.pending_confirmation()
            if waiting is None or waiting.question_id != question_id:
                return
            async with self._db.sessions.begin() as session:
                await release_answer(session, thread_id=thread, interrupt_id=question_id)

    async def _stream(self, graph_input: Any) -> AsyncIterator[Event]:
        streamed = False
        chunk: Any
        async for mode, chunk in self.graph.astream(
            graph_input, self.config, stream_mode=["messages", "updates", "custom"]
        ):
            if mode == "custom":
                if isinstance(chunk, dict) and chunk.get("kind") == "progress":
                    yield ToolProgress(str(chunk["tool"]), ProgressUpdate.from_dict(chunk))
                continue
            if mode == "messages":
                message, meta = chunk
                if (
                    isinstance(message, AIMessageChunk | AIMessage)
                    and meta.get("langgraph_node") == "agent"
                    and message.text
                ):
                    streamed = True
                    yield Token(message.text)
                continue
            for node, update in chunk.items():
                if node == "__interrupt__":
                    for pending in update:
                        if (request := _confirmation(pending)) is not None:
                            yield request
                    continue
                for message in (update or {}).get("messages", []):
                    if isinstance(message, AIMessage):
                        if message.text and not streamed:
                            yield Token(message.text)
                        streamed = False
                        for call in message.tool_calls:
                            yield ToolCall(call["name"], dict(call["args"]))
                    elif isinstance(message, ToolReply):
                        artifact = message.artifact if isinstance(message.artifact, dict) else {}
                        view = artifact.get("view")
                        yield ToolResult(
                            name=message.name or "tool",
                            view=View.from_dict(view)
                            if view
                            else View(title=message.name or "tool", lines=[message.text]),
                            error=bool(artifact.get("error")) or message.status == "error",
                            declined=bool(artifact.get("declined")),
                        )
