"""The offline provider as a LangChain chat model: it reads the prompt's <task_input> data."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

from agent.offline.analyst import analyze_offline
from agent.offline.call_scripts import write_call_script_offline
from agent.offline.writer import TEMPLATE_VERSION, OfflineWriter, templates_sha256
from graphs.call_scripts import CallScriptInput
from graphs.draft_reply import drafts_reply
from graphs.task_inputs import AnalyzeInput, GenerateInput

_TASK_INPUT = re.compile(r"<task_input>\s*(.*?)\s*</task_input>", re.DOTALL)
OFFLINE_MODEL_NAME = f"offline-writer-{TEMPLATE_VERSION}"


class OfflineModelError(ValueError):
    """The offline model got a prompt it cannot answer."""


class OfflineChatModel(BaseChatModel):
    """Deterministic analyst and writer: same prompts and data as an LLM, rules instead."""

    model_name: str = OFFLINE_MODEL_NAME
    _writer: OfflineWriter = PrivateAttr(default_factory=OfflineWriter)

    @property
    def _llm_type(self) -> str:
        return "outreach-offline"

    _template_sha256: str = PrivateAttr(default_factory=templates_sha256)

    def _answer(self, messages: list[BaseMessage]) -> str:
        for message in messages:
            if isinstance(message, HumanMessage) and isinstance(message.content, str):
                match = _TASK_INPUT.search(message.content)
                if match:
                    return self._answer_task(json.loads(match.group(1)))
        raise OfflineModelError("the offline model needs a prompt with a <task_input> JSON block")

    def _answer_task(self, data: dict[str, Any]) -> str:
        task = data.get("task")
        if task == "analyze":
            return analyze_offline(AnalyzeInput.model_validate(data)).model_dump_json()
        if task == "generate":
            # Answered as a model is asked to: one field per tone asked (no hooks when plain).
            brief = GenerateInput.model_validate(data)
            reply = drafts_reply(brief.tones, plain=brief.analysis.unpersonalized)
            return reply.of(self._writer.write(brief).variants).model_dump_json()
        if task == "call_script":
            payload = CallScriptInput.model_validate(data)
            return write_call_script_offline(payload).model_dump_json()
        raise OfflineModelError(f"the offline model cannot do task {task!r}")

    def _result(self, messages: list[BaseMessage]) -> ChatResult:
        message = AIMessage(
            content=self._answer(messages),
            response_metadata={
                "model_name": self.model_name,
                "template": {
                    "id": "offline_writer",
                    "version": TEMPLATE_VERSION,
                    "sha256": self._template_sha256,
                },
            },
            usage_metadata={"input_tokens": 0, "output_tokens": 0, "total_tokens": 0},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._result(messages)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._result(messages)
