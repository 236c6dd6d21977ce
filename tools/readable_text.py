"""The readable main text of a page, when structured markup does not give it."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def main_text(html: str) -> str | None:
    """Return the page's main text as trafilatura sees it (boilerplate removed), or None."""
    import trafilatura  # imported on use: it loads sizeable language data

    text = trafilatura.extract(
        html, favor_precision=True, include_comments=False, include_tables=False
    )
    return " ".join(text.split()) if text else None


def leading_sentences(text: str, count: int = 2, max_chars: int = 320) -> str:
    """Return the first sentences of a text, short enough to be one fact."""
    sentences = _SENTENCE_END.split(text.strip())
    summary = " ".join(sentences[:count])
    return (
        summary if len(summary) <= max_chars else summary[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    )
