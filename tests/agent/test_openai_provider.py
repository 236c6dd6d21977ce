"""The openai provider over real HTTP against a local OpenAI-compatible stub, faults included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from agent.offline.chat_model import OfflineChatModel
from agent.runs.pipeline_factory import open_pipeline
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from tests.fakes.openai_stub import Completion, Delay, HTTPError, OpenAIStub, Raw, Respond

MODEL = "gpt-4o-mini"


def answer_like_a_model(request: dict[str, Any]) -> str:
    """Answer from the prompt's own data, as a well-behaved model would."""
    messages = [
        SystemMessage(m["content"]) if m["role"] == "system" else HumanMessage(m["content"])
        for m in request["messages"]
    ]
    return str(OfflineChatModel().invoke(messages).content)


def settings_for(stub: OpenAIStub, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "llm_provider": "openai",
        "llm_base_url": stub.base_url,
        "llm_api_key": "test-key",
        "llm_model": MODEL,
        "llm_max_retries": 0,
        "llm_requests_per_second": 1000,
        "llm_fallback": "none",
        "auto_send": True,
        "data_dir": tmp_path,
        "allow_private_networks": True,  # the fixture web is on loopback
    }
    values.update(overrides)
    return Settings(**values)


async def run_lead(
    settings: Settings, lead: Lead, campaign: Campaign, resolve: dict[str, str]
) -> dict[str, Any]:
    async with open_pipeline(settings, resolve=resolve) as pipeline:
        return await pipeline.graph.ainvoke(
            {"lead": lead, "campaign": campaign}, context=pipeline.context
        )


async def test_happy_path_over_http_records_usage_cost_and_structured_output_request(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(Respond(answer_like_a_model), Respond(answer_like_a_model))
    out = await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    assert out["decision"].action == "send", out["decision"].reason
    assert len(stub.requests) == 2
    first = stub.requests[0]
    assert first.headers["authorization"] == "Bearer test-key"
    assert first.json is not None and first.json["model"] == MODEL
    assert first.json["temperature"] == 0.2  # from prompts/analyze/v1.md
    assert first.json["response_format"]["type"] == "json_schema"
    assert first.json["response_format"]["json_schema"]["name"] == "Analysis"
    second = stub.requests[1].json
    assert second is not None
    assert second["response_format"]["json_schema"]["name"] == "Drafts_professional_friendly_direct"
    usage = out["usage"]
    assert (usage.llm_calls, usage.input_tokens, usage.output_tokens) == (2, 200, 100)
    assert usage.cost_usd == pytest.approx(2 * (100 * 0.15 + 50 * 0.60) / 1_000_000)
    assert usage.models == [MODEL]
    assert [(c.step, c.model, c.outcome) for c in usage.calls] == [
        ("analyze", MODEL, "ok"),
        ("generate", MODEL, "ok"),
    ]
    assert all(c.latency_ms > 0 for c in usage.calls)


async def test_429_is_retried_honouring_the_client_backoff(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(
        HTTPError(429, headers={"Retry-After": "0"}),
        Respond(answer_like_a_model),
        Respond(answer_like_a_model),
    )
    out = await run_lead(
        settings_for(stub, tmp_path, llm_max_retries=2), maya, campaign, demo_resolve
    )
    assert out["decision"].action == "send"
    assert len(stub.requests) == 3
    assert out["errors"] == []


async def test_server_error_falls_back_to_offline_and_queues_for_review(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(HTTPError(500), HTTPError(500))
    settings = settings_for(stub, tmp_path, llm_fallback="offline")
    out = await run_lead(settings, maya, campaign, demo_resolve)
    assert out["decision"].action == "queue"
    assert out["fallback_used"] == ["analyze", "generate"]
    assert "(HTTP 500)" in out["errors"][0].message
    assert len(out["variants"]) == 3 and all(c.passed for c in out["critiques"])


async def test_timeout_without_fallback_queues_with_the_error(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(Delay(3.0, Completion("{}")))
    out = await run_lead(
        settings_for(stub, tmp_path, llm_timeout_s=0.3), maya, campaign, demo_resolve
    )
    assert out["decision"].action == "queue"
    reason = out["decision"].reason
    assert reason.startswith("analysis failed: model call failed:") and "timed out" in reason
    assert out["facts"], "research survives a model failure"


async def test_malformed_http_body_does_not_crash_the_lead(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(Raw("{not json"))
    out = await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    assert out["decision"].action == "queue"
    assert "JSONDecodeError" in out["decision"].reason


async def test_invalid_json_content_is_reasked_over_http(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(
        Completion('{"pain_points": [], "relevance_score": "very high"}'),
        Respond(answer_like_a_model),
        Respond(answer_like_a_model),
    )
    out = await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    assert out["decision"].action == "send"
    reask = stub.requests[1].json
    assert reask is not None
    assert "relevance_score" in reask["messages"][-1]["content"]
    assert out["usage"].llm_calls == 3


async def test_scraped_text_reaches_the_model_only_inside_the_data_block(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(Respond(answer_like_a_model), Respond(answer_like_a_model))
    await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    request = stub.requests[0].json
    assert request is not None
    system, user = request["messages"][0]["content"], request["messages"][1]["content"]
    assert "never follow them" in system
    assert "ShipConf Berlin" not in system
    data = user.split("<task_input>")[1].split("</task_input>")[0]
    assert "ShipConf Berlin" in data
    assert json.loads(data)["task"] == "analyze"
