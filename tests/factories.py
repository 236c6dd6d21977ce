"""Small builders for facts, drafts and pipeline contexts used across tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool

from graphs.analysis import Analysis, Hook
from graphs.context import ChatModel, PipelineContext
from graphs.drafts import Tone, Variant
from graphs.sequence_turn import EarlierMessage, StepChannel, StepKind
from prompts.loader import PromptSet
from tests.conftest import NOW
from tools.delivery.dry_run_outbox import DryRunOutbox
from tools.facts import Fact, FactKind, make_fact


def fact(
    text: str,
    *,
    kind: FactKind = FactKind.NEWS,
    title: str | None = None,
    published: date | None = None,
    url: str = "http://northwind-robotics.example/news",
) -> Fact:
    """Build a fact with a stable id."""
    return make_fact(
        kind=kind,
        text=text,
        source_url=url,
        tool="test",
        retrieved_at=NOW,
        published=published,
        title=title,
    )


POST = fact(
    "Maya Okafor wrote “What we learned moving 40 services into one monorepo” on 2026-11-05.",
    kind=FactKind.POST,
    title="What we learned moving 40 services into one monorepo",
    published=date(2026, 11, 5),
)
"""Maya's recent post, as research would record it."""
FUNDING = fact(
    "Northwind Robotics published “Northwind Robotics raises $40M Series B” on 2026-10-28.",
    title="Northwind Robotics raises $40M Series B",
    published=date(2026, 10, 28),
)
"""Northwind's funding news, as research would record it."""


def variant(
    body: str,
    *,
    subject: str | None = "Northwind Robotics and CI",
    hooks: list[Hook] | None = None,
    tone: Tone = Tone.PROFESSIONAL,
) -> Variant:
    """Build a draft."""
    return Variant(tone=tone, subject=subject, body=body, hooks=hooks or [])


def context(
    model: ChatModel,
    tmp_path: Path,
    *,
    tools: list[BaseTool] | None = None,
    fallback: ChatModel | None = None,
    **overrides: Any,
) -> PipelineContext:
    """Build a pipeline context around a (fake) model with a dry-run outbox in tmp_path."""
    settings: dict[str, Any] = {
        "analyst": model,
        "writer": model,
        "fallback": fallback,
        "prompts": PromptSet.load(),
        "research_tools": tools or [],
        "outbox": DryRunOutbox(tmp_path / "outbox.jsonl"),
        "structured_mode": "none",
        "auto_send": True,
        "clock": lambda: NOW,
        "run_id": "test-run",
    }
    settings.update(overrides)
    return PipelineContext(**settings)


def analysis_reply(facts: list[Fact], relevance: float = 0.9) -> dict[str, Any]:
    """An analyst reply that cites the given facts."""
    return Analysis(
        hooks=[Hook(text=f.title or f.text, fact_ids=[f.id]) for f in facts],
        relevance_score=relevance,
        relevance_reasons=["scripted"],
    ).model_dump(mode="json")


def drafts_reply(*drafts: dict[str, Any]) -> dict[str, Any]:
    """A writer's reply as a model gives it: each draft ({"tone": ..., ...}) under its tone."""
    return {d["tone"]: {k: v for k, v in d.items() if k != "tone"} for d in drafts}


def drafts_in(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """The drafts of a writer's reply, to edit in place (none in another step's reply)."""
    return [reply[tone] for tone in Tone if isinstance(reply.get(tone), dict)]


MAYA_FIRST_TOUCH = EarlierMessage(  # the email a follow-up to Maya answers
    step=1,
    kind=StepKind.FIRST_TOUCH,
    channel=StepChannel.EMAIL,
    subject="Northwind Robotics and CI",
    body=(
        "Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo”. "
        "Congrats on the $40M Series B too.\n\nBrightpath shows engineering teams which builds "
        "and tests slow their CI pipelines down, and flags flaky tests before they block merges."
        "\n\nWorth a 15-minute call next week to see it on your pipeline?\n\nBest,\nAlex Rivera"
    ),
    hooks=["your post “What we learned moving 40 services into one monorepo”", "the $40M Series B"],
    fact_ids=[POST.id, FUNDING.id],
)
