"""Prove the OpenAI stub against the real openai client and langchain_openai.ChatOpenAI."""

from __future__ import annotations

import contextlib
import json
import operator
import threading
import time
from functools import reduce
from typing import Any

import httpx
import openai
import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from openai.types.chat import ChatCompletion
from pydantic import SecretStr

from .openai_stub import (
    DEFAULT_MODEL,
    Completion,
    Delay,
    HTTPError,
    OpenAIStub,
    Raw,
    Respond,
    ToolCalls,
)

MODEL = "gpt-4o-mini"


def make_llm(stub: OpenAIStub, **kwargs: Any) -> ChatOpenAI:
    """Build a ChatOpenAI pointed at the stub."""
    kwargs.setdefault("max_retries", 0)
    return ChatOpenAI(model=MODEL, base_url=stub.base_url, api_key=SecretStr("test"), **kwargs)


def make_client(stub: OpenAIStub, **kwargs: Any) -> openai.OpenAI:
    """Build an OpenAI client pointed at the stub."""
    kwargs.setdefault("max_retries", 0)
    return openai.OpenAI(base_url=stub.base_url, api_key="test", **kwargs)


def ask(client: openai.OpenAI, text: str = "hi") -> ChatCompletion:
    """Send one chat-completions request."""
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": text}])


def test_openai_client_gets_completion_and_request_is_recorded(stub: OpenAIStub) -> None:
    """Return content, usage and the echoed model; record path, headers and JSON."""
    stub.enqueue(Completion("Hello!", prompt_tokens=12, completion_tokens=3))

    result = ask(make_client(stub), "Say hello")

    assert result.choices[0].message.content == "Hello!"
    assert result.choices[0].finish_reason == "stop"
    assert result.model == MODEL
    assert result.usage is not None
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (12, 3)
    assert result.usage.total_tokens == 15
    [request] = stub.requests
    assert request.path == "/v1/chat/completions"
    assert request.method == "POST"
    assert request.headers["authorization"] == "Bearer test"
    assert request.json is not None
    assert request.json["messages"] == [{"role": "user", "content": "Say hello"}]
    assert stub.pending() == 0


def test_chat_openai_completion_has_content_and_usage_metadata(stub: OpenAIStub) -> None:
    """Map the stub's usage to AIMessage.usage_metadata."""
    stub.enqueue(Completion("Bonjour", prompt_tokens=7, completion_tokens=2, model="gpt-x"))

    message = make_llm(stub).invoke("Say hello in French")

    assert isinstance(message, AIMessage)
    assert message.content == "Bonjour"
    assert message.usage_metadata is not None
    assert message.usage_metadata["input_tokens"] == 7
    assert message.usage_metadata["output_tokens"] == 2
    assert message.usage_metadata["total_tokens"] == 9
    assert message.response_metadata["model_name"] == "gpt-x"
    assert message.response_metadata["finish_reason"] == "stop"


@pytest.mark.asyncio
async def test_chat_openai_ainvoke(stub: OpenAIStub) -> None:
    """Serve the async client too."""
    stub.enqueue(Completion("async ok"))

    message = await make_llm(stub).ainvoke("hi")

    assert message.content == "async ok"
    assert stub.requests[0].headers["x-stainless-async"].startswith("async")


def test_chat_openai_retries_after_429(stub: OpenAIStub) -> None:
    """Retry a 429 with Retry-After: 0 and succeed on the second request."""
    stub.enqueue(HTTPError(429, headers={"Retry-After": "0"}), Completion("after retry"))

    message = make_llm(stub, max_retries=1).invoke("hi")

    assert message.content == "after retry"
    assert len(stub.requests) == 2
    assert stub.requests[1].headers["x-stainless-retry-count"] == "1"
    assert stub.pending() == 0


def test_rate_limit_error_carries_openai_style_body_and_headers(stub: OpenAIStub) -> None:
    """Send the default OpenAI error envelope and the scripted headers."""
    stub.enqueue(HTTPError(429, headers={"Retry-After": "1"}))

    with pytest.raises(openai.RateLimitError) as caught:
        ask(make_client(stub))

    assert caught.value.status_code == 429
    assert caught.value.code == "rate_limit_exceeded"
    assert caught.value.response.headers["retry-after"] == "1"


def test_500_without_retries_raises_internal_server_error(stub: OpenAIStub) -> None:
    """Raise InternalServerError after exactly one request when max_retries=0."""
    stub.enqueue(HTTPError(500, "boom"))

    with pytest.raises(openai.InternalServerError) as caught:
        make_llm(stub).invoke("hi")

    assert caught.value.status_code == 500
    assert "boom" in caught.value.message
    assert len(stub.requests) == 1


def test_delay_beyond_client_timeout_raises_api_timeout_error(stub: OpenAIStub) -> None:
    """Time out the client on a slow reply; the abandoned handler must not slow stop()."""
    stub.enqueue(Delay(2, Completion("too late")))

    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        make_llm(stub, timeout=0.3).invoke("hi")
    assert time.monotonic() - started < 1.5

    started = time.monotonic()
    stub.stop()
    assert time.monotonic() - started < 1.0


def test_stop_aborts_a_handler_sleeping_in_delay(stub: OpenAIStub) -> None:
    """Return from stop() promptly and drop the connection of a still-waiting client."""
    stub.enqueue(Delay(30, Completion("never")))
    outcome: list[BaseException | int] = []

    def call() -> None:
        try:
            url = f"{stub.base_url}/chat/completions"
            outcome.append(httpx.post(url, json={"model": MODEL}, timeout=10).status_code)
        except BaseException as exc:
            outcome.append(exc)

    client = threading.Thread(target=call)
    client.start()
    while not stub.requests:
        time.sleep(0.01)
    time.sleep(0.1)

    started = time.monotonic()
    stub.stop()
    client.join(5)

    assert time.monotonic() - started < 1.0
    assert not client.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], httpx.TransportError)


def test_malformed_json_raises_json_decode_error(stub: OpenAIStub) -> None:
    """Surface a 200 with invalid JSON as a bare json.JSONDecodeError (not an openai error)."""
    stub.enqueue(Raw("{not json"))

    with pytest.raises(json.JSONDecodeError) as caught:
        make_llm(stub).invoke("hi")

    assert not isinstance(caught.value, openai.OpenAIError)
    response = getattr(caught.value, "response", None)  # attached by ChatOpenAI
    assert response is not None
    assert response.status_code == 200
    assert len(stub.requests) == 1


def test_empty_script_answers_500_without_inviting_retries(stub: OpenAIStub) -> None:
    """Fail loudly on an unscripted call, once, even with client retries enabled."""
    response = httpx.post(f"{stub.base_url}/chat/completions", json={"model": MODEL})
    assert response.status_code == 500
    assert "script exhausted" in response.json()["error"]["message"]

    with pytest.raises(openai.InternalServerError, match="script exhausted"):
        ask(make_client(stub, max_retries=2))
    assert len(stub.requests) == 2


def test_respond_computes_content_from_request(stub: OpenAIStub) -> None:
    """Build the content from the parsed request JSON."""
    stub.enqueue(Respond(lambda request: request["messages"][-1]["content"].upper()))

    assert make_llm(stub).invoke("echo me").content == "ECHO ME"


def test_models_endpoint_lists_one_model(stub: OpenAIStub) -> None:
    """List the configured model on GET /v1/models."""
    models = make_client(stub).models.list()

    assert [model.id for model in models] == [DEFAULT_MODEL]
    assert stub.requests[0].method == "GET"
    assert stub.requests[0].json is None


def test_concurrent_requests_each_consume_one_reply(stub: OpenAIStub) -> None:
    """Hand every scripted reply to exactly one of many concurrent requests."""
    count = 20
    stub.enqueue(*(Completion(f"reply-{i}") for i in range(count)))
    client = make_client(stub)
    contents: list[str | None] = []
    lock = threading.Lock()

    def call() -> None:
        content = ask(client).choices[0].message.content
        with lock:
            contents.append(content)

    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(contents, key=str) == sorted((f"reply-{i}" for i in range(count)), key=str)
    assert len(stub.requests) == count
    assert stub.pending() == 0


@tool
def get_weather(city: str) -> str:
    """Return the weather for a city."""
    return f"sunny in {city}"


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def stream_events(response: httpx.Response) -> list[str]:
    """Split an SSE body into its ``data:`` payloads."""
    assert response.text.endswith("\n\n")
    events = response.text.split("\n\n")[:-1]
    assert all(event.startswith("data: ") for event in events)
    return [event.removeprefix("data: ") for event in events]


def test_tool_calls_reply_reaches_openai_client(stub: OpenAIStub) -> None:
    """Serve tool_calls with generated ids, JSON arguments and finish_reason tool_calls."""
    stub.enqueue(
        ToolCalls([("get_weather", {"city": "Paris"}), ("add", {"a": 1, "b": 2})]),
        ToolCalls([("add", "{not json", "call_custom")], content="thinking"),
    )
    client = make_client(stub)

    first = ask(client).choices[0]
    second = ask(client).choices[0]

    assert first.finish_reason == "tool_calls"
    assert first.message.content is None
    calls = first.message.tool_calls or []
    assert [call.id for call in calls] == ["call_1", "call_2"]
    assert [call.type for call in calls] == ["function", "function"]
    assert [(call.function.name, json.loads(call.function.arguments)) for call in calls] == [  # type: ignore[union-attr]
        ("get_weather", {"city": "Paris"}),
        ("add", {"a": 1, "b": 2}),
    ]
    assert second.message.content == "thinking"
    [custom] = second.message.tool_calls or []
    assert custom.id == "call_custom"
    assert custom.function.arguments == "{not json"  # type: ignore[union-attr]


def test_tool_calls_needs_a_call() -> None:
    """Reject an empty ToolCalls at construction."""
    with pytest.raises(ValueError, match="at least one call"):
        ToolCalls([])


async def test_chat_openai_bind_tools_ainvoke_returns_tool_calls(stub: OpenAIStub) -> None:
    """Parse scripted tool calls into AIMessage.tool_calls; record the offered tools."""
    stub.enqueue(ToolCalls([("get_weather", {"city": "Oslo"}), ("add", {"a": 2, "b": 3})]))

    message = await make_llm(stub).bind_tools([get_weather, add]).ainvoke("weather and sum?")

    assert isinstance(message, AIMessage)
    assert [(call["name"], call["args"], call["id"]) for call in message.tool_calls] == [
        ("get_weather", {"city": "Oslo"}, "call_1"),
        ("add", {"a": 2, "b": 3}, "call_2"),
    ]
    assert message.response_metadata["finish_reason"] == "tool_calls"
    [request] = stub.requests
    assert request.tool_names == ["get_weather", "add"]
    assert request.tools[0]["type"] == "function"
    assert request.stream is False
    assert request.include_usage is False


async def test_respond_can_drive_a_tool_calling_loop(stub: OpenAIStub) -> None:
    """Let a Respond function call a tool first and answer once it sees the tool result."""

    def respond(request: dict[str, Any]) -> str | ToolCalls:
        last = request["messages"][-1]
        if last["role"] == "tool":
            return f"The tool said: {last['content']}"
        return ToolCalls([("get_weather", {"city": "Rome"})])

    stub.enqueue(Respond(respond), Respond(respond))
    llm = make_llm(stub).bind_tools([get_weather])
    messages: list[Any] = [HumanMessage("weather in Rome?")]

    first = await llm.ainvoke(messages)
    [call] = first.tool_calls
    messages += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    final = await llm.ainvoke(messages)

    assert final.content == "The tool said: sunny in Rome"
    assert stub.requests[1].json is not None
    assert stub.requests[1].json["messages"][-1]["tool_call_id"] == "call_1"


def test_stream_is_openai_shaped_server_sent_events(stub: OpenAIStub) -> None:
    """Frame chunks as SSE with role first, word deltas, finish, usage and [DONE]."""
    stub.enqueue(Completion("Hello there, world", prompt_tokens=5, completion_tokens=4))
    body = {
        "model": MODEL,
        "messages": [],
        "stream": True,
        "stream_options": {"include_usage": True},
    }

    response = httpx.post(f"{stub.base_url}/chat/completions", json=body)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    assert response.headers["connection"] == "close"
    assert "content-length" not in response.headers
    *data, done = stream_events(response)
    assert done == "[DONE]"
    chunks = [json.loads(item) for item in data]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert len({chunk["id"] for chunk in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[0]["choices"][0]["delta"]["content"] == ""
    words = [chunk["choices"][0]["delta"]["content"] for chunk in chunks[1:-2]]
    assert words == ["Hello ", "there, ", "world"]
    assert chunks[-2]["choices"][0] == {
        "index": 0,
        "delta": {},
        "logprobs": None,
        "finish_reason": "stop",
    }
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9}
    [request] = stub.requests
    assert request.stream is True
    assert request.include_usage is True


def test_stream_without_include_usage_has_no_usage_chunk(stub: OpenAIStub) -> None:
    """Omit the usage chunk and the usage keys unless stream_options asks for them."""
    stub.enqueue(Completion("ok"))

    response = httpx.post(
        f"{stub.base_url}/chat/completions", json={"model": MODEL, "stream": True}
    )

    *data, done = stream_events(response)
    chunks = [json.loads(item) for item in data]
    assert done == "[DONE]"
    assert all(chunk["choices"] for chunk in chunks)
    assert all("usage" not in chunk for chunk in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_openai_client_streams_tool_call_fragments(stub: OpenAIStub) -> None:
    """Stream tool calls as indexed fragments: id, type and name first, arguments split."""
    stub.enqueue(ToolCalls([("get_weather", {"city": "San Francisco"}), ("add", {"a": 1})]))

    stream = make_client(stub).chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)

    fragments = [
        call
        for chunk in chunks
        if chunk.choices
        for call in chunk.choices[0].delta.tool_calls or []
    ]
    heads = [fragment for fragment in fragments if fragment.id is not None]
    assert [(head.index, head.id, head.type) for head in heads] == [
        (0, "call_1", "function"),
        (1, "call_2", "function"),
    ]
    assert [head.function.name for head in heads if head.function] == ["get_weather", "add"]
    arguments: dict[int, str] = {}
    for fragment in fragments:
        if fragment.function and fragment.function.arguments:
            arguments[fragment.index] = (
                arguments.get(fragment.index, "") + fragment.function.arguments
            )
    assert json.loads(arguments[0]) == {"city": "San Francisco"}
    assert json.loads(arguments[1]) == {"a": 1}
    assert len([f for f in fragments if f.index == 0 and f.id is None]) > 1
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "tool_calls"
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == 150


async def test_chat_openai_astream_yields_several_content_chunks(stub: OpenAIStub) -> None:
    """Stream token by token through ChatOpenAI; no usage unless stream_usage is set."""
    text = "The quick brown fox jumps over the lazy dog."
    stub.enqueue(Completion(text))

    chunks = [chunk async for chunk in make_llm(stub).astream("go")]

    pieces = [chunk.content for chunk in chunks if chunk.content]
    assert len(pieces) >= 5
    assert "".join(str(piece) for piece in pieces) == text
    total = reduce(operator.add, chunks)
    assert isinstance(total, AIMessageChunk)
    assert total.content == text
    assert total.response_metadata["finish_reason"] == "stop"
    [request] = stub.requests
    assert request.stream is True
    assert request.include_usage is False  # ChatOpenAI with a custom base_url sends none


async def test_chat_openai_astream_with_stream_usage_gets_usage(stub: OpenAIStub) -> None:
    """Send stream_options.include_usage when asked and map the usage chunk."""
    stub.enqueue(Completion("counted words", prompt_tokens=11, completion_tokens=2))

    chunks = [chunk async for chunk in make_llm(stub, stream_usage=True).astream("go")]

    total = reduce(operator.add, chunks)
    assert total.content == "counted words"
    assert total.usage_metadata is not None
    assert (total.usage_metadata["input_tokens"], total.usage_metadata["output_tokens"]) == (11, 2)
    assert stub.requests[0].include_usage is True


async def test_chat_openai_astream_aggregates_tool_calls(stub: OpenAIStub) -> None:
    """Sum streamed chunks into the scripted tool calls, alongside streamed content."""
    stub.enqueue(
        ToolCalls(
            [("get_weather", {"city": "Buenos Aires"}), ("add", {"a": 40, "b": 2})],
            content="Let me check.",
        )
    )

    llm = make_llm(stub).bind_tools([get_weather, add])
    chunks = [chunk async for chunk in llm.astream("weather and sum?")]

    assert sum(1 for chunk in chunks if getattr(chunk, "tool_call_chunks", None)) > 2
    total = reduce(operator.add, chunks)
    assert isinstance(total, AIMessageChunk)
    assert total.content == "Let me check."
    assert [(call["name"], call["args"], call["id"]) for call in total.tool_calls] == [
        ("get_weather", {"city": "Buenos Aires"}, "call_1"),
        ("add", {"a": 40, "b": 2}, "call_2"),
    ]
    assert total.response_metadata["finish_reason"] == "tool_calls"
    assert stub.requests[0].tool_names == ["get_weather", "add"]


def test_chat_openai_streaming_invoke(stub: OpenAIStub) -> None:
    """Serve ChatOpenAI(streaming=True).invoke, which streams under the hood."""
    stub.enqueue(ToolCalls([("add", {"a": 1, "b": 1})]))

    message = make_llm(stub, streaming=True).bind_tools([add]).invoke("1+1")

    assert [(call["name"], call["args"]) for call in message.tool_calls] == [
        ("add", {"a": 1, "b": 1})
    ]
    assert stub.requests[0].stream is True


async def test_streamed_faults_raise_openai_errors(stub: OpenAIStub) -> None:
    """Answer a streaming request's scripted 429 and 500 with plain JSON errors."""
    stub.enqueue(HTTPError(429, headers={"Retry-After": "0"}), HTTPError(500, "boom"))
    llm = make_llm(stub)

    with pytest.raises(openai.RateLimitError) as limited:
        async for _ in llm.astream("hi"):
            pass
    with pytest.raises(openai.InternalServerError, match="boom"):
        for _ in llm.stream("hi"):
            pass

    assert limited.value.code == "rate_limit_exceeded"
    assert [request.stream for request in stub.requests] == [True, True]


def test_streamed_delay_then_reply_and_timeout(stub: OpenAIStub) -> None:
    """Delay a streamed reply; time the client out when the delay exceeds its timeout."""
    stub.enqueue(Delay(0.1, Completion("late but fine")), Delay(2, Completion("too late")))

    chunks = list(make_llm(stub, timeout=1.0).stream("hi"))
    assert "".join(str(chunk.content) for chunk in chunks) == "late but fine"

    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        list(make_llm(stub, timeout=0.3).stream("hi"))
    assert time.monotonic() - started < 1.5


def test_stream_chunk_delay_spreads_chunks_and_stop_aborts_stream() -> None:
    """Pace streamed events; stop() ends a paced stream promptly."""
    with OpenAIStub(stream_chunk_delay=0.05) as stub:
        stub.enqueue(Completion("one two three four"))
        arrivals = [time.monotonic() for _ in make_llm(stub).stream("hi")]
        assert arrivals[-1] - arrivals[0] >= 0.15

        stub.enqueue(Completion("word " * 1000))
        stub.stream_chunk_delay = 1.0
        stream = make_llm(stub).stream("hi")
        received = [next(stream)]
        started = time.monotonic()
        stub.stop()
        assert time.monotonic() - started < 1.0
        with contextlib.suppress(openai.APIConnectionError):  # a truncated stream just ends
            received += list(stream)
        assert time.monotonic() - started < 1.5
        assert len(received) < 5
        assert not any(chunk.response_metadata.get("finish_reason") for chunk in received)
    assert not [t for t in threading.enumerate() if t.name.startswith("OpenAIStub")]


def test_raw_reply_is_sent_verbatim_to_a_streaming_request(stub: OpenAIStub) -> None:
    """Keep Raw as an escape hatch for hand-written SSE bodies."""
    chunk = {
        "id": "x",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": MODEL,
        "choices": [{"index": 0, "delta": {"content": "raw"}, "finish_reason": "stop"}],
    }
    stub.enqueue(
        Raw(f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n", content_type="text/event-stream")
    )

    assert "".join(str(c.content) for c in make_llm(stub).stream("hi")) == "raw"
