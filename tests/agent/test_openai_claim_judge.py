"""The critic's claim judge on the openai provider, over real HTTP to the local stub (issue 21).

A model that writes a sentence about the lead no fact backs (no number or name the exact checks
could refuse) is caught by the judge and the lead waits for a person; a judge endpoint that
fails (HTTP 500, malformed JSON) leaves the deterministic verdicts as they were, and the run says
why; with the judge off, no judge request is made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphs.lead import Campaign, Lead
from tests.agent.test_openai_provider import answer_like_a_model, run_lead, settings_for
from tests.factories import drafts_in
from tests.fakes.openai_stub import Completion, HTTPError, OpenAIStub, Respond

INVENTED = "Your team clearly cares about developer happiness above everything else."


def is_judge(request: dict[str, Any]) -> bool:
    return "fact-checker" in request["messages"][0]["content"]


def writer_that_invents(request: dict[str, Any]) -> str:
    """A well-behaved model, except that every draft gains one sentence no fact backs."""
    reply = json.loads(answer_like_a_model(request))
    for draft in drafts_in(reply):
        draft["body"] = draft["body"].replace("\n\n", f"\n\n{INVENTED} ", 1)
    return json.dumps(reply)


def strict_judge(request: dict[str, Any]) -> str:
    """Refuse the invented sentence, accept everything else."""
    user = request["messages"][-1]["content"]
    payload = json.loads(user.split("<task_input>")[1].split("</task_input>")[0])
    verdicts = [
        {
            "claim": claim["claim"],
            "verdict": "not_in_facts" if "happiness" in claim["text"] else "supported",
            "fact_id": None,
            "reason": "nothing in the facts says so" if "happiness" in claim["text"] else "ok",
        }
        for claim in payload["claims"]
    ]
    return json.dumps({"verdicts": verdicts})


def model(request: dict[str, Any]) -> str:
    return strict_judge(request) if is_judge(request) else writer_that_invents(request)


def judge_requests(stub: OpenAIStub) -> list[dict[str, Any]]:
    return [r.json for r in stub.requests if r.json is not None and is_judge(r.json)]


async def test_the_judge_catches_an_unbacked_sentence_and_the_lead_waits_for_a_person(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(*[Respond(model)] * 12)
    settings = settings_for(stub, tmp_path, claim_judge=True)
    out = await run_lead(settings, maya, campaign, demo_resolve)
    judged = judge_requests(stub)
    assert judged, "the judge was never asked"
    assert judged[0]["response_format"]["json_schema"]["name"] == "ClaimVerdicts"
    assert out["decision"].action == "queue", out["decision"].reason
    assert out.get("delivery") is None
    for verdict in out["critiques"]:
        grounding = next(c for c in verdict.checks if c.name == "grounding")
        assert not grounding.passed and "nothing in the facts says so" in grounding.detail


async def test_a_failing_judge_leaves_the_exact_checks_in_charge(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(
        Respond(answer_like_a_model),  # analyze
        Respond(answer_like_a_model),  # generate: a grounded draft
        HTTPError(500),  # the judge fails
    )
    settings = settings_for(stub, tmp_path, claim_judge=True)
    out = await run_lead(settings, maya, campaign, demo_resolve)
    assert out["decision"].action == "send", out["decision"].reason
    stages = {error.stage for error in out["errors"]}
    if judge_requests(stub):  # asked only when a sentence was undecided
        assert "judge_claims" in stages


async def test_malformed_judge_json_is_reasked_once_then_left_out(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(
        Respond(answer_like_a_model),
        Respond(writer_that_invents),
        Completion('{"verdicts": [{"claim": 0, "verdict": '),
        Completion("not json at all"),
    )
    settings = settings_for(stub, tmp_path, claim_judge=True)
    out = await run_lead(settings, maya, campaign, demo_resolve)
    errors = [e.message for e in out["errors"] if e.stage == "judge_claims"]
    assert errors and "deterministic grounding verdicts stand" in errors[0]
    # Without a verdict the exact checks decide, as with the judge off: they pass the draft.
    assert out["decision"].action == "send", out["decision"].reason
    assert len(judge_requests(stub)) == 2  # the malformed answer was asked for once more


async def test_with_the_judge_off_no_judge_request_is_made(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(*[Respond(model)] * 8)
    out = await run_lead(settings_for(stub, tmp_path), maya, campaign, demo_resolve)
    assert not judge_requests(stub)
    assert out["decision"] is not None
