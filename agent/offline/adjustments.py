"""What the critic's feedback and a reviewer's instruction ask the offline writer to change."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Adjustments:
    """What the critic's feedback asks the next draft to change."""

    compact: bool = False
    longer: bool = False
    more_hooks: bool = False
    strip_placeholders: bool = False
    avoid: tuple[str, ...] = ()
    rotate: bool = False
    """Lead with a different hook (a reviewer asked for another angle)."""
    avoid_sentences: tuple[str, ...] = ()
    """Sentences an earlier message of the thread already said (a follow-up's repeated_sentence)."""
    max_words: int | None = None
    """The word count to stay under: the previous message's (a follow-up's length_growing)."""


_REPEATED_HOOK = re.compile(r"repeats the hook '(.+?)' from step \d+")
_REPEATED_SENTENCE = re.compile(r'repeats "(.+?)" from step \d+')
_NOT_SHORTER = re.compile(r"not shorter than step \d+ \((\d+) words\)")


def adjustments_for(issues: list[str]) -> Adjustments:
    """Read critic issues into concrete changes."""
    joined = " ".join(issues)
    avoid = re.findall(r"hook '([^']+)'", joined) + _REPEATED_HOOK.findall(joined)
    limits = [int(words) - 1 for words in _NOT_SHORTER.findall(joined)]
    return Adjustments(
        compact="too long" in joined or "channel_limit" in joined,
        longer="too short" in joined,
        more_hooks="personalization" in joined,
        strip_placeholders="placeholders" in joined,
        avoid=tuple(dict.fromkeys(avoid)),
        avoid_sentences=tuple(dict.fromkeys(_REPEATED_SENTENCE.findall(joined))),
        max_words=min(limits) if limits else None,
    )


_SHORTER = re.compile(r"\b(short|brief|concise|trim|cut|tighten|fewer words)", re.IGNORECASE)
_LONGER = re.compile(r"\b(longer|expand|more detail|elaborate)", re.IGNORECASE)


def reviewer_adjustments(instruction: str | None, base: Adjustments) -> Adjustments:
    """Read a reviewer's instruction as far as templates can follow it.

    The offline writer understands "shorter" and "longer"; any other instruction gets the
    message rewritten around a different hook. Free-form rewrites need a model endpoint.
    """
    if not instruction:
        return base
    if _SHORTER.search(instruction):
        return replace(base, compact=True)
    if _LONGER.search(instruction):
        return replace(base, longer=True)
    return replace(base, rotate=True)


def tone_adjustments(
    feedback: dict[Any, Any], tone: object, reviewer_instruction: str | None
) -> Adjustments:
    """Return what the next draft of this tone should change: the critic's issues with its
    last draft, then a reviewer's instruction over them."""
    notes = feedback.get(tone)
    return reviewer_adjustments(
        reviewer_instruction, adjustments_for(notes.issues if notes else [])
    )
