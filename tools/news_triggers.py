"""Classify news into trigger events: why now is a good time to reach out."""

from __future__ import annotations

import re
from datetime import date, datetime

# Values match graphs.analysis.TriggerType; tools stay independent of graphs.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (trigger, re.compile(pattern, re.IGNORECASE))
    for trigger, pattern in (
        ("funding", r"\braise[sd]?\b|\bfunding\b|\bseries [a-f]\b|\bseed round\b"),
        ("acquisition", r"\bacquir|\bacquisition\b|\bmerge[sd]?\b"),
        ("leadership_change", r"\bnames\b|\bappoint|\bjoins as\b|\bnew (?:cto|ceo|cfo|vp|head)\b"),
        ("partnership", r"\bpartner(?:s|ship)?\b"),
        ("expansion", r"\bopens?\b.*\boffice\b|\bexpan(?:d|sion)\b|\bnew market"),
        ("product_launch", r"\blaunch|\bintroduc|\bunveil|\breleas|\bannounc"),
        ("hiring_surge", r"\bhiring\b|\bdoubl\w* (?:the|our) team\b|\bgrow\w* (?:the|our) team\b"),
    )
)


def classify_trigger(headline: str) -> str | None:
    """Return the trigger type a headline signals (funding, product_launch, ...), if any."""
    for trigger, pattern in _RULES:
        if pattern.search(headline):
            return trigger
    return None


def age_in_days(published: date | None, today: date) -> int | None:
    """Return how old an item is, in days (None when undated)."""
    return None if published is None else (today - published).days


def dated_attributes(
    published: date | None, title: str, now: datetime
) -> dict[str, str | int | list[str]]:
    """Record how old an item is and which trigger its headline signals."""
    attributes: dict[str, str | int | list[str]] = {}
    age = age_in_days(published, now.date())
    if age is not None:
        attributes["age_days"] = age
    trigger = classify_trigger(title)
    if trigger:
        attributes["trigger"] = trigger
    return attributes
