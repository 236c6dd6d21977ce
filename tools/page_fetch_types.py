"""What a fetch returns; shared by the fetcher and its cache."""

from __future__ import annotations

from dataclasses import dataclass

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


def media_type(content_type_header: str) -> str:
    """Return the media type of a Content-Type header, lowercased, without parameters."""
    return content_type_header.split(";")[0].strip().lower()


@dataclass(frozen=True)
class Page:
    """A fetched document."""

    url: str
    final_url: str
    status: int
    content_type: str
    html: str
    warning: str | None = None
    """A problem that left the page usable but incomplete (e.g. JavaScript not rendered)."""
