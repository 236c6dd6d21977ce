"""Company news from RSS/Atom feeds: the site's own feeds and configured news searches."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import quote_plus, urljoin

import feedparser
from bs4 import Tag

from tools.facts import Fact, FactKind, ResearchError, ResearchResult, make_fact
from tools.html_extract import clean_text, parse_html
from tools.news_triggers import dated_attributes
from tools.page_fetch import FEED_TYPES, FetchError, PageFetcher

TOOL_NAME = "research_company_news"
MAX_ITEMS_PER_FEED = 8
_FEED_TYPES = re.compile(r"application/(rss|atom|rdf)\+xml", re.IGNORECASE)


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Return feed URLs a page advertises with <link rel="alternate">."""
    feeds: list[str] = []
    for link in parse_html(html).find_all("link", href=True):
        if not isinstance(link, Tag):
            continue
        rel = " ".join(link.get_attribute_list("rel") or []).lower()
        kind = str(link.get("type") or "")
        href = link.get("href")
        if "alternate" in rel and _FEED_TYPES.search(kind) and isinstance(href, str):
            url = urljoin(base_url, href)
            if url not in feeds:
                feeds.append(url)
    return feeds


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    year, month, day = parsed[:3]
    return date(year, month, day)


def _summary(entry: Any) -> str:
    raw = entry.get("summary") or entry.get("description") or ""
    text = clean_text(parse_html(raw).get_text(" ")) if "<" in raw else clean_text(raw)
    return text[:400]


def feed_facts(xml: str, feed_url: str, company: str, now: datetime) -> list[Fact]:
    """Turn a feed's newest items into dated news facts with their trigger type and age."""
    parsed = feedparser.parse(xml)
    source = clean_text(parsed.feed.get("title", "")) or feed_url
    facts: list[Fact] = []
    for entry in parsed.entries[:MAX_ITEMS_PER_FEED]:
        title = clean_text(entry.get("title", ""))
        if not title:
            continue
        published = _entry_date(entry)
        when = f" on {published.isoformat()}" if published else ""
        summary = _summary(entry)
        attributes: dict[str, str | int | list[str]] = {
            "source": source,
            "feed": feed_url,
            **dated_attributes(published, title, now),
        }
        facts.append(
            make_fact(
                kind=FactKind.NEWS,
                text=f"{source} reported “{title}”{when}." + (f" {summary}" if summary else ""),
                source_url=str(entry.get("link") or feed_url),
                tool=TOOL_NAME,
                retrieved_at=now,
                published=published,
                title=title,
                attributes=attributes,
            )
        )
    return facts


async def research_company_news(
    fetcher: PageFetcher,
    company_url: str | None,
    company: str,
    now: datetime,
    *,
    search_feeds: tuple[str, ...] = (),
) -> ResearchResult:
    """Read the company's advertised feeds and any news-search feeds configured for it."""
    result = ResearchResult()
    feeds: list[str] = []
    if company_url:
        try:
            home = await fetcher.fetch(company_url)
            feeds.extend(discover_feeds(home.html, home.final_url))
        except FetchError as exc:
            result.errors.append(ResearchError(tool=TOOL_NAME, url=company_url, message=exc.reason))
    feeds.extend(template.replace("{company}", quote_plus(company)) for template in search_feeds)
    for feed_url in feeds:
        try:
            page = await fetcher.fetch(feed_url, accept=FEED_TYPES)
        except FetchError as exc:
            result.errors.append(ResearchError(tool=TOOL_NAME, url=feed_url, message=exc.reason))
            continue
        result.facts.extend(feed_facts(page.html, feed_url, company, now))
    return result
