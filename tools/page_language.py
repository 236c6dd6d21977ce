"""The language a web page is written in: what its markup declares, else what its text reads as.

Facts from a page carry its language (`attributes["language"]`, an ISO 639-1 code), so the
pipeline can write to a lead in the language of their own profile or company site. Text is
read with py3langid (langid.py's model, maintained): a private identifier limited to the
two-letter ISO 639-1 languages (the model's dialect and pidgin labels misread short English),
its probabilities calibrated, and short or uncertain text left undecided.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
from typing import Any

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from tools.facts import Fact

MIN_TEXT_CHARS = 40
"""Shorter text is not read: a name, a title or a heading says little about its language."""
MIN_CONFIDENCE = 0.5
"""A reading less probable than this (calibrated, over the model's ~90 languages) is no answer."""
SAMPLE_CHARS = 4000
"""How much of a page's visible text is read (the language is settled long before)."""
OVERRULE_CHARS = 200
"""A declaration is overruled only by at least this much text ..."""
OVERRULE_CONFIDENCE = 0.98
"""... read as another language with at least this confidence: site templates often declare
lang="en" over pages written in German or Spanish, and the text is what the lead reads."""
_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")
_NOT_TEXT = ["script", "style", "noscript", "template", "svg", "head"]
_lock = threading.Lock()


@functools.cache
def _identifier() -> Any:
    """The model, loaded once (half a second) and restricted to ISO 639-1 languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # on use: numpy and a model

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier


def language_code(tag: str | None) -> str | None:
    """Return the ISO 639-1 code of a language tag ('de-AT' -> 'de', 'fr_FR' -> 'fr',
    'EN' -> 'en'); None for no tag, or one without a two-letter language ('x-default',
    'zxx', 'mul')."""
    match = _TAG.fullmatch((tag or "").strip())
    if match is None or len(match.group(1)) != 2:
        return None
    return match.group(1).lower()


def _reading(text: str) -> tuple[str, float] | None:
    sample = " ".join(text.split())[:SAMPLE_CHARS]
    if len(sample) < MIN_TEXT_CHARS:
        return None
    with _lock:  # the identifier holds its class table; loading it twice is wasted work
        identifier = _identifier()
    code, confidence = identifier.classify(sample)
    return str(code), float(confidence)


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code text reads as; None for text under MIN_TEXT_CHARS characters
    or a reading less certain than MIN_CONFIDENCE."""
    reading = _reading(text)
    if reading is None or reading[1] < MIN_CONFIDENCE:
        return None
    return reading[0]


def declared_language(soup: BeautifulSoup) -> str | None:
    """Return the language a page declares: <html lang> (or xml:lang), else a
    Content-Language <meta>; None if it declares none."""
    html = soup.find("html")
    if isinstance(html, Tag):
        for attribute in ("lang", "xml:lang"):
            value = html.get(attribute)
            if isinstance(value, str) and (code := language_code(value)):
                return code
    for meta in soup.find_all("meta"):
        if not isinstance(meta, Tag):
            continue
        if str(meta.get("http-equiv") or "").lower() == "content-language":
            content = str(meta.get("content") or "").split(",")[0]
            if code := language_code(content):
                return code
    return None


def visible_text(soup: BeautifulSoup) -> str:
    """Return the text a visitor reads (no scripts, styles or head), whitespace collapsed."""
    parts: list[str] = []
    size = 0
    skip_until: object = None
    # One walk over the document: a script, style or head is skipped whole by jumping past its
    # last descendant, so a deeply nested page costs one pass, not one climb per string.
    for node in soup.descendants:
        if skip_until is not None:
            if node is skip_until:
                skip_until = None
            continue
        if isinstance(node, Tag):
            if node.name in _NOT_TEXT:
                last = _last_descendant(node)
                skip_until = last if last is not node else None
            continue
        # Comments, the doctype and CDATA are strings too, but nobody reads them.
        if type(node) is not NavigableString:
            continue
        text = " ".join(str(node).split())
        if text:
            parts.append(text)
            size += len(text) + 1
            if size >= SAMPLE_CHARS:
                break
    return " ".join(parts)


def _last_descendant(tag: Tag) -> PageElement:
    """The last element inside tag, in document order (tag itself when it is empty)."""
    node: PageElement = tag
    while isinstance(node, Tag) and node.contents:
        node = node.contents[-1]
    return node


def page_language(soup: BeautifulSoup) -> str | None:
    """Return the ISO 639-1 code of the language a page is written in: what it declares,
    unless a long text reads unmistakably as another; else what its text reads as; None when
    neither tells."""
    declared = declared_language(soup)
    text = visible_text(soup)
    if declared is None:
        return detect_language(text)
    if len(text) >= OVERRULE_CHARS:
        reading = _reading(text)
        if reading is not None and reading[0] != declared and reading[1] >= OVERRULE_CONFIDENCE:
            return reading[0]
    return declared


def with_language(facts: Iterable[Fact], language: str | None) -> list[Fact]:
    """Return the facts with the language of the page they came from in their attributes."""
    if language is None:
        return list(facts)
    return [
        fact.model_copy(update={"attributes": {**fact.attributes, "language": language}})
        for fact in facts
    ]
