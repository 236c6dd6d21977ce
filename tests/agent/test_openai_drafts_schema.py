"""Over real HTTP, the writer is asked for a reply with one required field per tone being
written: a reply that fits is used in one call, a rewrite asks only for the failing tones, and
a reply missing a tone is refused (one re-ask, then the fallback or the review queue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphs.lead import Campaign, Lead
from tests.agent.test_openai_provider import answer_like_a_model, run_lead, settings_for
from tests.fakes.openai_stub import OpenAIStub, RecordedRequest, Respond

LEAK = "\n\nP.S. {{favourite_color}}"


def is_writer(request: dict[str, Any]) -> bool:
    return '"task": "generate"' in request["messages"][1]["content"]


def writer_requests(stub: OpenAIStub) -> list[dict[str, Any]]:
    return [r.json for r in stub.requests if r.json is not None and is_writer(r.json)]


def reply_schema(request: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = request["response_format"]["json_schema"]["schema"]
    return schema


async def test_a_reply_that_fits_the_schema_is_used_as_is_in_one_call(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(Respond(answer_like_a_model), Respond(answer_like_a_model))
    out = await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    assert out["decision"].action == "send", out["decision"].reason
    [write] = writer_requests(stub)
    schema = reply_schema(write)
    tones = ["professional", "friendly", "direct"]
    assert list(schema["properties"]) == schema["required"] == tones
    assert schema["additionalProperties"] is False
    assert write["response_format"]["json_schema"]["strict"] is True, "the endpoint enforces it"
    # The prompt shows the model the same keys the schema requires.
    assert '{"professional": {"subject": str or null' in write["messages"][0]["content"]
    assert [v.tone for v in out["variants"]] == tones and out["attempts"] == 1
    assert [c.step for c in out["usage"].calls] == ["analyze", "generate"]


def leaks_a_placeholder_in_friendly_once(request: dict[str, Any]) -> str:
    """A model whose first friendly draft leaves a {{variable}} in it; the rest is fine."""
    reply = json.loads(answer_like_a_model(request))
    if "friendly" in reply and '"attempt": 1' in request["messages"][-1]["content"]:
        reply["friendly"]["body"] += LEAK
    return json.dumps(reply)


async def test_a_rewrite_of_one_tone_asks_for_that_tone_alone(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(*[Respond(leaks_a_placeholder_in_friendly_once)] * 3)
    out = await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    first, rewrite = writer_requests(stub)
    assert reply_schema(first)["required"] == ["professional", "friendly", "direct"]
    schema = reply_schema(rewrite)
    assert list(schema["properties"]) == schema["required"] == ["friendly"]
    assert rewrite["response_format"]["json_schema"]["name"] == "Drafts_friendly"
    system = rewrite["messages"][0]["content"]
    assert '{"friendly": {"subject"' in system and '"professional": {' not in system
    friendly = next(v for v in out["variants"] if v.tone == "friendly")
    assert friendly.attempt == 2 and "{{favourite_color}}" not in friendly.body
    assert out["decision"].action == "send", out["decision"].reason
    assert len(stub.requests) == 3, "analyze, write, rewrite: no re-ask"


def forgets_direct(request: dict[str, Any]) -> str:
    """A model that writes every tone but direct (analysis answered as usual)."""
    reply = json.loads(answer_like_a_model(request))
    reply.pop("direct", None)
    return json.dumps(reply)


def asked_again(request: RecordedRequest) -> str:
    assert request.json is not None
    return str(request.json["messages"][-1]["content"])


async def test_a_reply_missing_a_tone_is_refused_reasked_once_then_queued(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(*[Respond(forgets_direct)] * 3)
    out = await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    assert len(stub.requests) == 3, "analyze, write, one re-ask"
    assert asked_again(stub.requests[2]).startswith(
        "Your reply could not be used: direct: Field required"
    )
    outcomes = [c.outcome for c in out["usage"].calls]
    assert outcomes[1:] == ["invalid_output: direct: Field required (1 problem(s))"] * 2
    assert out.get("variants", []) == [], "no half reply is used"
    assert out["decision"].action == "queue"
    assert "no drafts: " in out["decision"].reason and "direct: Field required" in (
        out["decision"].reason
    )


async def test_a_reply_missing_a_tone_twice_falls_back_to_the_offline_writer(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(*[Respond(forgets_direct)] * 3)
    settings = settings_for(stub, tmp_path, llm_fallback="offline")
    out = await run_lead(settings, maya, campaign, demo_resolve)
    assert len(stub.requests) == 3
    assert out["fallback_used"] == ["generate"]
    assert [v.tone for v in out["variants"]] == ["professional", "friendly", "direct"]
    assert out["decision"].action == "queue", "a fallback's drafts wait for a person"
