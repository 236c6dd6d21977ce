"""The offline console's "model": typed commands become tool calls, deterministically.

With no model endpoint, `outreach chat` still runs the same agent graph (confirmation, tools,
checkpoints); this chat model stands in for the LLM by parsing the operator's last message
with `parse_command`. After a tool answers it says nothing more: the tool's view is the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from agent.operator.commands import Reply, parse_command


class CommandModel(BaseChatModel):
    """A chat model that maps plain commands ("queue", "approve 12 variant 2") to tool calls."""

    @property
    def _llm_type(self) -> str:
        return "operator-commands"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Return the model itself: the command grammar already names every tool."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last = messages[-1] if messages else None
        if not isinstance(last, HumanMessage):
            reply = AIMessage(content="")  # a tool answered: its view says it all
        else:
            parsed = parse_command(last.text)
            if isinstance(parsed, Reply):
                reply = AIMessage(content=parsed.text)
            else:
                call_id = f"cmd-{uuid.uuid4().hex[:12]}"
                reply = AIMessage(
                    content="",
                    tool_calls=[{"name": parsed.tool, "args": parsed.args, "id": call_id}],
                )
        return ChatResult(generations=[ChatGeneration(message=reply)])
