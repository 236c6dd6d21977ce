"""Prove the OpenAI stub against the real openai client and langchain_openai.ChatOpenAI."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from langchain_core.messages import AIMessage
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
)

MODEL = "gpt-4o-mini"


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    """Run a stub for one test and check that no stub thread outlives it."""
    with OpenAIStub() as running:
        yield running
    assert not [t for t in threading.enumerate() if t.name.startswith("OpenAIStub")]


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
