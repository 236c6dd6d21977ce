"""Research a company from its website: what it does, size, tech, hiring, news."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from bs4 import BeautifulSoup, Tag

from tools.facts import Fact, FactKind, ResearchError, ResearchResult, make_fact
from tools.html_extract import (
    clean_text,
    dated_items,
    json_ld_items,
    main_paragraphs,
    meta_content,
    page_title,
    parse_html,
    same_site_links,
)
from tools.news_triggers import dated_attributes
from tools.page_fetch import FetchError, PageFetcher
from tools.page_language import page_language, with_language
from tools.readable_text import leading_sentences, main_text

TOOL_NAME = "research_company"
MAX_NEWS_ITEMS = 5

_CAREERS = re.compile(r"career|jobs|join[- ]us|open[- ]roles|hiring", re.IGNORECASE)
_NEWS = re.compile(r"\b(blog|news|press|newsroom|updates)\b", re.IGNORECASE)
_SIZE = re.compile(
    r"(\d{1,3}(?:,\d{3})*|\d+)\+?\s+(?:employees|staff|team members)\b"
    r"|team of\s+(\d{1,3}(?:,\d{3})*|\d+)",
    re.IGNORECASE,
)
# Technologies a seller commonly qualifies on; matched case-sensitively as whole words.
_TECHNOLOGIES = (
    "Kubernetes", "Docker", "Terraform", "GitHub Actions", "GitLab", "Jenkins", "CircleCI",
    "Buildkite", "Bazel", "AWS", "Google Cloud", "GCP", "Azure", "Python", "Rust", "Golang",
    "Java", "Kotlin", "TypeScript", "JavaScript", "React", "Node.js", "Ruby on Rails", "Ruby",
    "PostgreSQL", "MySQL", "Kafka", "Snowflake", "Salesforce", "HubSpot", "Swift", "Elixir",
)  # fmt: skip
_GO = re.compile(r"\b(?:in|with|and|use|uses|using|,)\s+Go\b(?![-\w])")


def _company_name(soup: BeautifulSoup, fallback: str) -> str:
    return meta_content(soup, "og:site_name") or fallback


def _json_ld_employees(soup: BeautifulSoup) -> int | None:
    """Read schema.org Organization numberOfEmployees, the most explicit size signal."""
    for item in json_ld_items(soup):
        if item.get("@type") not in ("Organization", "Corporation", "LocalBusiness"):
            continue
        employees = item.get("numberOfEmployees")
        if isinstance(employees, dict):
            employees = employees.get("value") or employees.get("maxValue")
        if isinstance(employees, int | str) and str(employees).isdigit():
            return int(employees)
    return None


def _technologies(text: str) -> list[str]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for tech in _TECHNOLOGIES:
        pattern = rf"(?<!\w){re.escape(tech)}(?!\w)"
        found = [m.span() for m in re.finditer(pattern, text)]
        if found:
            spans[tech] = found

    def inside_longer(tech: str, span: tuple[int, int]) -> bool:
        return any(
            len(other) > len(tech) and start <= span[0] and span[1] <= end
            for other, others in spans.items()
            for start, end in others
        )

    # "Ruby" inside "Ruby on Rails" is not a second technology; "Java" beside "JavaScript" is.
    techs = [t for t, found in spans.items() if any(not inside_longer(t, s) for s in found)]
    if techs and _GO.search(text) and "Golang" not in techs:
        techs.append("Go")  # only in a list of technologies: "Go" is also an ordinary word
    return techs


def _home_facts(soup: BeautifulSoup, url: str, company: str, now: datetime) -> list[Fact]:
    facts: list[Fact] = []
    description = meta_content(soup, "description") or meta_content(soup, "og:description")
    paragraphs = main_paragraphs(soup)
    summary = description or (paragraphs[0] if paragraphs else None)
    if summary is None:
        # No description and no clean paragraphs (messy or unusual markup): ask a real
        # boilerplate remover for the main text instead.
        text = main_text(str(soup))
        summary = leading_sentences(text) if text else None
    if summary:
        facts.append(
            make_fact(
                kind=FactKind.COMPANY,
                text=f"{company}: {summary}",
                source_url=url,
                tool=TOOL_NAME,
                retrieved_at=now,
                title=page_title(soup),
            )
        )
    for paragraph in paragraphs:
        if paragraph == summary:
            continue
        facts.append(
            make_fact(
                kind=FactKind.COMPANY,
                text=paragraph,
                source_url=url,
                tool=TOOL_NAME,
                retrieved_at=now,
            )
        )
    body_text = clean_text(soup.get_text(" "))
    size = _SIZE.search(body_text)
    count = _json_ld_employees(soup)
    if count is None and size:
        count = int((size.group(1) or size.group(2)).replace(",", ""))
    if count is not None:
        facts.append(
            make_fact(
                kind=FactKind.COMPANY,
                text=f"{company} has about {count} employees.",
                source_url=url,
                tool=TOOL_NAME,
                retrieved_at=now,
                attributes={"employees": count},
            )
        )
    techs = _technologies(body_text)
    if techs:
        facts.append(
            make_fact(
                kind=FactKind.TECHNOLOGY,
                text=f"{company} mentions {', '.join(techs)} on its website.",
                source_url=url,
                tool=TOOL_NAME,
                retrieved_at=now,
                attributes={"technologies": techs},
            )
        )
    return facts


def _job_departments(soup: BeautifulSoup) -> list[str]:
    """Return one department label per open role, from JSON-LD or the HTML listing."""
    postings = [item for item in json_ld_items(soup) if item.get("@type") == "JobPosting"]
    if postings:
        return [str(p.get("occupationalCategory") or "Other") for p in postings]
    departments: list[str] = []
    for job in soup.select("li.job, .job, .position, .opening"):
        section = job.find_parent(["section", "div"])
        heading = section.find(["h2", "h3"]) if isinstance(section, Tag) else None
        departments.append(clean_text(heading.get_text()) if isinstance(heading, Tag) else "Other")
    return departments


def _hiring_fact(soup: BeautifulSoup, url: str, company: str, now: datetime) -> Fact | None:
    departments = _job_departments(soup)
    if not departments:
        return None
    counts = Counter(departments)
    breakdown = ", ".join(f"{n} {dept}" for dept, n in counts.most_common())
    total = len(departments)
    noun = "role" if total == 1 else "roles"
    return make_fact(
        kind=FactKind.HIRING,
        text=f"{company} lists {total} open {noun} ({breakdown}).",
        source_url=url,
        tool=TOOL_NAME,
        retrieved_at=now,
        attributes={"open_roles": total, "departments": list(counts)},
    )


def _news_facts(soup: BeautifulSoup, url: str, company: str, now: datetime) -> list[Fact]:
    facts: list[Fact] = []
    for item in dated_items(soup, url)[:MAX_NEWS_ITEMS]:
        when = f" on {item.published.isoformat()}" if item.published else ""
        summary = f" {item.summary}" if item.summary else ""
        facts.append(
            make_fact(
                kind=FactKind.NEWS,
                text=f"{company} published “{item.title}”{when}.{summary}",
                source_url=item.url,
                tool=TOOL_NAME,
                retrieved_at=now,
                published=item.published,
                title=item.title,
                attributes=dated_attributes(item.published, item.title, now),
            )
        )
    return facts


async def research_company_site(
    fetcher: PageFetcher, url: str, company: str, now: datetime
) -> ResearchResult:
    """Read a company's home page plus its careers and news pages into facts, each marked with
    the language of the page it came from."""
    result = ResearchResult()
    try:
        home = await fetcher.fetch(url)
    except FetchError as exc:
        result.errors.append(ResearchError(tool=TOOL_NAME, url=url, message=exc.reason))
        return result
    if home.warning:
        result.errors.append(ResearchError(tool=TOOL_NAME, url=url, message=home.warning))
    soup = parse_html(home.html)
    name = _company_name(soup, company)
    language = page_language(soup)
    result.facts.extend(with_language(_home_facts(soup, home.final_url, name, now), language))
    result.facts.extend(with_language(_news_facts(soup, home.final_url, name, now), language))

    careers = same_site_links(soup, home.final_url, _CAREERS)[:1]
    news = same_site_links(soup, home.final_url, _NEWS)[:1]
    for link in careers + news:
        try:
            page = await fetcher.fetch(link)
        except FetchError as exc:
            result.errors.append(ResearchError(tool=TOOL_NAME, url=link, message=exc.reason))
            continue
        sub = parse_html(page.html)
        if link in careers:
            hiring = _hiring_fact(sub, page.final_url, name, now)
            found = [hiring] if hiring else []
        else:
            found = _news_facts(sub, page.final_url, name, now)
        result.facts.extend(with_language(found, page_language(sub)))
    return _dedupe(result)


def _dedupe(result: ResearchResult) -> ResearchResult:
    seen: set[str] = set()
    unique: list[Fact] = []
    for fact in result.facts:
        key = fact.title or fact.text
        if key not in seen:
            seen.add(key)
            unique.append(fact)
    return ResearchResult(facts=unique, errors=result.errors)
