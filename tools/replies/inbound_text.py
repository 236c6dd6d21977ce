"""A received reply as text, and the part of it the sender wrote, ready to classify."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tools.replies.html_text import HTML_CHARS, html_to_text, looks_like_html
from tools.replies.phrase_search import fold
from tools.replies.quoted_text import split_own_words

RAW_CHARS = 200_000
"""Read at most this much of a body: the sender's words come first, a 20 MB paste does not."""
SCAN_CHARS = 20_000
"""Classify at most this much of the sender's own words."""
OPENING_CHARS = 3_000
SUBJECT_CHARS = 998
"""RFC 5322's longest line: a longer subject is cut to it (rules read a subject whole)."""
HEADER_CHARS = 32_000
"""Keep at most this much of a header's value (a long Cc or References, never a megabyte)."""
UNDECODABLE_SHARE = 0.3
"""Above this share of replacement characters the text was decoded with the wrong charset."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ReplyText:
    """One received reply: subject, text body, headers (any case) and the HTML body if any."""

    subject: str
    text: str
    headers: Mapping[str, str] = field(default_factory=dict)
    html: str | None = None

    def __post_init__(self) -> None:
        subject = self.subject
        if isinstance(subject, str) and len(subject) > SUBJECT_CHARS:
            object.__setattr__(self, "subject", subject[:SUBJECT_CHARS])


@dataclass(frozen=True)
class ReplyWords:
    """The sender's own words from a reply, and what was noticed while extracting them."""

    text: str
    """Own words: no quoted message, no signature, capped at SCAN_CHARS."""
    folded: str
    """The same text lower-cased and without accents, offset for offset."""
    signed: str
    """Own words with what follows the closing ("Thanks, Maya") kept, capped at SCAN_CHARS."""
    signed_folded: str
    opening: str
    """The start of the whole body, quotes included (a bounce notice says what failed there)."""
    body_chars: int
    """Characters in the body before the quote and signature were removed."""
    from_html: bool
    undecodable: bool
    """Mostly replacement characters: an unknown charset was decoded with losses."""


def header_map(headers: Mapping[str, str] | object) -> dict[str, str]:
    """Return headers keyed in lower case (a Mapping or an email.message.Message)."""
    items = getattr(headers, "items", None)
    if items is None:
        return {}
    found: dict[str, str] = {}
    try:
        for name, value in items():
            key = str(name).strip().lower()
            if key not in found:
                found[key] = str(value)[:HEADER_CHARS]
    except Exception:  # a malformed header object is as good as no headers
        return found
    return found


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


def body_text(reply: ReplyText) -> tuple[str, bool]:
    """Return the reply's body as plain text, and whether it came from the HTML part."""
    text = (reply.text or "")[:RAW_CHARS]
    if text.strip() and not looks_like_html(text):
        return text, False
    html = (reply.html or "")[:HTML_CHARS]
    html = html if html.strip() else text
    if not html.strip():
        return "", False
    return html_to_text(html), True


def read_reply(reply: ReplyText) -> ReplyWords:
    """Return the sender's own words from a reply (HTML converted, quotes and signature gone)."""
    body, from_html = body_text(reply)
    body = _tidy(body[:RAW_CHARS])
    broken = body.count("\ufffd")
    undecodable = False
    if broken:
        visible = len(_WHITESPACE.sub("", body))
        undecodable = broken / visible > UNDECODABLE_SHARE
        body = body.replace("\ufffd", "")
    words, signed = (part[:SCAN_CHARS] for part in split_own_words(body, limit=SCAN_CHARS))
    return ReplyWords(
        text=words,
        folded=fold(words),
        signed=signed,
        signed_folded=fold(signed),
        opening=body[:OPENING_CHARS],
        body_chars=len(body),
        from_html=from_html,
        undecodable=undecodable,
    )
