"""Run one model step with the primary model, falling back to the offline writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from graphs.context import ChatModel, PipelineContext
from graphs.outcome import PipelineError, PromptUse, Usage
from graphs.structured_output import ModelCallError, call_structured
from prompts.loader import Prompt

T = TypeVar("T", bound=BaseModel)


@dataclass
class StepResult:
    """What a model step produced, or why it could not."""

    value: Any = None
    usage: Usage = field(default_factory=Usage)
    errors: list[PipelineError] = field(default_factory=list)
    fallback_used: bool = False
    templates: dict[str, PromptUse] = field(default_factory=dict)
    """Writer templates the model reports using (the offline writer's), by id."""


async def run_model_step(
    *,
    stage: str,
    model: ChatModel,
    context: PipelineContext,
    prompt: Prompt,
    values: dict[str, Any],
    schema: type[T],
) -> StepResult:
    """Call the model for a step; on failure try the fallback and record both."""
    rendered = prompt.render(**values)
    result = StepResult()
    candidates: list[tuple[ChatModel, bool]] = [(model, False)]
    if context.fallback is not None and context.fallback is not model:
        candidates.append((context.fallback, True))
    for candidate, is_fallback in candidates:
        try:
            reply = await call_structured(
                candidate,
                rendered,
                schema,
                mode="none" if is_fallback else context.structured_mode,
                params=prompt.meta.parameters,
                cost_of=context.cost_of,
                step=f"{stage} (fallback)" if is_fallback else stage,
            )
        except ModelCallError as exc:
            result.usage = result.usage + exc.usage
            result.errors.append(PipelineError(stage=stage, message=str(exc)))
            continue
        result.value = reply.value
        result.usage = result.usage + reply.usage
        result.fallback_used = is_fallback
        template = reply.metadata.get("template")
        if isinstance(template, dict):
            result.templates[str(template["id"])] = PromptUse.model_validate(template)
        return result
    return result


def prompt_use(prompt: Prompt) -> PromptUse:
    """Record which exact prompt ran."""
    return PromptUse(id=prompt.id, version=prompt.version, sha256=prompt.sha256)
