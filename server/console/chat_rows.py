"""The operator conversation as the chat page shows it: who said what, and what tools showed.

Read from the conversation's checkpointed messages (the same ones `outreach chat --session`
resumes), so the page after a turn shows exactly what the terminal would have printed. Every
text here may hold untrusted lead, fact or reply text: the template prints it escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.operator.views import View

Speaker = Literal["you", "agent", "call", "tool"]


@dataclass(frozen=True)
class ChatEntry:
    """One line of the conversation: a message, a tool call, or a tool's view."""

    speaker: Speaker
    text: str = ""
    view: View | None = None
    error: bool = False
    declined: bool = False


def _call_line(name: str, args: dict[str, object]) -> str:
    shown = ", ".join(f"{key}={value!r}" for key, value in args.items())
    return f"{name}({shown if len(shown) <= 100 else shown[:99] + '…'})"


def _tool_entry(message: ToolMessage) -> ChatEntry:
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    raw = artifact.get("view")
    name = message.name or "tool"
    return ChatEntry(
        "tool",
        view=View.from_dict(raw) if isinstance(raw, dict) else View(name, [message.text]),
        error=bool(artifact.get("error")) or message.status == "error",
        declined=bool(artifact.get("declined")),
    )


def chat_entries(messages: Sequence[BaseMessage]) -> list[ChatEntry]:
    """Return the conversation's entries in order, oldest first."""
    entries: list[ChatEntry] = []
    for message in messages:
        if isinstance(message, HumanMessage):
            entries.append(ChatEntry("you", message.text))
        elif isinstance(message, AIMessage):
            if message.text:
                entries.append(ChatEntry("agent", message.text))
            entries.extend(
                ChatEntry("call", _call_line(call["name"], dict(call["args"])))
                for call in message.tool_calls
            )
        elif isinstance(message, ToolMessage):
            entries.append(_tool_entry(message))
    return entries
