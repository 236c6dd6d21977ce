"""The openai provider, over HTTP, for a lead research found nothing about.

The analysis asks the model for the lead's fit alone (a schema with no hooks or triggers) and
the writer for drafts with no hooks; whatever hooks a model sends anyway are not kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.runs.pipeline_factory import open_pipeline
from graphs.lead import Campaign, Lead
from tests.agent.test_openai_provider import answer_like_a_model, settings_for
from tests.fakes.openai_stub import OpenAIStub, Respond


def claiming_hooks(request: dict[str, Any]) -> str:
    """Answer like a model, then add a hook and a trigger no fact supports."""
    reply = json.loads(answer_like_a_model(request))
    reply["hooks"] = [{"text": "your KubeCon keynote", "fact_ids": ["f_invented"]}]
    reply["trigger_events"] = [
        {"type": "funding", "description": "raised", "fact_ids": ["f_x"], "relevance": 0.9}
    ]
    return json.dumps(reply)


async def test_an_unresearched_lead_asks_for_fit_only_and_keeps_its_drafts_for_a_person(
    stub: OpenAIStub, tmp_path: Path, campaign: Campaign
) -> None:
    lead = Lead(
        name="Alex Moreno",
        company="Brokenlink Labs",
        title="Head of Engineering",
        email="alex.moreno@brokenlink-labs.example",
    )
    stub.enqueue(Respond(claiming_hooks), Respond(answer_like_a_model))
    async with open_pipeline(settings_for(stub, tmp_path), resolve={}) as pipeline:
        out = await pipeline.graph.ainvoke(
            {"lead": lead, "campaign": campaign}, context=pipeline.context
        )
    assert len(stub.requests) == 2
    analyze, generate = (request.json for request in stub.requests)
    assert analyze is not None and generate is not None
    fit = analyze["response_format"]["json_schema"]
    assert fit["name"] == "LeadFit" and "hooks" not in fit["schema"]["properties"]
    drafts = generate["response_format"]["json_schema"]
    assert drafts["name"] == "PlainDrafts_professional_friendly_direct"
    assert all("hooks" not in d["properties"] for d in drafts["schema"]["$defs"].values())
    analysis = out["analysis"]
    assert analysis.unpersonalized and analysis.hooks == [] and analysis.trigger_events == []
    assert [v.tone for v in out["variants"]] == ["professional", "friendly", "direct"]
    assert all(v.hooks == [] and "Brokenlink Labs" in v.body for v in out["variants"])
    assert out["decision"].action == "queue", "auto-send is on, but nobody checked these"
    assert out["decision"].reason.startswith("research found nothing about this lead")
