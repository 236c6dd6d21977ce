"""Pull structured pieces out of HTML: metadata, JSON-LD, dated posts, links."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup, Tag

from tools.placeholder_text import drop_placeholders, is_placeholder


@dataclass(frozen=True)
class DatedItem:
    """A post, talk or news item with its date."""

    title: str
    url: str
    published: date | None
    summary: str


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def parse_html(html: str) -> BeautifulSoup:
    """Parse HTML leniently with lxml, dropping what a visitor cannot see or learn from."""
    soup = BeautifulSoup(html, "lxml")
    # Hidden text is a classic hiding place for instructions aimed at AI readers.
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed:
            continue
        style = tag.get("style")
        hidden = tag.has_attr("hidden") or tag.get("aria-hidden") == "true"
        if hidden or (isinstance(style, str) and _HIDDEN_STYLE.search(style)):
            tag.decompose()
    # Every fact is read from this soup: "Loading…" and "enable JavaScript" must not be one.
    drop_placeholders(soup)
    return soup


def clean_text(text: str) -> str:
    """Collapse whitespace."""
    return " ".join(text.split())


def meta_content(soup: BeautifulSoup, key: str) -> str | None:
    """Return a <meta name=...> or <meta property=...> value."""
    tag = soup.find("meta", attrs={"name": key}) or soup.find("meta", attrs={"property": key})
    if isinstance(tag, Tag):
        content = tag.get("content")
        if isinstance(content, str) and content.strip() and not is_placeholder(content):
            return clean_text(content)
    return None


def page_title(soup: BeautifulSoup) -> str | None:
    """Return the document title."""
    if soup.title and soup.title.string:
        return clean_text(soup.title.string)
    return None


def parse_date(value: str | None) -> date | None:
    """Parse ISO-8601 or RFC 822 dates; None when unparseable."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def json_ld_items(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Return every JSON-LD object on the page, flattening arrays and @graph."""
    items: list[dict[str, Any]] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text())
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
                else:
                    items.append(item)
            elif isinstance(item, list):
                stack.extend(item)
    return items


def dated_items(soup: BeautifulSoup, base_url: str) -> list[DatedItem]:
    """Return innermost <article> items that carry a title, newest first."""
    found: list[DatedItem] = []
    for article in soup.find_all("article"):
        if article.find("article"):
            continue  # a wrapper (e.g. a whole profile), not an item
        classes = " ".join(article.get_attribute_list("class") or [])
        if not article.find("time") and not re.search(r"post|news|entry|item", classes):
            continue
        heading = article.find(["h1", "h2", "h3", "h4"])
        if not isinstance(heading, Tag):
            continue
        # A <time> inside the heading is the date, not part of the title.
        title = clean_text(
            " ".join(t for t in heading.find_all(string=True) if not t.find_parent("time"))
        )
        link = heading.find("a") or article.find("a")
        href = link.get("href") if isinstance(link, Tag) else None
        url = urljoin(base_url, href) if isinstance(href, str) else base_url
        time_tag = article.find("time")
        published = None
        if isinstance(time_tag, Tag):
            raw = time_tag.get("datetime")
            published = parse_date(raw if isinstance(raw, str) else time_tag.get_text())
        paragraph = article.find("p")
        summary = clean_text(paragraph.get_text()) if isinstance(paragraph, Tag) else ""
        if title:
            found.append(DatedItem(title=title, url=url, published=published, summary=summary))
    found.sort(key=lambda item: item.published or date.min, reverse=True)
    return found


def same_site_links(soup: BeautifulSoup, base_url: str, pattern: re.Pattern[str]) -> list[str]:
    """Return same-host links whose path or text matches the pattern, in page order."""
    host = urlparse(base_url).netloc
    base = base_url.split("#")[0].rstrip("/")
    links: list[str] = []
    by_text: list[str] = []
    for anchor in soup.find_all("a", href=True):
        href = anchor.get("href")
        if not isinstance(href, str) or href.startswith(("mailto:", "tel:", "#")):
            continue
        url = urljoin(base_url, href)
        parsed = urlparse(url)
        if parsed.netloc != host:
            continue
        url = url.split("#")[0]
        if url.rstrip("/") == base or url in links or url in by_text:
            continue  # a link back to this page (often from broken markup) leads nowhere new
        if pattern.search(parsed.path):
            links.append(url)
        elif pattern.search(anchor.get_text()):
            by_text.append(url)
    return links + by_text  # a matching path is stronger evidence than matching link text


def _is_footer_block(tag: Tag) -> bool:
    marks = " ".join([*(tag.get_attribute_list("class") or []), str(tag.get("id") or "")])
    return "footer" in marks.lower()


def main_paragraphs(soup: BeautifulSoup, limit: int = 6) -> list[str]:
    """Return the first substantial paragraphs outside navigation and footers."""
    paragraphs: list[str] = []
    for p in soup.find_all("p"):
        if p.find_parent(["nav", "footer", "article"]) or p.find_parent(_is_footer_block):
            continue
        text = clean_text(p.get_text())
        if len(text.split()) >= 6:
            paragraphs.append(text)
        if len(paragraphs) >= limit:
            break
    return paragraphs
