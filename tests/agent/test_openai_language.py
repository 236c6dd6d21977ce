"""The language a lead is written to in, on the openai provider over real HTTP (issue 21).

A model writes the lead's language; when it fails, the offline writer steps in: in the lead's
language when the campaign has its own pitch in it, else in English (it cannot translate), and
then the result says English, the critic checks English, and the reason says why.
"""

from __future__ import annotations

from pathlib import Path

from graphs.lead import Campaign, CampaignCopy, Lead
from tests.agent.test_openai_provider import answer_like_a_model, run_lead, settings_for
from tests.fakes.openai_stub import HTTPError, OpenAIStub, Respond


async def test_a_german_lead_gets_german_from_the_model_and_english_from_the_fallback(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    german = maya.model_copy(update={"language": "de"})
    stub.enqueue(Respond(answer_like_a_model), HTTPError(500))  # analyze, then generate fails
    settings = settings_for(stub, tmp_path, llm_fallback="offline")
    out = await run_lead(settings, german, campaign, demo_resolve)
    assert out["fallback_used"] == ["generate"]
    assert out["language"] == "en"
    assert "lead row" in out["language_reason"]
    assert "offline writer" in out["language_reason"] and "wrote English" in out["language_reason"]
    assert out["decision"].action != "send", out["decision"].reason
    generate = stub.requests[1].json
    assert generate is not None and '"language": "de"' in generate["messages"][-1]["content"]


async def test_with_the_campaigns_german_pitch_the_fallback_writes_german(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    """The offline writer has a German phrasebook: given the campaign's own German pitch and
    ask, the drafts it writes when the model fails are German, and checked as German."""
    german = maya.model_copy(update={"language": "de"})
    copy = CampaignCopy(
        value_proposition="Brightpath zeigt Engineering-Teams, welche Builds und Tests ihre "
        "CI-Pipelines ausbremsen.",
        call_to_action="Hätten Sie nächste Woche 15 Minuten Zeit für ein Gespräch?",
    )
    translated = campaign.model_copy(update={"translations": {"de": copy}})
    stub.enqueue(Respond(answer_like_a_model), HTTPError(500))  # analyze, then generate fails
    settings = settings_for(stub, tmp_path, llm_fallback="offline")
    out = await run_lead(settings, german, translated, demo_resolve)
    assert out["fallback_used"] == ["generate"]
    assert out["language"] == "de", out["language_reason"]
    bodies = [v.body for v in out["variants"]]
    assert bodies and all("Hätten Sie nächste Woche 15 Minuten Zeit" in b for b in bodies), bodies
    assert not any(b.startswith(("Hi ", "Hello")) for b in bodies), bodies
