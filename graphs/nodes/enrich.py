"""enrich: run the research tools for a lead and collect facts with their sources."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from graphs.context import PipelineContext
from graphs.outcome import PipelineError
from graphs.state import PipelineState
from tools.facts import FactKind, ResearchResult, make_fact


def _lead_file_facts(state: PipelineState, runtime: Runtime[PipelineContext]) -> ResearchResult:
    """Turn what the lead file itself says into citable facts."""
    lead = state["lead"]
    if not lead.title:
        return ResearchResult()
    fact = make_fact(
        kind=FactKind.PROFILE,
        text=f"{lead.name} is {lead.title} at {lead.company}.",
        source_url=lead.source or "lead-file",
        tool="lead_file",
        retrieved_at=runtime.context.clock(),
    )
    return ResearchResult(facts=[fact])


async def enrich(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Research the lead's profile and company pages; failures become readable errors."""
    lead = state["lead"]
    tools = {tool.name: tool for tool in runtime.context.research_tools}
    calls = []
    if lead.profile_url and "research_profile" in tools:
        calls.append(
            tools["research_profile"].ainvoke({"url": lead.profile_url, "person_name": lead.name})
        )
    if lead.company_url and "research_company" in tools:
        calls.append(
            tools["research_company"].ainvoke(
                {"url": lead.company_url, "company_name": lead.company}
            )
        )
    results = [_lead_file_facts(state, runtime)]
    errors: list[PipelineError] = []
    if not calls:
        errors.append(
            PipelineError(stage="enrich", message="no profile_url or company_url to research")
        )
    for outcome in await asyncio.gather(*calls, return_exceptions=True):
        if isinstance(outcome, BaseException):
            errors.append(PipelineError(stage="enrich", message=f"research failed: {outcome}"))
        else:
            results.append(ResearchResult.model_validate(outcome))
    facts = [fact for result in results for fact in result.facts]
    errors += [
        PipelineError(stage="enrich", message=f"{error.url}: {error.message}")
        for result in results
        for error in result.errors
    ]
    return {"facts": facts, "errors": errors}
