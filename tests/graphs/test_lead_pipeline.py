"""The whole graph with a scripted model: what gets written, decided and sent."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langchain_core.tools import StructuredTool

from graphs.analysis import Analysis
from graphs.lead import Campaign, Lead
from graphs.lead_pipeline import build_graph
from tests.factories import FUNDING, POST, analysis_reply, context, drafts_reply
from tests.fakes.scripted_model import ScriptedChatModel
from tools.facts import Fact, ResearchResult

SNAPSHOT = Path(__file__).parent / "snapshots" / "lead_pipeline.mmd"


def research_tool(facts: list[Fact]) -> StructuredTool:
    """A research tool that returns fixed facts (the model is what these tests script)."""

    async def research_company(url: str, company_name: str) -> dict[str, Any]:
        return ResearchResult(facts=facts).model_dump(mode="json")

    return StructuredTool.from_function(
        coroutine=research_company, name="research_company", description="Fixed facts."
    )


def email(tone: str, body_claim: str = "$40M Series B") -> dict[str, Any]:
    body = (
        f"Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo”. "
        f"Congrats on the {body_claim} too.\n\nBrightpath shows engineering teams which builds and "
        "tests slow their CI pipelines down, and flags flaky tests before they block merges. Teams "
        "using it usually cut pipeline time by a third within a month.\n\n"
        "Worth a 15-minute call next week?\n\nBest,\nAlex Rivera"
    )
    return {
        "tone": tone,
        "subject": "Northwind Robotics and CI",
        "body": body,
        "hooks": [
            {
                "text": "your post “What we learned moving 40 services into one monorepo”",
                "fact_ids": [POST.id],
            },
            {"text": "the $40M Series B", "fact_ids": [FUNDING.id]},
        ],
    }


def drafts(*variants: dict[str, Any]) -> dict[str, Any]:
    return drafts_reply(*variants)


ALL_GOOD = drafts(email("professional"), email("friendly"), email("direct"))


async def run(
    model: ScriptedChatModel, lead: Lead, campaign: Campaign, tmp_path: Path, **kw: Any
) -> dict[str, Any]:
    ctx = context(model, tmp_path, tools=[research_tool([POST, FUNDING])], **kw)
    return await build_graph().ainvoke({"lead": lead, "campaign": campaign}, context=ctx)


def outbox(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_topology_matches_snapshot() -> None:
    drawn = build_graph().get_graph().draw_mermaid()
    assert drawn == SNAPSHOT.read_text(), "graph changed: update the snapshot if intended"


def test_every_step_and_router_runs_on_the_event_loop() -> None:
    """A plain function in an async graph is handed to a worker thread each time it runs (CPU
    for the hand-off and the wake-up, six routers and seven steps a lead): none may be one."""
    builder = build_graph().builder
    runnables = [(name, spec.runnable) for name, spec in builder.nodes.items()] + [
        (f"{source} -> {name}", branch.path)
        for source, branches in builder.branches.items()
        for name, branch in branches.items()
    ]
    assert len(runnables) == 13
    on_threads = [
        name
        for name, runnable in runnables
        if getattr(runnable, "func", None) is not None
        or not inspect.iscoroutinefunction(getattr(runnable, "afunc", None))
    ]
    assert on_threads == []


async def test_happy_path_sends_the_best_variant_with_three_model_calls_at_most(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    model = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING]), ALL_GOOD)
    out = await run(model, maya, campaign, tmp_path)
    assert out["decision"].action == "send", out["decision"].reason
    assert [v.tone for v in out["variants"]] == ["professional", "friendly", "direct"]
    assert all(c.passed for c in out["critiques"])
    assert out["usage"].llm_calls == 2 and out["usage"].input_tokens == 240
    assert (
        out["prompts"]["generate"].version == "v6" and len(out["prompts"]["generate"].sha256) == 64
    )
    sent = outbox(tmp_path)
    assert len(sent) == 1 and sent[0]["to"] == "maya.okafor@northwind-robotics.example"
    assert sent[0]["body"].startswith("Hi Maya")
    assert out["delivery"].message_id.startswith("dryrun-")


async def test_critic_loop_rewrites_only_the_failing_tone_with_feedback(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    hallucinated = drafts(
        email("professional"), email("friendly", "$90M Series D"), email("direct")
    )
    model = ScriptedChatModel().enqueue(
        analysis_reply([POST, FUNDING]), hallucinated, drafts(email("friendly"))
    )
    out = await run(model, maya, campaign, tmp_path)
    assert out["attempts"] == 2
    rewrite_prompt = model.calls[2][1]
    assert isinstance(rewrite_prompt, HumanMessage)
    payload = str(rewrite_prompt.content)
    assert '"tones": [\n  "friendly"\n ]' in payload
    assert "Series D" in payload and "not supported by any fact" in payload
    friendly = next(v for v in out["variants"] if v.tone == "friendly")
    assert friendly.attempt == 2 and "Series D" not in friendly.body
    assert out["decision"].action == "send"


async def test_drafts_that_never_pass_are_queued_with_the_critics_reasons(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    bad = drafts(*(email(t, "$90M Series D") for t in ("professional", "friendly", "direct")))
    model = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING]), bad, bad, bad)
    out = await run(model, maya, campaign, tmp_path, max_attempts=2)
    assert out["attempts"] == 2
    decision = out["decision"]
    assert decision.action == "queue"
    assert "no draft passed the critic after 2 attempt(s)" in decision.reason
    assert "Series D" in decision.reason
    assert outbox(tmp_path) == []


async def test_auto_send_off_queues_a_ready_message(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    model = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING]), ALL_GOOD)
    out = await run(model, maya, campaign, tmp_path, auto_send=False)
    assert out["decision"].action == "queue"
    assert "auto-send is off" in out["decision"].reason
    assert outbox(tmp_path) == []


@pytest.mark.parametrize(
    ("relevance", "action", "calls"), [(0.1, "reject", 1), (0.5, "queue", 2), (0.95, "send", 2)]
)
async def test_relevance_thresholds(
    maya: Lead, campaign: Campaign, tmp_path: Path, relevance: float, action: str, calls: int
) -> None:
    model = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING], relevance), ALL_GOOD)
    out = await run(model, maya, campaign, tmp_path)
    assert out["decision"].action == action, out["decision"].reason
    assert len(model.calls) == calls  # a rejected lead costs no writing call


async def test_lead_without_a_valid_address_is_rejected(campaign: Campaign, tmp_path: Path) -> None:
    lead = Lead(name="Chris Doyle", company="Northwind Robotics", email="chris.doyle@")
    model = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING]), ALL_GOOD)
    out = await run(model, lead, campaign, tmp_path)
    assert out["decision"].action == "reject"
    assert "no valid email contact" in out["decision"].reason


async def test_malformed_json_is_reasked_once_then_used(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    model = ScriptedChatModel().enqueue(
        "Sure! Here is the analysis: {not json at all", analysis_reply([POST, FUNDING]), ALL_GOOD
    )
    out = await run(model, maya, campaign, tmp_path)
    assert out["decision"].action == "send"
    reask = model.calls[1][-1]
    assert "could not be used" in str(reask.content)
    assert out["usage"].llm_calls == 3
    calls = out["usage"].calls
    assert [c.step for c in calls] == ["analyze", "analyze", "generate"]
    assert calls[0].outcome.startswith("invalid_output: the reply")
    assert [c.outcome for c in calls[1:]] == ["ok", "ok"]


async def test_fenced_and_truncated_json_is_repaired(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    fenced = "```json\n" + json.dumps(analysis_reply([POST, FUNDING])) + "\n```"
    truncated = json.dumps(ALL_GOOD)[:-2]  # lost the closing brackets
    model = ScriptedChatModel().enqueue(fenced, truncated)
    out = await run(model, maya, campaign, tmp_path)
    assert out["decision"].action == "send"
    assert len(model.calls) == 2


async def test_model_failure_without_fallback_queues_with_the_error(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    model = ScriptedChatModel().enqueue(ConnectionError("endpoint down"))
    out = await run(model, maya, campaign, tmp_path)
    assert out["decision"].action == "queue"
    assert (
        out["decision"].reason
        == "analysis failed: model call failed: ConnectionError: endpoint down"
    )
    (failed,) = out["usage"].calls
    assert failed.model == "scripted-model"
    assert failed.outcome == "error: ConnectionError: endpoint down"
    assert out["facts"], "research is kept even when the model fails"


async def test_model_failure_falls_back_to_offline_writer_and_queues_for_review(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    from agent.offline.chat_model import OfflineChatModel

    model = ScriptedChatModel().enqueue(ConnectionError("down"), ConnectionError("down"))
    out = await run(model, maya, campaign, tmp_path, fallback=OfflineChatModel())
    assert out["fallback_used"] == ["analyze", "generate"]
    assert len(out["variants"]) == 3
    assert out["decision"].action == "queue"
    assert "offline fallback wrote analyze, generate" in out["decision"].reason
    assert [e.stage for e in out["errors"]] == ["analyze", "generate"]


async def test_hooks_citing_unknown_facts_are_dropped_from_the_analysis(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    reply = analysis_reply([POST, FUNDING])
    reply["hooks"].append({"text": "their KubeCon keynote", "fact_ids": ["f_invented"]})
    model = ScriptedChatModel().enqueue(reply, ALL_GOOD)
    out = await run(model, maya, campaign, tmp_path)
    assert [h.text for h in out["analysis"].hooks if "KubeCon" in h.text] == []
    assert any("f_invented" in e.message for e in out["errors"])


async def test_template_variables_are_filled_and_unknown_ones_caught(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    with_vars = drafts(
        {**email("professional"), "subject": "{{company}} and CI"},
        {**email("friendly"), "body": email("friendly")["body"] + "\nP.S. {{favourite_color}}"},
        email("direct"),
    )
    model = ScriptedChatModel().enqueue(
        analysis_reply([POST, FUNDING]), with_vars, drafts(email("friendly"))
    )
    out = await run(model, maya, campaign, tmp_path)
    professional = next(v for v in out["variants"] if v.tone == "professional")
    assert professional.subject == "Northwind Robotics and CI"
    first_round_friendly = model.calls[2][1].content
    assert "{{favourite_color}}" in str(first_round_friendly)  # fed back as a placeholder leak


async def test_unreachable_lead_costs_no_model_call(campaign: Campaign, tmp_path: Path) -> None:
    linkedin = campaign.model_copy(update={"channel": "linkedin"})
    lead = Lead(name="Maya Okafor", company="Northwind Robotics", email="maya@northwind.example")
    model = ScriptedChatModel()  # an empty script: any model call fails the test
    out = await run(model, lead, linkedin, tmp_path)
    assert out["decision"].action == "reject"
    assert out["decision"].reason == "no valid linkedin contact: no LinkedIn profile URL"
    assert model.calls == []


async def test_failed_research_is_queued_with_unpersonalized_drafts_not_judged_a_poor_fit(
    campaign: Campaign, tmp_path: Path
) -> None:
    async def research_company(url: str, company_name: str) -> dict[str, Any]:
        error = {"tool": "research_company", "url": url, "message": "the server answered HTTP 404"}
        return {"facts": [], "errors": [error]}

    tool = StructuredTool.from_function(
        coroutine=research_company, name="research_company", description="x"
    )
    lead = Lead(
        name="Alex Moreno",
        company="Brokenlink Labs",
        email="alex@brokenlink.example",
        company_url="http://brokenlink.example/",
    )
    body = (
        "{greeting}\n\nI am writing to you at Brokenlink Labs.\n\nBrightpath shows engineering "
        "teams which builds and tests slow their CI pipelines down, and flags flaky tests before "
        "they block merges. Teams using it usually cut pipeline time by a third within a month."
        "\n\nWorth a 15-minute call next week to see it on your pipeline?\n\nBest,\nAlex Rivera"
    )
    plain = drafts(
        *(
            {
                "tone": tone,
                "subject": "A question for Brokenlink Labs",
                "body": body.format(greeting=g),
            }
            for tone, g in (
                ("professional", "Hi Alex,"),
                ("friendly", "Hi Alex,"),
                ("direct", "Alex,"),
            )
        )
    )
    # A low score from nothing says nothing about fit: the lead is drafted and kept for a person.
    model = ScriptedChatModel().enqueue(
        Analysis(relevance_score=0.05).model_dump(mode="json"), plain
    )
    ctx = context(model, tmp_path, tools=[tool])
    out = await build_graph().ainvoke({"lead": lead, "campaign": campaign}, context=ctx)
    assert out["decision"].action == "queue"
    assert out["decision"].reason == (
        "research found nothing about this lead: three unpersonalized drafts wait for a person "
        "(http://brokenlink.example/: the server answered HTTP 404)"
    )
    assert out["analysis"].unpersonalized
    assert [v.tone for v in out["variants"]] == ["professional", "friendly", "direct"]
    assert outbox(tmp_path) == []
