"""Ask a chat model for JSON matching a schema; repair, re-ask once, account usage."""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import json_repair
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from graphs.context import ChatModel, StructuredMode
from graphs.outcome import ModelCall, Usage
from prompts.loader import RenderedPrompt
from tools.service_outage import is_service_outage

T = TypeVar("T", bound=BaseModel)
_FENCE = re.compile(r"```[a-zA-Z]*\s*(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


class ModelCallError(Exception):
    """The model could not produce a valid answer; usage so far is attached."""

    def __init__(self, message: str, usage: Usage) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class StructuredReply(Generic[T]):
    """A validated answer and what it cost."""

    value: T
    usage: Usage
    model: str
    metadata: dict[str, Any]
    """The provider's response metadata (model name, and the offline writer's template)."""


def _text_of(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        part.get("text", "") if isinstance(part, dict) else str(part) for part in content
    )


def _first_object(text: str) -> dict[str, Any] | None:
    # Only the first brace: a later one may be an object nested inside a truncated reply.
    start = text.find("{")
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) and value else None


def parse_json_object(text: str) -> Any:
    """Extract the JSON object from model text: fenced or bare, with prose or reasoning around it.

    Reasoning blocks (<think>...</think>) are skipped; fenced blocks are tried first, then the
    whole reply; a truncated or slightly broken object is repaired as a last resort.
    """
    text = _THINK.sub("", text)
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for candidate in candidates:
        found = _first_object(candidate)
        if found is not None:
            return found
    start = text.find("{")
    if start < 0:
        raise ValueError("the reply contains no JSON object")
    repaired = json_repair.loads(text[start:])
    if not isinstance(repaired, dict) or not repaired:
        raise ValueError("the reply is not valid JSON and could not be repaired")
    return repaired


def _call_of(
    message: BaseMessage, step: str, latency_ms: float, cost_of: Callable[[str, int, int], float]
) -> ModelCall:
    metadata = getattr(message, "usage_metadata", None) or {}
    model = str(message.response_metadata.get("model_name") or "unknown")
    tokens_in = int(metadata.get("input_tokens", 0))
    tokens_out = int(metadata.get("output_tokens", 0))
    return ModelCall(
        step=step,
        model=model,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        cost_usd=cost_of(model, tokens_in, tokens_out),
        latency_ms=round(latency_ms, 1),
    )


@functools.cache
def json_schema_of(schema: type[BaseModel]) -> dict[str, Any]:
    """Return a schema's JSON Schema, built once per class (pydantic rebuilds it every call)."""
    return schema.model_json_schema()


def _chat_completions(model: ChatModel) -> bool:
    """Tell whether the model is langchain-openai's, sending this call to Chat Completions (not
    the Responses API, which it picks for some model names and which wants the format its own
    way). Anything else, or a langchain-openai that no longer says, keeps the usual path."""
    uses_responses = getattr(model, "_use_responses_api", None)
    if not callable(uses_responses):
        return False
    try:
        return not uses_responses({})
    except Exception:  # a changed signature: the usual path is always right, only slower
        return False


def _bind_args(
    model: ChatModel, schema: type[BaseModel], mode: StructuredMode, params: dict[str, Any]
) -> dict[str, Any]:
    args: dict[str, Any] = {k: v for k, v in params.items() if k in ("temperature", "max_tokens")}
    response_format: dict[str, Any] | None = None
    if mode == "json_schema":
        json_schema: dict[str, Any] = {"name": schema.__name__, "schema": json_schema_of(schema)}
        if getattr(schema, "strict_schema", False):  # built to fit: the endpoint enforces it
            json_schema["strict"] = True
        response_format = {"type": "json_schema", "json_schema": json_schema}
    elif mode == "json_object":
        response_format = {"type": "json_object"}
    if response_format is not None and _chat_completions(model):
        # The same request body, but as a plain body field: given as `response_format`,
        # langchain-openai sends it through the SDK's parse() helper, which has nothing to
        # parse into for a dict and costs ~0.85 ms of CPU a call walking the request twice.
        args["extra_body"] = {"response_format": response_format}
    elif response_format is not None:
        args["response_format"] = response_format
    return args


CUT_OFF = ("length", "content_filter")
"""Finish reasons of a reply that stopped before its JSON was done (the token limit, the
provider's content filter): refused outright, never repaired into a shorter answer."""


async def call_structured(
    model: ChatModel,
    prompt: RenderedPrompt,
    schema: type[T],
    *,
    mode: StructuredMode,
    params: dict[str, Any],
    cost_of: Callable[[str, int, int], float],
    step: str = "model",
    repairs: int = 1,
) -> StructuredReply[T]:
    """Call the model and return a validated schema instance, re-asking once on bad JSON."""
    messages: list[BaseMessage] = [SystemMessage(prompt.system), HumanMessage(prompt.user)]
    bound = model.bind(**_bind_args(model, schema, mode, params))
    usage = Usage()
    problem = ""
    for _ in range(repairs + 1):
        started = time.perf_counter()
        try:
            reply = await bound.ainvoke(messages)
        except Exception as exc:  # provider errors arrive here after the client's own retries
            if is_service_outage(exc):  # the shared rate limits' Redis away: not the model
                raise
            reason = _describe(exc)
            failed = ModelCall(
                step=step,
                model=str(getattr(model, "model_name", None) or "unknown"),
                latency_ms=round((time.perf_counter() - started) * 1000, 1),
                outcome=f"error: {reason}",
            )
            raise ModelCallError(f"model call failed: {reason}", usage + Usage.of(failed)) from exc
        call = _call_of(reply, step, (time.perf_counter() - started) * 1000, cost_of)
        cut_off = reply.response_metadata.get("finish_reason")
        if mode != "none" and cut_off in CUT_OFF:
            reason = f"the reply was cut off before its JSON was complete ({cut_off})"
            failed = call.model_copy(update={"outcome": f"error: {reason}"})
            raise ModelCallError(f"model call failed: {reason}", usage + Usage.of(failed))
        text = _text_of(reply)
        try:
            value = schema.model_validate(parse_json_object(text))
            usage = usage + Usage.of(call)
            return StructuredReply(
                value=value, usage=usage, model=call.model, metadata=dict(reply.response_metadata)
            )
        except (ValueError, ValidationError) as exc:
            problem = _short_error(exc)
            usage = usage + Usage.of(
                call.model_copy(update={"outcome": f"invalid_output: {problem}"})
            )
        messages = [
            *messages,
            AIMessage(text),
            HumanMessage(
                f"Your reply could not be used: {problem}. "
                "Reply again with only the corrected JSON object."
            ),
        ]
    raise ModelCallError(f"model returned unusable output: {problem}", usage)


def _describe(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{name} (HTTP {status}): {message}" if status else f"{name}: {message}"


def _short_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        return f"{where}: {first['msg']} ({exc.error_count()} problem(s))"
    return str(exc)
