"""A scripted chat model for node and graph tests: replies are queued, prompts recorded."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

Reply = str | dict[str, Any] | Exception


class ScriptedChatModel(BaseChatModel):
    """Answer each call with the next scripted reply; fail loudly when the script runs out."""

    replies: list[Reply] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    call_kwargs: list[dict[str, Any]] = Field(default_factory=list)
    model_name: str = "scripted-model"
    tokens_per_call: tuple[int, int] = (120, 80)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def enqueue(self, *replies: Reply) -> ScriptedChatModel:
        """Add replies to the script."""
        self.replies.extend(replies)
        return self

    def _next(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> ChatResult:
        self.calls.append(list(messages))
        self.call_kwargs.append(dict(kwargs))
        if not self.replies:
            raise AssertionError(f"unexpected model call #{len(self.calls)}: the script is empty")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        content = json.dumps(reply) if isinstance(reply, dict) else reply
        tokens_in, tokens_out = self.tokens_per_call
        message = AIMessage(
            content=content,
            response_metadata={"model_name": self.model_name},
            usage_metadata={
                "input_tokens": tokens_in,
                "output_tokens": tokens_out,
                "total_tokens": tokens_in + tokens_out,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._next(messages, kwargs)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._next(messages, kwargs)
