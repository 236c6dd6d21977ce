"""The ask: the campaign's call to action, or a phrasing of it that keeps its specifics.

"Worth a 15-minute call next week to see it on your pipeline?" is read into its parts (a
15-minute call, next week, to see it on your pipeline) and said again in a frame normal for the
tone ("Could we find 15 minutes next week to see it on your pipeline?"). Every phrasing is one
question that keeps the meeting, its length, its time and its purpose; a text drops only the
purpose. An ask that cannot be read into parts is used as the campaign wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.offline.name_case import reads_as
from agent.offline.phrasebooks import Phrasebook
from agent.offline.stable_choice import rotated
from graphs.drafts import Tone
from graphs.lead import Campaign

_ASK = re.compile(
    r"^(?P<head>[^?]*?)\b(?P<article>an?)\s+(?P<length>\d{1,3}-minute|short|quick|brief)?\s*"
    r"(?P<noun>call|chat|walkthrough|walk-through|demo|meeting|conversation)\b(?P<tail>[^?]*)\?$",
    re.IGNORECASE,
)
_HEADS = re.compile(
    r"^(?:worth|open to|would|could we (?:do|set up|book|have)|are you open to|how about|"
    r"up for|interested in|fancy|would you be open to|can we do)$",
    re.IGNORECASE,
)
"""Openings an ask may have for its meeting to be lifted out ("Worth a …?")."""
_BE_USEFUL = re.compile(r"\s*\bbe (?:useful|helpful|worth it|of use)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"\bto\s+\w.*$")
_WHEN = re.compile(
    r"^(?:(?:next|this|later this)\s+(?:week|month)|before [\w' ]+|after [\w' ]+|"
    r"in the (?:coming|next) (?:days|weeks)|on (?:mon|tues|wednes|thurs|fri)day)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AskParts:
    """What a campaign's ask asks for."""

    length: str | None
    """"15-minute", "short", or None."""
    noun: str
    """"call", "walkthrough" …"""
    when: str | None
    """"next week", "before your next audit", or None."""
    purpose: str | None
    """"to see it on your pipeline", or None."""

    @property
    def minutes(self) -> str | None:
        """ "15" for a 15-minute meeting."""
        return self.length.split("-")[0] if self.length and self.length[0].isdigit() else None

    def meeting(self) -> str:
        """The meeting with its article: "a 15-minute call", "an 8-minute demo"."""
        words = f"{self.length} {self.noun}" if self.length else self.noun
        vowel = re.match(r"(?:[aeio]|u(?![ns][aeiou])|8|11\b|18\b)", words, re.IGNORECASE)
        return f"{'an' if vowel else 'a'} {words}"

    def slots(self) -> dict[str, str]:
        """The str.format slots a phrasebook's asks use."""
        meeting = self.meeting()
        purpose = f" {self.purpose}" if self.purpose else ""
        return {
            "meeting": meeting,
            "Meeting": meeting[0].upper() + meeting[1:],
            "noun": self.noun,
            "Noun": self.noun.capitalize(),
            "minutes": self.minutes or "",
            # "15 minutes" says "a call"; any other meeting is named ("for a walkthrough").
            "for_noun": "" if self.noun == "call" else f" for a {self.noun}",
            "when": f" {self.when}" if self.when else "",
            "purpose": purpose,
            "purpose_after_comma": f",{purpose}" if purpose else "",
        }


def read_ask(text: str) -> AskParts | None:
    """Read an ask into its parts, or None if it is not "<opening> a <meeting> <when>
    <purpose>?" ("Worth a 15-minute call next week to see it on your pipeline?")."""
    match = _ASK.match(" ".join(text.split()))
    if match is None or not _HEADS.match(match.group("head").strip()):
        return None
    tail = _BE_USEFUL.sub("", match.group("tail")).strip(" ,")
    purpose_match = _PURPOSE.search(tail)
    purpose = purpose_match.group(0).strip(" ,") if purpose_match else None
    when = (tail[: purpose_match.start()] if purpose_match else tail).strip(" ,")
    if when and not _WHEN.match(when):
        return None  # something else is said in the ask: keep it as the campaign wrote it
    length = match.group("length")
    return AskParts(
        length=length.lower() if length else None,
        noun=match.group("noun").lower(),
        when=when or None,
        purpose=purpose,
    )


def _own_ask(campaign: Campaign, book: Phrasebook) -> str:
    """The campaign's ask, if it is in the message's language; otherwise the phrasebook's
    plain one (a translation without its own ask leaves the English one in the campaign)."""
    own = " ".join(campaign.call_to_action.split())
    english = book.language != "en" and reads_as(own, "en") and not reads_as(own, book.language)
    if english:
        return book.fallback_text_asks[0]
    return own


def email_asks(campaign: Campaign, tone: Tone, key: Sequence[str], book: Phrasebook) -> list[str]:
    """Every way this lead's email may ask, the chosen one first (the campaign's own among them)."""
    own = _own_ask(campaign, book)
    parts = read_ask(own) if book.language == "en" else None
    if parts is None:
        return [own]
    frames = [*book.asks[tone], *(book.asks_in_minutes[tone] if parts.minutes else ())]
    said = [frame.format(**parts.slots()) for frame in frames]
    return rotated(list(dict.fromkeys([own, *said])), "ask", tone, *key)


def text_asks(campaign: Campaign, tone: Tone, key: Sequence[str], book: Phrasebook) -> list[str]:
    """A text's asks, this lead's first, then shorter ones for when it does not fit."""
    parts = read_ask(campaign.call_to_action) if book.language == "en" else None
    if parts is None:
        # An ask that is not a meeting ("Can I send you the benchmark?") is kept as written;
        # a generic call is only for when no text with it fits (last_resort_text_asks).
        return [_own_ask(campaign, book)]
    slots = parts.slots()
    full = rotated([f.format(**slots) for f in book.text_asks[tone]], "text-ask", *key)
    short = [f.format(**slots) for f in book.short_text_asks]
    return list(dict.fromkeys([*full, *short]))


def last_resort_text_asks(campaign: Campaign, book: Phrasebook) -> list[str]:
    """What a text asks when no text with the campaign's own ask fits: a generic call, for an
    ask that could not be read into its parts (one that could is shortened instead)."""
    own = _own_ask(campaign, book)
    parsed = read_ask(campaign.call_to_action) if book.language == "en" else None
    return [] if parsed is not None else [a for a in book.fallback_text_asks if a != own]


def connect_asks(tone: Tone, key: Sequence[str], book: Phrasebook) -> list[str]:
    """A connection note's asks, this lead's first."""
    return rotated(book.connect_asks[tone], "connect-ask", *key)
