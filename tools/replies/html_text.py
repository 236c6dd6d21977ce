"""Turn an HTML-only reply into plain text, without the message it quotes.

The parser hands each tag and each run of text over once, in document order, and no tree is
built: what mail clients mark as the quoted earlier message is skipped, and block elements end
a line. The time this takes grows with the size of the HTML whatever its shape ("<div>" forty
thousand times over included), and nesting has no depth limit (libxml2's tree stops at 256).
"""

from __future__ import annotations

import re

from lxml import etree

HTML_CHARS = 500_000
"""Parse at most this much HTML: what the sender wrote comes first, attachments inline last.
Markup is two to three times the text it holds, so this reads about as much text as the
RAW_CHARS a text body is cut to (inbound_text), which then cuts the result as well."""

_BLOCKS = frozenset((
    "p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "section", "article", "header", "footer", "pre", "address",
))  # fmt: skip
_DROPPED = frozenset(("blockquote", "script", "style", "head", "title", "template", "noscript"))
_QUOTE_CLASS = re.compile(r"gmail_quote|yahoo_quoted|moz-cite-prefix|protonmail_quote")
_QUOTE_ID = re.compile(r"OLK_SRC_BODY_SECTION|divRplyFwdMsg|appendonsend|mail-editor-reference")
"""Outlook puts the "From:/Sent:" header in a marked block and the old message after it."""
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
_TAG = re.compile(r"<[^<>]{0,2000}>")


class _Text:
    """A parser target collecting the text outside quotes, with a line end after each block."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.depth = 0
        self.muted = 0
        """0 while reading; else nothing is read until the depth drops below this."""
        self.dropped = False
        """Whether the muted element itself is dropped (else its parent ends a block as usual)."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.muted:
            return
        if tag in _DROPPED:
            self.muted, self.dropped = self.depth, True
            return
        if attrib:  # most tags have none (lxml's empty mapping answers this at C speed)
            marker = attrib.get("id")
            if marker and _QUOTE_ID.search(marker):
                # The marker, what follows it and the text between: all the old message.
                self.muted, self.dropped = max(1, self.depth - 1), self.depth == 1
                return
            classes = attrib.get("class")
            if classes and _QUOTE_CLASS.search(classes):
                self.muted, self.dropped = self.depth, True
                return
        if tag == "br":
            self.parts.append("\n")

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.muted:
            if self.depth >= self.muted:
                return
            self.muted = 0
            if self.dropped:
                return
        if tag in _BLOCKS:
            self.parts.append("\n")

    def data(self, text: str) -> None:
        if not self.muted:
            self.parts.append(text)

    def close(self) -> str:
        return "".join(self.parts)


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML mail body, one line per block, quotes removed."""
    source = html[:HTML_CHARS]
    parser = etree.HTMLParser(
        target=_Text(),
        encoding="utf-8",  # the text is already decoded: a <meta charset> must not re-decode it
        recover=True,
        no_network=True,
    )
    try:
        text = etree.fromstring(source.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):  # lxml refuses some byte soups; still worth reading
        return _TAG.sub(" ", source).strip()
    return _BLANK_RUN.sub("\n\n", text if isinstance(text, str) else "").strip()


_LOOKS_HTML = re.compile(r"<\s*(html|body|div|p|br|table|span|blockquote)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Return whether a text body is really HTML (some senders put HTML in the text part)."""
    return _LOOKS_HTML.search(text[:2_000]) is not None
