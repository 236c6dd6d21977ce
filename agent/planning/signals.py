"""Trigger events in a lead's researched facts: funding, hiring, launches, posts, with their age.

Read once per lead (`signals_of`), for segment rules (`trigger: [funding]`) and for the signal
part of the priority score, which weighs each by its age (`age_weight`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tools.news_triggers import classify_trigger

TRIGGERS = (
    "funding", "hiring", "product_launch", "leadership_change", "acquisition", "expansion",
    "partnership", "post",
)  # fmt: skip
"""Trigger events a rule or a weight may name."""
TRIGGER_ALIASES = {
    "launch": "product_launch",
    "hiring_surge": "hiring",
    "public_content": "post",
    "posts": "post",
    "news": "any",
}
SHOWN_CHARS = 90
"""How much of a headline a reason repeats."""


@dataclass(frozen=True, slots=True)
class FactRecord:
    """A researched fact as planning reads it: plain data, no validation (100k leads)."""

    kind: str
    text: str
    title: str | None = None
    published: date | None = None
    found: date | None = None
    """The day research retrieved it: a hiring page's age when it carries no date."""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    fact_id: str | None = None


@dataclass(frozen=True, slots=True)
class Signal:
    """A trigger event: what happened, how long ago, and the words it is about."""

    kind: str
    headline: str
    age_days: int | None
    dated_by: str
    """"published" (its own date), "found" (when research saw it: a careers page) or "undated"."""
    words: str
    """Its text and title, lower-cased, for 'on the topic' checks."""
    fact_id: str | None = None
    open_roles: int | None = None

    def age_text(self) -> str:
        """Return how old it is, in words a reason can quote."""
        if self.age_days is None:
            return "undated"
        if self.dated_by == "found":
            return f"found {_days(self.age_days)}"
        return f"published {_days(self.age_days)}"


def _days(age: int) -> str:
    if age <= 0:
        return "today"
    return "1 day ago" if age == 1 else f"{age} days ago"


def canonical_trigger(name: str) -> str | None:
    """Return the trigger a rule's word names (launch -> product_launch), or None."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = TRIGGER_ALIASES.get(key, key)
    return key if key in TRIGGERS else None


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """Return text on one line, cut to limit characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _age(fact: FactRecord, today: date) -> tuple[int | None, str]:
    if fact.published is not None:
        return max(0, (today - fact.published).days), "published"
    if fact.found is not None:
        return max(0, (today - fact.found).days), "found"
    return None, "undated"


def _open_roles(fact: FactRecord) -> int | None:
    value = fact.attributes.get("open_roles")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def signal_of(fact: FactRecord, today: date) -> Signal | None:
    """Return the trigger event a fact signals, if any."""
    if fact.kind == "news":
        stored = fact.attributes.get("trigger")
        trigger = stored if isinstance(stored, str) else classify_trigger(fact.title or fact.text)
        kind = canonical_trigger(trigger) if trigger else None
        if kind is None:
            return None
    elif fact.kind in ("hiring", "post"):
        kind = fact.kind
    else:
        return None
    # A careers page is as old as the day research saw it; a news item or a post is as old as
    # its own date, and the day it was retrieved says nothing about when it happened.
    if fact.kind == "hiring" or fact.published is not None:
        age, dated_by = _age(fact, today)
    else:
        age, dated_by = None, "undated"
    headline = fact.title or fact.text
    return Signal(
        kind=kind,
        headline=shorten(headline),
        age_days=age,
        dated_by=dated_by,
        words=f"{fact.title or ''} {fact.text}".lower(),
        fact_id=fact.fact_id,
        open_roles=_open_roles(fact) if kind == "hiring" else None,
    )


def signals_of(facts: Iterable[FactRecord], today: date) -> tuple[Signal, ...]:
    """Return the trigger events among a lead's facts, freshest first."""
    found = [s for fact in facts if (s := signal_of(fact, today)) is not None]
    found.sort(key=lambda s: s.age_days if s.age_days is not None else 10**6)
    return tuple(found)


def age_weight(age_days: int | None, half_life_days: float, undated: float = 0.5) -> float:
    """Weigh an event by age: 1 today, 0.5 after one half-life, 0.25 after two."""
    if age_days is None:
        return undated
    return float(0.5 ** (max(age_days, 0) / half_life_days))
