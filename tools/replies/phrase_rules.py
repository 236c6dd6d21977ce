"""Phrase rules: a pattern over folded text that, when it matches, points at an intent."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tools.replies.phrase_search import PhraseHit, negated, rx, sentence_at
from tools.replies.verdict import Intent


@dataclass(frozen=True)
class Rule:
    """Phrases in one language that signal one intent (and reason) with a given strength."""

    intent: Intent
    confidence: float
    language: str
    pattern: re.Pattern[str]
    reason: str | None = None
    negatable: bool = False
    """Skip a match with a negation in its clause ("not interested" is no interest)."""
    unless_before: re.Pattern[str] | None = None
    """Skip a match whose clause, just before it, matches this ("I almost hit unsubscribe")."""


def rule(
    intent: Intent,
    confidence: float,
    language: str,
    *phrases: str,
    reason: str | None = None,
    negatable: bool = False,
    unless_before: str | None = None,
) -> Rule:
    """Build a rule from phrase alternatives written in folded spelling."""
    unless = re.compile(unless_before + r"\s*$") if unless_before else None
    return Rule(intent, confidence, language, rx(*phrases), reason, negatable, unless)


UNLESS_CHARS = 30


@dataclass(frozen=True)
class RuleHit:
    """A rule that matched, and where."""

    rule: Rule
    hit: PhraseHit


def rule_hits(
    rules: Iterable[Rule],
    text: str,
    folded: str,
    *,
    keep: Callable[[str, int, int], bool] | None = None,
) -> list[RuleHit]:
    """Return the first un-negated match of each rule, in rule order.

    keep(folded, start, end), if given, may pass over a match (the rule's next one counts)."""
    found = []
    for candidate in rules:
        if candidate.pattern.search(folded) is None:  # the common case, and the cheap one
            continue
        for match in candidate.pattern.finditer(folded):
            start, end = match.span()
            if candidate.negatable and negated(folded, start, end):
                continue
            if candidate.unless_before is not None and candidate.unless_before.search(
                folded, max(0, start - UNLESS_CHARS), start
            ):
                continue
            if keep is not None and not keep(folded, start, end):
                continue
            found.append(RuleHit(candidate, PhraseHit(start, end, sentence_at(text, start, end))))
            break
    return found
