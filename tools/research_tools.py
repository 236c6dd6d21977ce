"""LangChain tools for lead research, shared by the enrich node and the operator agent."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from tools.async_tools import async_tool
from tools.company_research import research_company_site
from tools.facts import ResearchResult, utc_now
from tools.news_research import research_company_news
from tools.page_fetch import PageFetcher
from tools.profile_research import research_profile_page

Clock = Callable[[], datetime]


class ProfileArgs(BaseModel):
    """Arguments of research_profile."""

    url: str = Field(description="Public profile page of the person (personal site, team page).")
    person_name: str = Field(description="The person's full name, used to label facts.")


class CompanyArgs(BaseModel):
    """Arguments of research_company."""

    url: str = Field(description="The company's website home page.")
    company_name: str = Field(description="The company's name, used to label facts.")


class NewsArgs(BaseModel):
    """Arguments of research_company_news."""

    url: str | None = Field(default=None, description="The company's website home page.")
    company_name: str = Field(description="The company's name, used for news searches.")


async def cached_research(
    fetcher: PageFetcher,
    clock: Clock,
    tool: str,
    args: dict[str, Any],
    run: Callable[[], Awaitable[ResearchResult]],
) -> dict[str, Any]:
    """Reuse a fresh result for the same tool and arguments (see PageCache), else run it."""
    cache = fetcher.cache
    # The day is part of the key: results carry ages in days, which change daily.
    key = f"{tool}|{clock().date().isoformat()}|{json.dumps(args, sort_keys=True)}"
    if cache is not None and not fetcher.refresh:
        hit = await cache.get_result(key)
        if hit is not None:
            cached_result: dict[str, Any] = json.loads(hit)
            return cached_result
    result = (await run()).without_injections().model_dump(mode="json")
    if cache is not None and not result["errors"]:  # failures are retried next time
        await cache.put_result(key, json.dumps(result))
    return result


def with_result_cache(tool: BaseTool, fetcher: PageFetcher, clock: Clock = utc_now) -> BaseTool:
    """Wrap a research tool so a re-run reuses its result: paid lookups are not paid twice."""

    async def run(**kwargs: Any) -> dict[str, Any]:
        async def call() -> ResearchResult:
            return ResearchResult.model_validate(await tool.ainvoke(kwargs))

        return await cached_research(fetcher, clock, tool.name, kwargs, call)

    return async_tool(
        run, name=tool.name, description=tool.description, args_schema=tool.args_schema
    )


def build_research_tools(
    fetcher: PageFetcher, clock: Clock = utc_now, *, search_feeds: tuple[str, ...] = ()
) -> list[BaseTool]:
    """Return the research tools bound to one fetcher and clock."""

    async def research_profile(url: str, person_name: str) -> dict[str, Any]:
        return await cached_research(
            fetcher,
            clock,
            "research_profile",
            {"url": url, "person_name": person_name},
            lambda: research_profile_page(fetcher, url, person_name, clock()),
        )

    async def research_company(url: str, company_name: str) -> dict[str, Any]:
        return await cached_research(
            fetcher,
            clock,
            "research_company",
            {"url": url, "company_name": company_name},
            lambda: research_company_site(fetcher, url, company_name, clock()),
        )

    async def research_news(url: str | None, company_name: str) -> dict[str, Any]:
        return await cached_research(
            fetcher,
            clock,
            "research_company_news",
            {"url": url, "company_name": company_name, "feeds": list(search_feeds)},
            lambda: research_company_news(
                fetcher, url, company_name, clock(), search_feeds=search_feeds
            ),
        )

    return [
        async_tool(
            research_news,
            name="research_company_news",
            description=(
                "Read a company's news feeds (RSS/Atom advertised by its website, plus any "
                "configured news-search feeds) and return dated news facts. Each carries "
                "attributes.trigger (funding, product_launch, leadership_change, expansion, "
                "acquisition, partnership, hiring_surge) when the headline signals one, and "
                "attributes.age_days: prefer recent items. Returns {facts: [...], errors: [...]}."
            ),
            args_schema=NewsArgs,
        ),
        async_tool(
            research_profile,
            name="research_profile",
            description=(
                "Read a person's public profile page and return facts about them: headline "
                "(title and employer), bio, and recent posts or talks with dates. Each fact has "
                "an id and source URL; cite fact ids for anything you say about the person. "
                "Returns {facts: [...], errors: [...]}; errors explain pages that failed."
            ),
            args_schema=ProfileArgs,
        ),
        async_tool(
            research_company,
            name="research_company",
            description=(
                "Read a company's website (home page, careers page, blog/news page) and return "
                "facts: what it sells, size, technologies mentioned, open roles by department, "
                "and dated news posts. Returns {facts: [...], errors: [...]}."
            ),
            args_schema=CompanyArgs,
        ),
    ]
