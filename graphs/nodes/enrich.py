"""enrich: run the research tools for a lead and collect facts with their sources."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from langgraph.runtime import Runtime

from graphs.context import PipelineContext
from graphs.outcome import PipelineError
from graphs.research import LEAD_FILE_TOOL
from graphs.state import PipelineState
from tools.facts import INJECTION_NOTE, Fact, FactKind, ResearchResult, make_fact


def _lead_file_facts(state: PipelineState, runtime: Runtime[PipelineContext]) -> ResearchResult:
    """Turn what the lead file itself says into citable facts."""
    lead = state["lead"]
    if not lead.title:
        return ResearchResult()
    fact = make_fact(
        kind=FactKind.PROFILE,
        text=f"{lead.name} is {lead.title} at {lead.company}.",
        source_url=lead.source or "lead-file",
        tool=LEAD_FILE_TOOL,
        retrieved_at=runtime.context.clock(),
    )
    return ResearchResult(facts=[fact])


def _without_repeated_news(facts: list[Fact]) -> list[Fact]:
    """Keep one fact per news headline (a feed and a blog page often carry the same item)."""
    seen: set[str] = set()
    kept: list[Fact] = []
    for fact in facts:
        if fact.kind is FactKind.NEWS and fact.title:
            key = fact.title.casefold()
            if key in seen:
                continue
            seen.add(key)
        kept.append(fact)
    return kept


def _source_error(url: str, message: str) -> str:
    """Word a research error so the page it came from can be read back (injection_sources)."""
    return f"{url}: {message}"


def injection_sources(errors: Iterable[str]) -> list[str]:
    """Return the pages whose text tried to instruct the writer, from enrich's error messages."""
    return [message.split(": ", 1)[0] for message in errors if INJECTION_NOTE in message]


def _planned_calls(state: PipelineState) -> list[tuple[str, dict[str, Any]]]:
    """Return which research tools to call for this lead, with their arguments."""
    lead = state["lead"]
    calls: list[tuple[str, dict[str, Any]]] = []
    if lead.profile_url:
        calls.append(("research_profile", {"url": lead.profile_url, "person_name": lead.name}))
    if lead.company_url:
        company = {"url": lead.company_url, "company_name": lead.company}
        # News first: when a feed and the blog page carry the same item, the feed's
        # version (with its trigger type and age) is the one kept.
        calls.append(("research_company_news", company))
        calls.append(("research_company", company))
    # A paid API, when configured, answers from what the lead file already knows.
    calls.append(
        (
            "enrich_person_via_api",
            {
                "email": lead.email,
                "linkedin_url": lead.linkedin_url,
                "name": lead.name,
                "company": lead.company,
            },
        )
    )
    return calls


async def enrich(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Research the lead's profile, company site and news; failures become readable errors."""
    tools = {tool.name: tool for tool in runtime.context.research_tools}
    planned = [(name, args) for name, args in _planned_calls(state) if name in tools]
    results = [_lead_file_facts(state, runtime)]
    errors: list[PipelineError] = []
    if not state["lead"].profile_url and not state["lead"].company_url:
        errors.append(
            PipelineError(stage="enrich", message="no profile_url or company_url to research")
        )
    outcomes = await asyncio.gather(
        *(tools[name].ainvoke(args) for name, args in planned), return_exceptions=True
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            errors.append(PipelineError(stage="enrich", message=f"research failed: {outcome}"))
        else:
            # Backstop: tools/research_tools.py already drops text that tries to instruct the
            # writer, but filter again whatever wrapped the tool, so such text never becomes a
            # fact and the lead is always flagged for a human.
            results.append(ResearchResult.model_validate(outcome).without_injections())
    facts = _without_repeated_news([fact for result in results for fact in result.facts])
    errors += [
        PipelineError(stage="enrich", message=_source_error(error.url, error.message))
        for result in results
        for error in result.errors
    ]
    return {"facts": facts, "errors": errors}
