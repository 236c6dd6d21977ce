"""Assemble a ready-to-run lead pipeline (graph + context) from settings."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.delivery.recorded_outbox import RecordedOutbox
from agent.pricing import PriceTable
from agent.providers import Models, ProviderConfigError, build_models
from agent.settings import Settings
from agent.shared_limits import check_shared_limits, shared_rate_limiter
from graphs.context import CriticSettings, Outbox, PipelineContext, Thresholds
from graphs.lead_pipeline import LeadGraph, build_graph
from prompts.loader import PromptSet
from storage.deliveries import DeliveryLedger
from tools.browser_render import BrowserPool
from tools.delivery.dry_run_outbox import DryRunOutbox
from tools.enrichment_api import build_enrichment_tool
from tools.facts import utc_now
from tools.page_cache import PageCache
from tools.page_fetch import FetchLimits, PageFetcher
from tools.people_data_labs import PDL_BASE_URL, PeopleDataLabsProvider
from tools.research_tools import build_research_tools, with_result_cache
from tools.url_safety import request_guard


@dataclass(frozen=True)
class Pipeline:
    """A compiled graph with the context to run it and a note of what runs."""

    graph: LeadGraph
    context: PipelineContext
    models: Models
    outbox_path: Path | None

    def for_run(self, run_id: str) -> Pipeline:
        """Return the same pipeline working under another run id (to finish that run)."""
        return replace(self, context=replace(self.context, run_id=run_id))


def fetch_limits(settings: Settings) -> FetchLimits:
    """Return the fetch rules the settings ask for."""
    return FetchLimits(
        timeout_s=settings.fetch_timeout_s,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
        per_host_concurrency=settings.per_host_concurrency,
        per_host_delay_s=settings.per_host_delay_s,
        respect_robots=settings.respect_robots,
        allow_private_networks=settings.allow_private_networks,
        allowed_networks=settings.allowed_networks,
    )


def build_enrichment_provider(
    settings: Settings, *, clock: Callable[[], datetime]
) -> PeopleDataLabsProvider | None:
    """Return the configured paid enrichment provider, or None."""
    if settings.enrichment_provider == "none":
        return None
    if settings.enrichment_api_key is None:
        raise ProviderConfigError(
            "OUTREACH_ENRICHMENT_PROVIDER=peopledatalabs needs OUTREACH_ENRICHMENT_API_KEY"
        )
    return PeopleDataLabsProvider(
        api_key=settings.enrichment_api_key.get_secret_value(),
        base_url=settings.enrichment_base_url or PDL_BASE_URL,
        clock=clock,
    )


@asynccontextmanager
async def open_pipeline(
    settings: Settings,
    *,
    prompt_pins: dict[str, str] | None = None,
    resolve: dict[str, str] | None = None,
    outbox: Outbox | None = None,
    outbox_path: Path | None = None,
    run_id: str | None = None,
    clock: Callable[[], datetime] | None = None,
    refresh: bool = False,
    checkpointer: BaseCheckpointSaver[str] | None = None,
    ledger: DeliveryLedger | None = None,
    research_tools: Sequence[BaseTool] | None = None,
) -> AsyncIterator[Pipeline]:
    """Yield a pipeline; network clients are closed on exit.

    With a checkpointer every lead runs as a durable thread (and queued leads pause for
    review); with a ledger every send is recorded before the provider is called.
    """
    await check_shared_limits(settings)
    run_id = run_id or uuid.uuid4().hex[:12]
    resolve = resolve or settings.resolve
    prompts = PromptSet.load(prompt_pins)
    models = build_models(settings)
    cache = (
        PageCache(settings.data_dir / "cache" / "pages.sqlite", settings.cache_ttl_s)
        if settings.cache_ttl_s > 0
        else None
    )
    limits = fetch_limits(settings)
    # Scripts on a rendered page make their own requests: they pass the same SSRF check.
    guard = request_guard(
        overrides=resolve or {},
        allow_private=limits.allow_private_networks,
        allowed_networks=limits.allowed_networks,
    )
    renderer = (
        BrowserPool(host_resolver_rules=resolve or None, request_guard=guard)
        if settings.render_js
        else None
    )
    shared_limits = shared_rate_limiter(settings)
    fetcher = PageFetcher(
        limits=limits,
        resolve=resolve or {},
        cache=cache,
        refresh=refresh,
        renderer=renderer,
        shared_limits=shared_limits,
    )
    tools = (
        list(research_tools)
        if research_tools is not None
        else build_research_tools(
            fetcher, clock=clock or utc_now, search_feeds=settings.news_search_feeds
        )
    )
    enrichment = (
        build_enrichment_provider(settings, clock=clock or utc_now)
        if research_tools is None
        else None
    )
    if enrichment is not None:
        tools.append(
            with_result_cache(build_enrichment_tool(enrichment), fetcher, clock or utc_now)
        )
    path = outbox_path or settings.data_dir / "outbox.jsonl"
    chosen: Outbox = outbox or DryRunOutbox(path)
    if ledger is not None:
        chosen = RecordedOutbox(chosen, ledger)
    context = PipelineContext(
        analyst=models.analyst,
        writer=models.writer,
        fallback=models.fallback,
        claim_judge=models.claim_judge,
        writer_languages=models.writer_languages,
        fallback_languages=models.fallback_languages,
        prompts=prompts,
        research_tools=tools,
        outbox=chosen,
        structured_mode=models.structured_mode,
        thresholds=Thresholds(
            min_quality_to_send=settings.min_quality_to_send,
            min_relevance_to_send=settings.min_relevance_to_send,
            relevance_floor=settings.relevance_floor,
        ),
        critic=CriticSettings(
            email_min_words=settings.email_min_words, email_max_words=settings.email_max_words
        ),
        max_attempts=settings.max_attempts,
        auto_send=settings.auto_send,
        cost_of=PriceTable(settings.llm_prices).cost_of,
        run_id=run_id,
        clock=clock or utc_now,
        research_freshness_days=settings.research_freshness_days,
    )
    try:
        yield Pipeline(
            graph=build_graph(checkpointer),
            context=context,
            models=models,
            outbox_path=None if outbox else path,
        )
    finally:
        await fetcher.aclose()
        if renderer is not None:
            await renderer.aclose()  # the browser starts only if a page needed it
        if cache is not None:
            cache.close()
        if enrichment is not None:
            await enrichment.aclose()
        await models.aclose()
        if shared_limits is not None:
            await shared_limits.aclose()
