"""Turn an HTML-only reply into plain text, without the message it quotes."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

HTML_CHARS = 500_000
"""Parse at most this much HTML: what the sender wrote comes first, attachments inline last."""

_BLOCKS = (
    "p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "section", "article", "header", "footer", "pre", "address",
)  # fmt: skip
_DROPPED = ("script", "style", "head", "title", "template", "noscript")
_QUOTE_CLASS = re.compile(r"gmail_quote|yahoo_quoted|moz-cite-prefix|protonmail_quote")
_QUOTE_ID = re.compile(r"OLK_SRC_BODY_SECTION|divRplyFwdMsg|appendonsend|mail-editor-reference")
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")


def _drop_quoted(soup: BeautifulSoup) -> None:
    """Remove what mail clients mark as the quoted earlier message."""
    for tag in soup.find_all(["blockquote", *_DROPPED]):
        if isinstance(tag, Tag) and not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(class_=_QUOTE_CLASS):
        if isinstance(tag, Tag) and not tag.decomposed:
            tag.decompose()
    # Outlook puts the "From:/Sent:" header in a marked block and the old message after it.
    for tag in soup.find_all(id=_QUOTE_ID):
        if not isinstance(tag, Tag) or tag.decomposed:
            continue
        for sibling in list(tag.find_next_siblings()):
            if isinstance(sibling, Tag):
                sibling.decompose()
        tag.decompose()


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML mail body, one line per block, quotes removed."""
    try:
        soup = BeautifulSoup(html[:HTML_CHARS], "lxml")
    except Exception:  # lxml refuses some byte soups; the reply is still worth reading
        return re.sub(r"<[^>]{0,2000}>", " ", html[:HTML_CHARS])
    _drop_quoted(soup)
    for br in soup.find_all("br"):
        if isinstance(br, Tag):
            br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        if isinstance(block, Tag):
            block.insert_after("\n")
    text = soup.get_text()
    return _BLANK_RUN.sub("\n\n", text).strip()


_LOOKS_HTML = re.compile(r"<\s*(html|body|div|p|br|table|span|blockquote)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Return whether a text body is really HTML (some senders put HTML in the text part)."""
    return _LOOKS_HTML.search(text[:2_000]) is not None
