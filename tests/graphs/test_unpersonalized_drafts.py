"""A lead research found nothing about gets three unpersonalized drafts, kept for a person.

The drafts say only what the lead row and the campaign say (name, title, company, the pitch
and the ask). The critic does not ask them for a hook citing a fact, and still fails any claim
the row and the campaign do not make.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from pydantic import ValidationError

from agent.offline.chat_model import OfflineChatModel
from graphs.analysis import Analysis, Hook, LeadFit
from graphs.context import CriticSettings, Thresholds
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from graphs.lead_pipeline import build_graph
from graphs.outcome import Action
from tests.conftest import NOW
from tests.factories import context, drafts_reply
from tests.fakes.scripted_model import ScriptedChatModel
from tools.facts import FactKind, make_fact

REASON = "research found nothing about this lead: three unpersonalized drafts wait for a person"
# What a message may only say when research found something.
RESEARCH_CLAIMS = re.compile(
    r"\b(?:I noticed|noticed|I saw|saw your|I read|read your|came across|congrat\w*|recent\w*|"
    r"your post|your talk|stuck with me|looks like|hiring|raised|raises|funding|series [a-f]|"
    r"launch\w*|announc\w*|expan\w*|acquir\w*|new office)\b",
    re.IGNORECASE,
)


@pytest.fixture
def alex() -> Lead:
    """A target-title lead with nothing to research: no profile or company page."""
    return Lead(
        name="Alex Moreno",
        company="Brokenlink Labs",
        title="Head of Engineering",
        email="alex.moreno@brokenlink-labs.example",
        phone="+12025550116",
        linkedin_url="https://www.linkedin.com/in/alex-moreno-example",
    )


def failing_research() -> list[StructuredTool]:
    """Research tools for which every page fails: one raises, the others answer 404."""

    async def research_profile(url: str, person_name: str) -> dict[str, Any]:
        raise ConnectionError(f"{url} refused the connection")

    async def not_found(url: str, company_name: str) -> dict[str, Any]:
        error = {"tool": "research_company", "url": url, "message": "the server answered HTTP 404"}
        return {"facts": [], "errors": [error]}

    return [
        StructuredTool.from_function(coroutine=research_profile, name="research_profile", description="x"),
        StructuredTool.from_function(coroutine=not_found, name="research_company", description="x"),
        StructuredTool.from_function(coroutine=not_found, name="research_company_news", description="x"),
    ]  # fmt: skip


def outbox(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def run_offline(lead: Lead, campaign: Campaign, tmp_path: Path, **kw: Any) -> dict[str, Any]:
    ctx = context(OfflineChatModel(), tmp_path, auto_send=True, **kw)
    return await build_graph().ainvoke({"lead": lead, "campaign": campaign}, context=ctx)


def assert_unpersonalized_and_kept(out: dict[str, Any], lead: Lead, tmp_path: Path) -> None:
    decision = out["decision"]
    assert decision.action is Action.QUEUE, decision.reason
    assert decision.reason.startswith(REASON), decision.reason
    variants = out["variants"]
    assert [v.tone for v in variants] == [Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT]
    for draft in variants:
        assert lead.first_name in draft.body and lead.company in draft.body, draft.body
        assert not RESEARCH_CLAIMS.search(f"{draft.subject or ''}\n{draft.body}"), draft.body
        assert draft.hooks == []
    analysis = out["analysis"]
    assert analysis.unpersonalized
    assert analysis.hooks == [] and analysis.trigger_events == [] and analysis.pain_points == []
    assert all(c.passed for c in out["critiques"]), [c.issues for c in out["critiques"]]
    assert out["attempts"] == 1, "a draft with nothing to cite is not rewritten for a hook"
    assert decision.selected_tone in {t.value for t in Tone}
    assert out.get("delivery") is None and outbox(tmp_path) == []


async def test_a_lead_without_urls_gets_three_unpersonalized_drafts_never_sent(
    alex: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    out = await run_offline(alex, campaign, tmp_path)
    assert_unpersonalized_and_kept(out, alex, tmp_path)
    assert "no profile_url or company_url to research" in out["decision"].reason


async def test_a_lead_whose_urls_all_fail_gets_three_unpersonalized_drafts(
    alex: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    broken = alex.model_copy(
        update={
            "profile_url": "http://brokenlink-labs.example/team/alex-moreno",
            "company_url": "http://brokenlink-labs.example/",
        }
    )
    out = await run_offline(broken, campaign, tmp_path, research_tools=failing_research())
    assert_unpersonalized_and_kept(out, broken, tmp_path)
    assert "HTTP 404" in out["decision"].reason or "refused" in out["decision"].reason


async def test_a_poor_title_without_research_is_still_drafted_for_a_person(
    alex: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    # Title outside the audience and nothing researched: the fit is unknown, not poor.
    office = alex.model_copy(update={"title": "Office Manager"})
    out = await run_offline(office, campaign, tmp_path)
    assert out["analysis"].relevance_score < 0.3
    assert_unpersonalized_and_kept(out, office, tmp_path)


async def test_a_lead_without_title_or_urls_is_drafted_from_name_and_company(
    alex: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    bare = alex.model_copy(update={"title": None})
    out = await run_offline(bare, campaign, tmp_path)
    assert_unpersonalized_and_kept(out, bare, tmp_path)


@pytest.mark.parametrize("channel", [Channel.LINKEDIN, Channel.SMS])
async def test_short_channels_get_unpersonalized_drafts_that_fit(
    alex: Lead, campaign: Campaign, tmp_path: Path, channel: Channel
) -> None:
    out = await run_offline(alex, campaign.model_copy(update={"channel": channel}), tmp_path)
    assert_unpersonalized_and_kept(out, alex, tmp_path)
    assert len({v.body for v in out["variants"]}) == 3, "three tones, three different drafts"


# The model path: what an OpenAI-compatible model is asked for, and what is kept of its reply.

PLAIN_EMAIL = (
    "{greeting}\n\nI am writing to you as Head of Engineering at Brokenlink Labs.\n\n"
    "Brightpath shows engineering teams which builds and tests slow their CI pipelines down, and "
    "flags flaky tests before they block merges. Teams using it usually cut pipeline time by a "
    "third within a month.\n\nWorth a 15-minute call next week to see it on your pipeline?\n\n"
    "Best regards,\nAlex Rivera"
)


def plain_drafts(invented_hook: bool = False) -> dict[str, Any]:
    greetings = {"professional": "Hi Alex,", "friendly": "Hi Alex,", "direct": "Alex,"}
    hooks = [{"text": "their KubeCon keynote", "fact_ids": ["f_invented"]}] if invented_hook else []
    return drafts_reply(
        *(
            {
                "tone": tone,
                "subject": "A question for Brokenlink Labs",
                "body": PLAIN_EMAIL.format(greeting=greeting),
                "hooks": hooks,
            }
            for tone, greeting in greetings.items()
        )
    )


async def test_the_model_is_asked_for_fit_only_and_its_hooks_cannot_survive(
    alex: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    lead_file_fact = make_fact(
        kind=FactKind.PROFILE,
        text="Alex Moreno is Head of Engineering at Brokenlink Labs.",
        source_url="lead-file",
        tool="lead_file",
        retrieved_at=NOW,
    )
    # A model that claims hooks and triggers anyway (citing the lead file's own line).
    eager = Analysis(
        hooks=[Hook(text="your role as Head of Engineering", fact_ids=[lead_file_fact.id])],
        relevance_score=0.95,
        relevance_reasons=["title fits"],
    ).model_dump(mode="json")
    eager["trigger_events"] = [
        {"type": "funding", "description": "raised", "fact_ids": ["f_x"], "relevance": 0.9}
    ]
    model = ScriptedChatModel().enqueue(eager, plain_drafts(invented_hook=True))
    ctx = context(model, tmp_path, structured_mode="json_schema", auto_send=True)
    out = await build_graph().ainvoke({"lead": alex, "campaign": campaign}, context=ctx)

    analyze_schema = model.call_kwargs[0]["response_format"]["json_schema"]
    assert analyze_schema["name"] == "LeadFit"
    assert not {"hooks", "trigger_events", "pain_points"} & set(
        analyze_schema["schema"]["properties"]
    )
    generate_schema = model.call_kwargs[1]["response_format"]["json_schema"]["schema"]
    draft_schemas = generate_schema["$defs"].values()
    assert all("hooks" not in d.get("properties", {}) for d in draft_schemas), generate_schema
    writer_payload = str(model.calls[1][1].content)
    assert '"unpersonalized": true' in writer_payload and '"facts": []' in writer_payload

    assert out["analysis"].unpersonalized and out["analysis"].hooks == []
    assert out["analysis"].trigger_events == [] and out["analysis"].relevance_score == 0.95
    assert all(v.hooks == [] for v in out["variants"])
    assert out["decision"].action is Action.QUEUE, "never auto-sent, however good it scores"
    assert out["decision"].reason.startswith(REASON)
    assert out["decision"].quality is not None and out["decision"].quality >= 0.8
    assert outbox(tmp_path) == []
    assert len(model.calls) == 2


def test_an_unpersonalized_analysis_cannot_hold_hooks_or_triggers() -> None:
    hook = Hook(text="your post", fact_ids=["f_1"])
    with pytest.raises(ValidationError, match="cites no fact"):
        Analysis(relevance_score=0.5, hooks=[hook], unpersonalized=True)
    fit = LeadFit(relevance_score=0.4, relevance_reasons=["title fits"])
    assert Analysis.from_row(fit).unpersonalized
    assert "unpersonalized" not in Analysis.model_json_schema()["properties"]
    assert set(LeadFit.model_json_schema()["properties"]).isdisjoint(
        {"hooks", "trigger_events", "pain_points", "unpersonalized"}
    )


# The critic: no hook is asked of an unpersonalized draft; every invented claim still fails.


def judge(body: str, lead: Lead, campaign: Campaign, *, unpersonalized: bool = True) -> Any:
    draft = Variant(tone=Tone.PROFESSIONAL, subject="A question for Brokenlink Labs", body=body)
    return critique(
        draft, lead=lead, campaign=campaign, facts=[], settings=CriticSettings(),
        thresholds=Thresholds(), unpersonalized=unpersonalized,
    )  # fmt: skip


def test_the_critic_passes_an_unpersonalized_draft_on_personalization(
    alex: Lead, campaign: Campaign
) -> None:
    verdict = judge(PLAIN_EMAIL.format(greeting="Hi Alex,"), alex, campaign)
    assert verdict.passed, verdict.issues
    personalization = next(c for c in verdict.checks if c.name == "personalization")
    assert personalization.passed and "unpersonalized" in personalization.detail
    strict = judge(PLAIN_EMAIL.format(greeting="Hi Alex,"), alex, campaign, unpersonalized=False)
    assert not strict.passed and any(i.startswith("personalization") for i in strict.issues)


@pytest.mark.parametrize(
    ("claim", "named"),
    [
        ("Congrats on the $20M Series A.", "Series A"),
        ("I noticed Brokenlink Labs is hiring fast.", "noticed"),
        ("I read your recent post on flaky tests.", "read"),
        ("Saw that the team just launched a new product.", "launched"),
    ],
)
def test_the_critic_fails_an_unpersonalized_draft_that_invents_a_claim(
    alex: Lead, campaign: Campaign, claim: str, named: str
) -> None:
    body = PLAIN_EMAIL.format(greeting="Hi Alex,").replace(
        "I am writing to you as Head of Engineering at Brokenlink Labs.", claim
    )
    verdict = judge(body, alex, campaign)
    grounding = next(c for c in verdict.checks if c.name == "grounding")
    assert not grounding.passed and grounding.hard, grounding.detail
    assert named in grounding.detail
    assert not verdict.passed


def test_campaign_words_are_not_claims_about_the_lead(alex: Lead, campaign: Campaign) -> None:
    hiring = campaign.model_copy(
        update={
            "value_proposition": campaign.value_proposition + " Built for teams that are hiring."
        }
    )
    body = PLAIN_EMAIL.format(greeting="Hi Alex,").replace(
        "within a month.", "within a month. Built for teams that are hiring."
    )
    assert judge(body, alex, hiring).passed


# The reviewer: an edit is judged as an unpersonalized draft too; approving sends it.


async def test_a_reviewer_edit_that_invents_a_claim_is_refused_and_approval_sends(
    alex: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    graph = build_graph(InMemorySaver())
    config: Any = {"configurable": {"thread_id": "alex"}}
    ctx = context(OfflineChatModel(), tmp_path, auto_send=True)
    out = await graph.ainvoke({"lead": alex, "campaign": campaign}, config, context=ctx)
    assert out["decision"].action is Action.QUEUE and outbox(tmp_path) == []
    professional = out["variants"][0]
    invented = professional.body.replace(
        "I am writing to you as", "I noticed Brokenlink Labs is hiring. I am writing to you as"
    )
    edit = {"action": "edit", "tone": "professional", "body": invented, "reviewer": "sam"}
    out = await graph.ainvoke(Command(resume=edit), config, context=ctx)
    assert "edit not sent" in out["review_feedback"] and "noticed" in out["review_feedback"]
    assert outbox(tmp_path) == []
    approve = {"action": "approve", "tone": "friendly", "reviewer": "sam"}
    out = await graph.ainvoke(Command(resume=approve), config, context=ctx)
    assert out["decision"].action is Action.SEND and out["decision"].approved_by == "sam"
    (sent,) = outbox(tmp_path)
    assert sent["body"].startswith("Hi Alex") and "Brokenlink Labs" in sent["body"]
