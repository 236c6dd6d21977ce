"""A sequence's follow-up through the graph: the facts it reuses, the prompt of its step kind,
the thread in the writer's input, and the subject that answers the thread."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage
from langchain_core.tools import BaseTool, StructuredTool

from agent.offline.chat_model import OfflineChatModel
from graphs.lead import Campaign, Channel, Lead
from graphs.lead_pipeline import build_graph
from graphs.sequence_turn import SequenceTurn, StepChannel, StepKind
from tests.conftest import NOW
from tests.factories import (
    FUNDING,
    MAYA_FIRST_TOUCH,
    POST,
    analysis_reply,
    context,
    drafts_reply,
    fact,
)
from tests.fakes.scripted_model import ScriptedChatModel
from tests.graphs.test_lead_pipeline import ALL_GOOD
from tools.facts import Fact, FactKind
from tools.page_fetch import FetchLimits, PageFetcher
from tools.research_tools import build_research_tools

HIRING = fact(
    "Northwind Robotics lists 14 open roles (9 Engineering, 3 Platform, 2 Sales).",
    kind=FactKind.HIRING,
    url="http://northwind-robotics.example/careers",
)
FIRST_TOUCH = MAYA_FIRST_TOUCH
NEW_ANGLE_EMAIL = (
    "Hi Maya,\n\nI noticed Northwind Robotics lists 14 open roles, 9 of them in Engineering.\n\n"
    "Would a short call on this be useful?\n\nBest regards,\nAlex Rivera"
)


def new_angle_drafts(subject: str | None = "Hiring at Northwind") -> dict[str, Any]:
    hook = {"text": "14 open roles at Northwind Robotics", "fact_ids": [HIRING.id]}
    return drafts_reply(
        *(
            {"tone": tone, "subject": subject, "body": NEW_ANGLE_EMAIL, "hooks": [hook]}
            for tone in ("professional", "friendly", "direct")
        )
    )


def task_input(message: BaseMessage) -> dict[str, Any]:
    """Read the <task_input> JSON a prompt hands the model."""
    match = re.search(r"<task_input>\s*(.*?)\s*</task_input>", str(message.content), re.DOTALL)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


async def run(
    model: ScriptedChatModel | OfflineChatModel,
    lead: Lead,
    campaign: Campaign,
    tmp_path: Path,
    tools: list[BaseTool] | None = None,
    **inputs: Any,
) -> dict[str, Any]:
    ctx = context(model, tmp_path, tools=tools or [])
    return await build_graph().ainvoke({"lead": lead, "campaign": campaign, **inputs}, context=ctx)


async def test_a_new_angle_gets_its_prompt_the_thread_and_only_unused_hooks(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    model = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING, HIRING]), new_angle_drafts())
    turn = SequenceTurn(
        step=2, kind=StepKind.NEW_ANGLE, channel=StepChannel.EMAIL, earlier=[FIRST_TOUCH]
    )
    out = await run(model, maya, campaign, tmp_path, turn=turn, known_facts=[POST, FUNDING, HIRING])
    system, user = model.calls[1]
    assert "This step is a new angle." in str(system.content)
    assert "built on exactly ONE fact that no earlier message used" in str(system.content)
    payload = task_input(user)
    assert payload["sequence"]["kind"] == "new_angle" and payload["sequence"]["step"] == 2
    assert payload["sequence"]["earlier"][0]["body"] == FIRST_TOUCH.body
    assert HIRING.id in payload["sequence"]["unused_fact_ids"]
    assert POST.id not in payload["sequence"]["unused_fact_ids"]
    assert [h["fact_ids"] for h in payload["analysis"]["hooks"]] == [[HIRING.id]]
    # The model named its own subject; an email follow-up answers the thread instead.
    assert {v.subject for v in out["variants"]} == {"Re: Northwind Robotics and CI"}
    assert "follow_up_new_angle" in out["prompts"] and "generate" not in out["prompts"]
    assert out["decision"].action == "send", out["decision"].reason


async def test_an_email_follow_up_with_no_earlier_email_keeps_the_writers_subject(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    note = FIRST_TOUCH.model_copy(
        update={"channel": StepChannel.LINKEDIN_CONNECT, "subject": None, "step": 1}
    )
    model = ScriptedChatModel().enqueue(
        analysis_reply([POST, FUNDING, HIRING]), new_angle_drafts("Hiring at Northwind")
    )
    turn = SequenceTurn(step=2, kind=StepKind.NEW_ANGLE, channel=StepChannel.EMAIL, earlier=[note])
    out = await run(model, maya, campaign, tmp_path, turn=turn, known_facts=[POST, FUNDING, HIRING])
    assert {v.subject for v in out["variants"]} == {"Hiring at Northwind"}


async def test_an_sms_follow_up_has_no_subject(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    sms = campaign.model_copy(update={"channel": Channel.SMS})
    body = "Hi Maya, Alex from Brightpath again. Following up on my text. Worth a short call?"
    drafts = drafts_reply(
        *(
            {"tone": tone, "subject": "Re: Northwind", "body": body, "hooks": []}
            for tone in ("professional", "friendly", "direct")
        )
    )
    model = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING]), drafts)
    turn = SequenceTurn(
        step=2, kind=StepKind.SOFT_NUDGE, channel=StepChannel.SMS, earlier=[FIRST_TOUCH]
    )
    out = await run(model, maya, sms, tmp_path, turn=turn, known_facts=[POST, FUNDING])
    assert "This step is a soft nudge." in str(model.calls[1][0].content)
    assert [v.subject for v in out["variants"]] == [None, None, None]
    assert all(c.passed for c in out["critiques"]), [c.issues for c in out["critiques"]]


async def test_a_first_touch_turn_is_written_exactly_as_a_single_message(
    maya: Lead, campaign: Campaign, tmp_path: Path
) -> None:
    tool = StructuredTool.from_function(
        coroutine=_fixed_research, name="research_company", description="Fixed facts."
    )
    plain = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING]), ALL_GOOD)
    alone = await run(plain, maya, campaign, tmp_path / "a", tools=[tool])
    turned = ScriptedChatModel().enqueue(analysis_reply([POST, FUNDING]), ALL_GOOD)
    turn = SequenceTurn(step=1, kind=StepKind.FIRST_TOUCH, channel=StepChannel.EMAIL)
    first = await run(turned, maya, campaign, tmp_path / "b", tools=[tool], turn=turn)
    assert [m.content for m in turned.calls[1]] == [m.content for m in plain.calls[1]]
    assert "sequence" not in task_input(turned.calls[1][1])
    assert first["decision"] == alone["decision"]
    assert first["critiques"] == alone["critiques"]
    assert list(first["prompts"]) == list(alone["prompts"]) == ["analyze", "generate"]


async def _fixed_research(url: str, company_name: str) -> dict[str, Any]:
    return {"facts": [f.model_dump(mode="json") for f in (POST, FUNDING)], "errors": []}


def recording(tools: list[BaseTool], ran: list[str]) -> list[BaseTool]:
    """Wrap research tools so a test can see which of them ran."""

    def wrap(tool: BaseTool) -> BaseTool:
        async def call(**kwargs: Any) -> Any:
            ran.append(tool.name)
            return await tool.ainvoke(kwargs)

        return StructuredTool.from_function(
            coroutine=call,
            name=tool.name,
            description=tool.description,
            args_schema=tool.args_schema,
        )

    return [wrap(tool) for tool in tools]


EXTRA = fact(
    "Maya Okafor wrote “Flaky tests are a tax” on 2026-06-02.",
    kind=FactKind.POST,
    title="Flaky tests are a tax",
    url="http://northwind-robotics.example/blog/flaky-tax",
)
"""A fact an earlier step found that today's research would not find again."""


@pytest.fixture
async def web_tools(demo_resolve: dict[str, str]) -> Any:
    fetcher = PageFetcher(limits=FetchLimits(allow_private_networks=True), resolve=demo_resolve)
    yield build_research_tools(fetcher, clock=lambda: NOW)
    await fetcher.aclose()


async def researched_earlier(
    maya: Lead, campaign: Campaign, tmp_path: Path, tools: list[BaseTool], age: timedelta
) -> list[Fact]:
    """Return what a first touch's research found about Maya, as if `age` ago."""
    out = await run(OfflineChatModel(), maya, campaign, tmp_path / "first", tools=tools)
    facts: list[Fact] = [*out["facts"], EXTRA]
    return [f.model_copy(update={"retrieved_at": NOW - age}) for f in facts]


@pytest.mark.parametrize("kind", [StepKind.SOFT_NUDGE, StepKind.NEW_ANGLE, StepKind.BREAKUP])
async def test_fresh_known_facts_are_reused_without_research(
    maya: Lead, campaign: Campaign, tmp_path: Path, web_tools: list[BaseTool], kind: StepKind
) -> None:
    known = await researched_earlier(maya, campaign, tmp_path, web_tools, timedelta(days=3))
    ran: list[str] = []
    turn = SequenceTurn(step=2, kind=kind, channel=StepChannel.EMAIL, earlier=[FIRST_TOUCH])
    out = await run(
        OfflineChatModel(), maya, campaign, tmp_path, recording(web_tools, ran),
        turn=turn, known_facts=known,
    )  # fmt: skip
    assert ran == []
    assert {f.id for f in out["facts"]} == {f.id for f in known}
    assert {f.retrieved_at for f in out["facts"]} == {NOW - timedelta(days=3)}
    assert out["decision"].action != "reject", out["decision"].reason


async def test_a_new_angle_researches_again_when_the_known_facts_are_stale(
    maya: Lead, campaign: Campaign, tmp_path: Path, web_tools: list[BaseTool]
) -> None:
    known = await researched_earlier(maya, campaign, tmp_path, web_tools, timedelta(days=45))
    ran: list[str] = []
    turn = SequenceTurn(
        step=3, kind=StepKind.NEW_ANGLE, channel=StepChannel.EMAIL, earlier=[FIRST_TOUCH]
    )
    out = await run(
        OfflineChatModel(), maya, campaign, tmp_path, recording(web_tools, ran),
        turn=turn, known_facts=known,
    )  # fmt: skip
    assert sorted(ran) == ["research_company", "research_company_news", "research_profile"]
    by_id = {f.id: f for f in out["facts"]}
    # What research found again is dated today; what only the earlier step found is kept.
    assert by_id[monorepo_post_id(known)].retrieved_at == NOW
    assert by_id[EXTRA.id].retrieved_at == NOW - timedelta(days=45)
    assert set(by_id) >= {f.id for f in known}
    assert out["decision"].action != "reject", out["decision"].reason


async def test_a_soft_nudge_does_not_research_stale_facts_again(
    maya: Lead, campaign: Campaign, tmp_path: Path, web_tools: list[BaseTool]
) -> None:
    known = await researched_earlier(maya, campaign, tmp_path, web_tools, timedelta(days=45))
    ran: list[str] = []
    turn = SequenceTurn(
        step=2, kind=StepKind.SOFT_NUDGE, channel=StepChannel.EMAIL, earlier=[FIRST_TOUCH]
    )
    out = await run(
        OfflineChatModel(), maya, campaign, tmp_path, recording(web_tools, ran),
        turn=turn, known_facts=known,
    )  # fmt: skip
    assert ran == []
    assert {f.retrieved_at for f in out["facts"]} == {NOW - timedelta(days=45)}


def monorepo_post_id(facts: list[Fact]) -> str:
    """Return the id of Maya's monorepo post among researched facts."""
    return next(f.id for f in facts if f.kind is FactKind.POST and "monorepo" in f.text)
