"""What a structured call sends over HTTP on the openai path, and what a cut-off reply does.

A dict response_format goes in the request body as it always did, but as a plain body field,
so the SDK's chat.completions.create() sends it rather than its parse() helper
(graphs/structured_output.py): same body, less CPU per call. These pin the body, the usage
read back, and the refusal of a reply cut off before its JSON was done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

from agent.providers import build_models
from agent.settings import Settings
from graphs.context import ChatModel, StructuredMode
from graphs.structured_output import ModelCallError, StructuredReply, call_structured
from prompts.loader import RenderedPrompt
from tests.fakes.openai_stub import Completion, OpenAIStub

MODEL = "gpt-4o-mini"
PROMPT = RenderedPrompt(system="You answer in JSON.", user="Say hi.")
PARAMS = {"temperature": 0.3, "max_tokens": 321, "ignored": True}


class Point(BaseModel):
    label: str
    score: int


class Answer(BaseModel):
    text: str
    points: list[Point]


ANSWER = '{"text": "hi", "points": [{"label": "a", "score": 1}]}'


def cost_of(model: str, tokens_in: int, tokens_out: int) -> float:
    return (tokens_in + 2 * tokens_out) / 1_000_000


def model_for(stub: OpenAIStub, tmp_path: Path) -> ChatModel:
    settings = Settings(
        llm_provider="openai",
        llm_base_url=stub.base_url,
        llm_api_key=SecretStr("test-key"),
        llm_model=MODEL,
        llm_max_retries=0,
        llm_requests_per_second=1000,
        llm_fallback="none",
        data_dir=tmp_path,
    )
    return build_models(settings).analyst


async def ask(model: ChatModel, mode: StructuredMode) -> StructuredReply[Answer]:
    return await call_structured(
        model, PROMPT, Answer, mode=mode, params=PARAMS, cost_of=cost_of, step="test"
    )


def only_body(stub: OpenAIStub) -> dict[str, Any]:
    [request] = stub.requests
    assert request.json is not None
    # chat.completions.parse() marks its requests; the cheap path is create().
    assert "x-stainless-helper-method" not in request.headers
    return request.json


async def test_json_schema_mode_sends_the_schema_and_reads_usage_and_model(
    stub: OpenAIStub, tmp_path: Path
) -> None:
    stub.enqueue(Completion(ANSWER, prompt_tokens=120, completion_tokens=30, model="gpt-x-0613"))
    reply = await ask(model_for(stub, tmp_path), "json_schema")
    assert reply.value == Answer.model_validate_json(ANSWER)
    assert reply.model == "gpt-x-0613" and reply.metadata["model_name"] == "gpt-x-0613"
    assert (reply.usage.llm_calls, reply.usage.input_tokens, reply.usage.output_tokens) == (
        1,
        120,
        30,
    )
    assert reply.usage.cost_usd == pytest.approx(cost_of("", 120, 30))
    body = only_body(stub)
    assert body == {
        "model": MODEL,
        "stream": False,
        "messages": [
            {"role": "system", "content": PROMPT.system},
            {"role": "user", "content": PROMPT.user},
        ],
        "temperature": 0.3,
        "max_completion_tokens": 321,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "Answer", "schema": Answer.model_json_schema()},
        },
    }


async def test_json_object_mode_sends_json_object(stub: OpenAIStub, tmp_path: Path) -> None:
    stub.enqueue(Completion(ANSWER))
    reply = await ask(model_for(stub, tmp_path), "json_object")
    assert reply.value.text == "hi" and reply.usage.input_tokens == 100
    body = only_body(stub)
    assert body["response_format"] == {"type": "json_object"}
    assert (body["temperature"], body["max_completion_tokens"]) == (0.3, 321)


async def test_mode_none_sends_no_response_format(stub: OpenAIStub, tmp_path: Path) -> None:
    stub.enqueue(Completion(f"Here you go:\n```json\n{ANSWER}\n```"))
    reply = await ask(model_for(stub, tmp_path), "none")
    assert reply.value.text == "hi"
    assert "response_format" not in only_body(stub)


@pytest.mark.parametrize("mode", ["json_schema", "json_object"])
@pytest.mark.parametrize("finish_reason", ["length", "content_filter"])
async def test_a_cut_off_reply_is_refused_not_repaired_or_reasked(
    stub: OpenAIStub, tmp_path: Path, mode: StructuredMode, finish_reason: str
) -> None:
    """A structured reply the token limit or the content filter cut off fails the call."""
    stub.enqueue(Completion('{"text": "hi", "points": [', finish_reason=finish_reason))
    stub.enqueue(Completion(ANSWER))  # a re-ask would get this
    with pytest.raises(ModelCallError) as failed:
        await ask(model_for(stub, tmp_path), mode)
    reason = f"the reply was cut off before its JSON was complete ({finish_reason})"
    assert str(failed.value) == f"model call failed: {reason}"
    assert len(stub.requests) == 1
    [call] = failed.value.usage.calls
    assert (call.model, call.input_tokens, call.output_tokens) == (MODEL, 100, 50)
    assert call.outcome == f"error: {reason}"


async def test_a_cut_off_reply_without_a_format_is_repaired_as_before(
    stub: OpenAIStub, tmp_path: Path
) -> None:
    """Without a response format the model's text is all there is: a truncated object is
    repaired, as any reply in that mode is."""
    stub.enqueue(Completion('{"text": "hi", "points": []', finish_reason="length"))
    reply = await ask(model_for(stub, tmp_path), "none")
    assert reply.value == Answer(text="hi", points=[])


async def test_a_model_langchain_sends_to_the_responses_api_gets_the_format_its_way(
    stub: OpenAIStub, tmp_path: Path
) -> None:
    """langchain-openai sends some models (codex, ...) to the Responses API, which takes the
    schema as text.format: the format is then left to langchain, not put in the body raw."""
    settings = Settings(
        llm_provider="openai",
        llm_base_url=stub.base_url,
        llm_api_key=SecretStr("test-key"),
        llm_model="gpt-5-codex",
        llm_max_retries=0,
        llm_fallback="none",
        data_dir=tmp_path,
    )
    with pytest.raises(ModelCallError):  # the stub serves chat completions only
        await ask(build_models(settings).analyst, "json_schema")
    [request] = stub.requests
    assert request.path.endswith("/responses") and request.json is not None
    assert "response_format" not in request.json
    assert request.json["text"]["format"]["name"] == "Answer"
