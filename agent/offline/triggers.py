"""Classify dated facts into trigger events, and weigh them by type and age."""

from __future__ import annotations

import re
from datetime import date

from graphs.analysis import TriggerType
from graphs.task_inputs import FactBrief
from tools.facts import FactKind
from tools.news_triggers import age_in_days, classify_trigger

BASE_RELEVANCE = {
    TriggerType.FUNDING: 0.9,
    TriggerType.HIRING_SURGE: 0.8,
    TriggerType.LEADERSHIP_CHANGE: 0.8,
    TriggerType.ACQUISITION: 0.75,
    TriggerType.PUBLIC_CONTENT: 0.85,
    TriggerType.PRODUCT_LAUNCH: 0.7,
    TriggerType.EXPANSION: 0.7,
    TriggerType.PARTNERSHIP: 0.6,
    TriggerType.OTHER: 0.4,
}
HIRING_SURGE_ROLES = 5
MAX_AGE_DAYS = 365


def is_stale(published: date | None, today: date) -> bool:
    """Whether a dated item is older than a year: never news, at most background.

    Undated items are never stale.
    """
    age = age_in_days(published, today)
    return age is not None and age > MAX_AGE_DAYS


def classify(fact: FactBrief) -> TriggerType | None:
    """Return the trigger type a fact signals, if any."""
    if fact.kind is FactKind.POST:
        return TriggerType.PUBLIC_CONTENT
    if fact.kind is FactKind.NEWS:
        trigger = classify_trigger(fact.title or fact.text)
        return TriggerType(trigger) if trigger else None
    if fact.kind is FactKind.HIRING:
        match = re.search(r"lists (\d+) open", fact.text)
        if match and int(match.group(1)) >= HIRING_SURGE_ROLES:
            return TriggerType.HIRING_SURGE
    return None


def recency_factor(published: date | None, today: date) -> float:
    """Weigh an event by age: recent news matters, year-old news hardly does."""
    age = age_in_days(published, today)
    if age is None:
        return 0.7
    if age < 0 or age <= 30:
        return 1.0
    if age <= 90:
        return 0.8
    if age <= 180:
        return 0.5
    return 0.25
