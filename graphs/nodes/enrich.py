"""enrich: run the research tools for a lead and collect facts with their sources.

A sequence's later step passes the facts an earlier step found (known_facts): they are used
instead of researching again, unless the step is a new angle and the newest of them is older
than the context's research_freshness_days, in which case research runs as for a first touch
and the known facts are kept alongside what it finds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from langgraph.runtime import Runtime

from graphs.campaign_records import after_research
from graphs.context import PipelineContext
from graphs.lead import Lead
from graphs.lead_language import infer_language, writable_language
from graphs.lead_screening import LEAD_STAGE, LeadScreen, screen_lead
from graphs.outcome import PipelineError
from graphs.research import LEAD_FILE_TOOL
from graphs.sequence_turn import StepKind
from graphs.state import PipelineState, merge_facts
from tools.facts import INJECTION_NOTE, Fact, FactKind, ResearchResult, make_fact

REPLY_TOOL = "reply"
"""Facts learnt from a reply (a referral): a lead known only through them is researched."""


def _lead_file_facts(screen: LeadScreen, runtime: Runtime[PipelineContext]) -> ResearchResult:
    """Turn what the lead file itself says into citable facts (never a withheld field)."""
    lead = screen.lead
    if not lead.title or screen.name_withheld or screen.company_withheld:
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


def _domain(url_or_email: str | None) -> str | None:
    """The host of a web address or the domain of an email address, without www."""
    if not url_or_email:
        return None
    if "@" in url_or_email and "://" not in url_or_email:
        return url_or_email.rsplit("@", 1)[1].lower() or None
    return (urlsplit(url_or_email).hostname or "").removeprefix("www.") or None


def research_names(screen: LeadScreen, lead: Lead) -> tuple[str, str]:
    """Return the person and company names research labels its facts with.

    A withheld field is never passed on: research writes these names into fact text, and news
    searches query them. A withheld company is searched and labelled by its website's domain
    (or its email's), a withheld name as "This person".
    """
    person = "This person" if screen.name_withheld else lead.name
    company = lead.company
    if screen.company_withheld:
        company = _domain(lead.company_url) or _domain(lead.email) or "the company"
    return person, company


def _planned_calls(state: PipelineState, screen: LeadScreen) -> list[tuple[str, dict[str, Any]]]:
    """Return which research tools to call for this lead, with their arguments."""
    lead = state["lead"]
    person, company_name = research_names(screen, lead)
    calls: list[tuple[str, dict[str, Any]]] = []
    if lead.profile_url:
        calls.append(("research_profile", {"url": lead.profile_url, "person_name": person}))
    if lead.company_url:
        company = {"url": lead.company_url, "company_name": company_name}
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
                "name": person,
                "company": company_name,
            },
        )
    )
    return calls


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def research_again(state: PipelineState, context: PipelineContext) -> bool:
    """Whether to research although an earlier step's facts are known.

    Only a new angle needs something new to say: it researches again when the newest known
    fact was retrieved more than research_freshness_days ago. Every other step reuses them.
    """
    known = state.get("known_facts") or []
    if all(fact.tool == REPLY_TOOL for fact in known):
        return True  # nothing, or only what a reply told us (a referral): research first
    turn = state.get("turn")
    if turn is None or turn.kind is not StepKind.NEW_ANGLE:
        return False
    newest = max(_aware(fact.retrieved_at) for fact in known)
    return newest < _aware(context.clock()) - timedelta(days=context.research_freshness_days)


def _with_language(
    state: PipelineState, facts: list[Fact], context: PipelineContext
) -> dict[str, Any]:
    """The facts, with the language to write in and why (from the campaign, the lead's row,
    or the pages the facts came from, as far as the run's writer can write it)."""
    campaign = state["campaign"]
    wanted = infer_language(state["lead"], facts, campaign)
    language, reason = writable_language(wanted, campaign, context.writer_languages)
    return {"facts": facts, "language": language, "language_reason": reason}


async def _reuse_known(
    state: PipelineState, screen: LeadScreen, runtime: Runtime[PipelineContext]
) -> dict[str, Any]:
    """Use the facts an earlier step found, re-screened for text that instructs the writer."""
    known = ResearchResult(facts=state.get("known_facts") or []).without_injections()
    facts = merge_facts(known.facts, _lead_file_facts(screen, runtime).facts)
    errors = [PipelineError(stage=LEAD_STAGE, message=f.message) for f in screen.findings]
    errors += [
        PipelineError(stage="enrich", message=_source_error(error.url, error.message))
        for error in known.errors
    ]
    facts = _without_repeated_news(facts)
    return {
        **_with_language(state, facts, runtime.context),
        "errors": errors,
        **await after_research(state, facts, runtime.context),
    }


async def enrich(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Research the lead's profile, company site and news; failures become readable errors."""
    tools = {tool.name: tool for tool in runtime.context.research_tools}
    # Lead fields are as untrusted as researched pages: a field that reads as instructions or
    # carries a link or markup is withheld from the writers, and named here for the reviewer.
    screen = screen_lead(state["lead"])
    if not research_again(state, runtime.context):
        return await _reuse_known(state, screen, runtime)
    planned = [(name, args) for name, args in _planned_calls(state, screen) if name in tools]
    results = [_lead_file_facts(screen, runtime)]
    errors = [PipelineError(stage=LEAD_STAGE, message=f.message) for f in screen.findings]
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
    found = [fact for result in results for fact in result.facts]
    # A new angle researching again keeps what earlier steps found; a fact found anew keeps
    # its new retrieval time.
    known = ResearchResult(facts=state.get("known_facts") or []).without_injections()
    facts = _without_repeated_news(merge_facts(found, known.facts))
    results.append(ResearchResult(errors=known.errors))
    errors += [
        PipelineError(stage="enrich", message=_source_error(error.url, error.message))
        for result in results
        for error in result.errors
    ]
    return {
        **_with_language(state, facts, runtime.context),
        "errors": errors,
        **await after_research(state, facts, runtime.context),
    }
