"""Research a person from a public profile page: headline, bio, recent posts and talks."""

from __future__ import annotations

import re
from datetime import datetime

from bs4 import BeautifulSoup, Tag

from tools.facts import Fact, FactKind, ResearchError, ResearchResult, make_fact
from tools.html_extract import (
    clean_text,
    dated_items,
    main_paragraphs,
    meta_content,
    parse_html,
)
from tools.page_fetch import FetchError, PageFetcher
from tools.page_language import page_language, with_language
from tools.readable_text import leading_sentences, main_text

TOOL_NAME = "research_profile"
_INTEREST = re.compile(
    r"\b(outside (?:of )?work|in (?:her|his|their|my) (?:spare|free) time|interested in|"
    r"passionate about|enjoys?|loves?|writes about|speaks about|hobb(?:y|ies))\b",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
MAX_POSTS = 5
_TALK = re.compile(r"\b(talk|keynote|conference|meetup|panel|webinar|podcast)\b", re.IGNORECASE)


def _first_text(soup: BeautifulSoup, selectors: list[str]) -> str | None:
    for selector in selectors:
        tag = soup.select_one(selector)
        if isinstance(tag, Tag):
            text = clean_text(tag.get_text())
            if text:
                return text
    return None


def _interest_sentences(bio: str) -> list[str]:
    """Return bio sentences about interests (what someone does outside work, writes about)."""
    return [s.strip() for s in _SENTENCES.split(bio) if _INTEREST.search(s)][:2]


def _profile_facts(soup: BeautifulSoup, url: str, person: str, now: datetime) -> list[Fact]:
    facts: list[Fact] = []
    # Own markup first, then microformats (h-card) and schema.org, as GitHub-style profile
    # pages and many personal sites use them.
    name = _first_text(soup, ["h1.name", ".p-name", "[itemprop=name]", "h1"]) or person
    headline = _first_text(
        soup, [".headline", ".p-job-title", "[itemprop=jobTitle]", "h1 + p", "h2"]
    )
    if headline:
        facts.append(
            make_fact(
                kind=FactKind.PROFILE,
                text=f"{name}: {headline}",
                source_url=url,
                tool=TOOL_NAME,
                retrieved_at=now,
                attributes={"headline": headline},
            )
        )
    bio = _first_text(soup, [".bio", ".p-note", "[itemprop=description]"]) or meta_content(
        soup, "description"
    )
    if not bio:
        paragraphs = main_paragraphs(soup, limit=1)
        bio = paragraphs[0] if paragraphs else None
    if not bio:
        text = main_text(str(soup))
        bio = leading_sentences(text) if text else None
    if bio and bio != headline:
        facts.append(
            make_fact(
                kind=FactKind.PROFILE,
                text=bio,
                source_url=url,
                tool=TOOL_NAME,
                retrieved_at=now,
            )
        )
    for sentence in _interest_sentences(bio or ""):
        facts.append(
            make_fact(
                kind=FactKind.PROFILE,
                text=f"{name}'s interests: {sentence}",
                source_url=url,
                tool=TOOL_NAME,
                retrieved_at=now,
                attributes={"interests": sentence},
            )
        )
    for item in dated_items(soup, url)[:MAX_POSTS]:
        when = f" on {item.published.isoformat()}" if item.published else ""
        verb = "gave the talk" if _TALK.search(f"{item.title} {item.summary}") else "wrote"
        summary = f" {item.summary}" if item.summary else ""
        facts.append(
            make_fact(
                kind=FactKind.POST,
                text=f"{name} {verb} “{item.title}”{when}.{summary}",
                source_url=item.url,
                tool=TOOL_NAME,
                retrieved_at=now,
                published=item.published,
                title=item.title,
                attributes={
                    "format": "talk" if verb.startswith("gave") else "post",
                    **({"age_days": (now.date() - item.published).days} if item.published else {}),
                },
            )
        )
    return facts


async def research_profile_page(
    fetcher: PageFetcher, url: str, person: str, now: datetime
) -> ResearchResult:
    """Read a person's public profile page into facts, each marked with the page's language."""
    try:
        page = await fetcher.fetch(url)
    except FetchError as exc:
        return ResearchResult(errors=[ResearchError(tool=TOOL_NAME, url=url, message=exc.reason)])
    soup = parse_html(page.html)
    warnings = (
        [ResearchError(tool=TOOL_NAME, url=url, message=page.warning)] if page.warning else []
    )
    facts = with_language(_profile_facts(soup, page.final_url, person, now), page_language(soup))
    return ResearchResult(facts=facts, errors=warnings)
