"""The operator chat as a LangGraph agent: model → (confirm) → tools → model, checkpointed.

A tool call with outside effects (CONSENT_REQUIRED) pauses the graph with `interrupt` and runs
only if the operator's answer confirms it. The check is made again where tools execute: a
consent-requiring call whose id was not confirmed is answered "not done" instead of running,
so no model output, however it is phrased, can send or erase anything on its own.
"""

from __future__ import annotations

import operator
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.utils import count_tokens_approximately
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command, interrupt

from agent.operator.tools import CONSENT_REQUIRED, describe_action
from agent.operator.views import View


class ChatState(TypedDict):
    """The conversation, and the consent-requiring tool calls the operator confirmed."""

    messages: Annotated[list[AnyMessage], add_messages]
    confirmed: Annotated[list[str], operator.add]


def is_yes(answer: Any) -> bool:
    """Return whether a resume value confirms: exactly True or {"confirmed": True}."""
    if isinstance(answer, dict):
        return answer.get("confirmed") is True
    return answer is True


def recent_history(messages: Sequence[BaseMessage], max_tokens: int) -> list[BaseMessage]:
    """Return the newest whole turns that fit in max_tokens (approximate count).

    A turn starts at an operator message, so a tool call is never separated from its result;
    the operator's latest turn is always kept, however long. Linear in the turns kept: each
    message is counted once, walking back from the newest.
    """
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if not starts:
        return list(messages)
    keep_from = starts[-1]
    used = count_tokens_approximately(messages[keep_from:])
    for begin, end in zip(reversed(starts[:-1]), reversed(starts[1:]), strict=True):
        used += count_tokens_approximately(messages[begin:end])
        if used > max_tokens:
            break
        keep_from = begin
    return list(messages[keep_from:])


def _pending_calls(state: ChatState) -> list[dict[str, Any]]:
    last = state["messages"][-1] if state["messages"] else None
    if not isinstance(last, AIMessage):
        return []
    return [dict(call) for call in last.tool_calls]


def build_chat_graph(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    system_prompt: Callable[[], str],
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    *,
    history_tokens: int = 24_000,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Return the compiled chat agent; system_prompt is rendered for every model call, and
    the model sees the newest history_tokens (approximately) of the conversation."""
    bound = model.bind_tools(list(tools))

    async def agent(state: ChatState) -> dict[str, Any]:
        history = recent_history(state["messages"], history_tokens)
        reply = await bound.ainvoke([SystemMessage(system_prompt()), *history])
        return {"messages": [reply]}

    def after_agent(state: ChatState) -> str:
        calls = _pending_calls(state)
        if not calls:
            return END
        return "confirm" if any(c["name"] in CONSENT_REQUIRED for c in calls) else "tools"

    def confirm(state: ChatState) -> dict[str, Any]:
        asked = [
            c
            for c in _pending_calls(state)
            if c["name"] in CONSENT_REQUIRED and c["id"] not in state.get("confirmed", [])
        ]
        if not asked:
            return {}
        answer = interrupt(
            {
                "kind": "confirm",
                "actions": [
                    {
                        "id": c["id"],
                        "tool": c["name"],
                        "args": c["args"],
                        "description": describe_action(c["name"], c["args"]),
                    }
                    for c in asked
                ],
            }
        )
        return {"confirmed": [c["id"] for c in asked]} if is_yes(answer) else {}

    async def guard(
        request: ToolCallRequest,
        execute: Callable[[ToolCallRequest], Awaitable[ToolMessage | Command[Any]]],
    ) -> ToolMessage | Command[Any]:
        call = request.tool_call
        confirmed = (request.state or {}).get("confirmed", [])
        if call["name"] in CONSENT_REQUIRED and call["id"] not in confirmed:
            view = View(
                title="Not done",
                lines=[f"{describe_action(call['name'], call['args'])}: not confirmed."],
            )
            return ToolMessage(
                content="Not done: the operator did not confirm this action.",
                tool_call_id=call["id"],
                name=call["name"],
                artifact={"view": view.to_dict(), "declined": True},
            )
        return await execute(request)

    graph = StateGraph(ChatState)
    graph.add_node("agent", agent)
    graph.add_node("confirm", confirm)
    graph.add_node("tools", ToolNode(list(tools), awrap_tool_call=guard))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", after_agent, ["confirm", "tools", END])
    graph.add_edge("confirm", "tools")
    graph.add_edge("tools", "agent")
    return graph.compile(checkpointer=checkpointer)
