"""What an operator tool returns: a summary, the data the agent reads, and what a person sees.

The agent gets the data as one delimited JSON block: lead fields, scraped facts, drafts and
replies are untrusted text, and "<" is escaped inside the block so nothing in it can close the
block or pose as the operator. The terminal renders the View (title, lines, a table) with Rich,
escaping markup, so scraped text cannot restyle the screen either.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_RUN_LEADS = 1000
"""The most leads one run from the chat may name (ranges like 1-50 count every id)."""

MAX_LIST = 200
"""The most rows one listing (leads, the review queue) returns."""


@dataclass(frozen=True)
class View:
    """What a person sees for a tool result."""

    title: str
    lines: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the view as plain JSON (it is stored with the chat's checkpoints)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> View:
        """Read a stored view back."""
        return cls(
            title=str(raw.get("title", "")),
            lines=[str(line) for line in raw.get("lines", [])],
            columns=[str(c) for c in raw.get("columns", [])],
            rows=[[str(cell) for cell in row] for row in raw.get("rows", [])],
        )


@dataclass(frozen=True)
class Outcome:
    """A tool's result."""

    summary: str
    """What happened, in our own words (never untrusted text)."""
    data: Any
    """What the agent reads, as JSON; may hold untrusted text."""
    view: View


@dataclass(frozen=True)
class ProgressUpdate:
    """How far a long operation has come: `done` of `total`, and the item just finished."""

    done: int
    total: int
    item: str = ""
    """What finished, e.g. a lead's name; may be untrusted text (print it as plain text)."""
    outcome: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the update as JSON."""
        return {"done": self.done, "total": self.total, "item": self.item, "outcome": self.outcome}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProgressUpdate:
        """Read an update written by to_dict."""
        return cls(
            done=int(data["done"]),
            total=int(data["total"]),
            item=str(data.get("item") or ""),
            outcome=str(data.get("outcome") or ""),
        )


class OperatorError(Exception):
    """An operation that cannot be done; the message says why and what to do instead."""


def data_block(tool: str, summary: str, data: Any) -> str:
    """Return a tool result as the agent reads it: the summary, then the data, delimited."""
    payload = json.dumps(data, ensure_ascii=False, default=str, indent=1).replace("<", "\\u003c")
    return f'{summary}\n<tool_data tool="{tool}">\n{payload}\n</tool_data>'


def cell(value: Any) -> str:
    """Return a table cell: '' for None, two decimals for floats."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def short(text: str | None, limit: int = 80) -> str:
    """Return text on one line, cut to limit characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
