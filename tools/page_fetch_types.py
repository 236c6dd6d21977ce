"""What a fetch returns; shared by the fetcher and its cache."""

from __future__ import annotations

from dataclasses import dataclass


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
