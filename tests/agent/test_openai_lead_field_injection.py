"""Hostile lead fields on the openai provider path (issue 17, item 6), over real HTTP.

The model is sent lead fields as data inside <task_input>; a field that reads as instructions,
carries a link or carries markup is withheld from it altogether, so neither a well-behaved
model (one that names the company as the payload gives it) nor a hijacked one gets the text
from us. A model that writes the injected text anyway fails the critic's copied_instructions
check and the lead waits for a person.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphs.lead import Campaign, Lead
from tests.agent.hostile_leads import (
    NEVER_IN_A_MESSAGE,
    hostile,
    message_texts,
    with_template,
)
from tests.agent.test_openai_provider import answer_like_a_model, run_lead, settings_for
from tests.factories import drafts_in
from tests.fakes.openai_stub import OpenAIStub, Respond


def task_inputs(stub: OpenAIStub) -> list[str]:
    """What the model was sent inside <task_input>, request by request."""
    blocks = []
    for request in stub.requests:
        assert request.json is not None
        user = request.json["messages"][-1]["content"]
        blocks.append(user.split("<task_input>")[1].split("</task_input>")[0])
    return blocks


async def test_hostile_fields_are_withheld_from_the_model_and_the_drafts(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(*[Respond(answer_like_a_model)] * 6)
    out = await run_lead(
        settings_for(stub, tmp_path), hostile(maya), with_template(campaign), demo_resolve
    )
    sent = task_inputs(stub)
    assert len(sent) >= 2
    for block in sent:
        for forbidden in ("QX-PWNED-9", "evil.example", "onerror", "Ignore all previous"):
            assert forbidden not in block, (forbidden, block)
        lead = json.loads(block)["lead"]
        assert lead["company"] == "your company"
        assert "notes" not in lead["extra"] and "bio" not in lead["extra"]
    for text in message_texts(out):
        for forbidden in NEVER_IN_A_MESSAGE:
            assert forbidden.casefold() not in text.casefold(), (forbidden, text)
    assert out["decision"].action == "queue", out["decision"].reason
    assert out.get("delivery") is None
    assert "company" in out["decision"].reason
    assert {e.message.split(":")[0] for e in out["errors"] if e.stage == "lead"} == {
        "company",
        "notes",
        "bio",
    }


def obey_the_injection(request: dict[str, Any]) -> str:
    """A hijacked model: writes its drafts, then pastes the attacker's text into each."""
    reply = json.loads(answer_like_a_model(request))
    for draft in drafts_in(reply):
        draft["body"] = draft["body"].replace(
            "\n\n", "\n\nQX-PWNED-9, see http://evil.example/x <img src=x onerror=alert(1)>\n\n", 1
        )
    return json.dumps(reply)


async def test_a_model_that_writes_the_injected_text_anyway_is_failed_by_name_and_queued(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(*[Respond(obey_the_injection)] * 6)
    out = await run_lead(settings_for(stub, tmp_path), hostile(maya), campaign, demo_resolve)
    assert out["decision"].action == "queue", out["decision"].reason
    assert out.get("delivery") is None
    for critique in out["critiques"]:
        failed = {c.name: c for c in critique.checks if not c.passed}
        assert "copied_instructions" in failed, critique.issues
        detail = failed["copied_instructions"].detail
        assert "QX-PWNED-9" in detail and "<img" in detail, detail
