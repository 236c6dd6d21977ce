"""Texts and LinkedIn notes: the fullest message that fits the channel's hard limit.

A text must fit one SMS segment (160 GSM-7 characters, 70 when a name like "Lucía" makes it
UCS-2) and a connection note 300 characters. Each is put together from its parts, best first,
and loses detail until it fits: the bridge, the framing of the pitch, the longer asks, then the
pitch; the name is never changed to save characters.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent.offline.drafting import fits, tidy
from graphs.lead import Channel


@dataclass(frozen=True)
class ShortParts:
    """What a short message may say, each list best first."""

    openings: Sequence[str]
    """Who writes to whom ("Hi Leila, Alex from Brightpath."), or the greeting alone."""
    hooks: Sequence[str]
    """The hook: its full sentence, then its few words."""
    bridge: str | None
    pitches: Sequence[str]
    asks: Sequence[str]
    sign: str = ""
    """What closes the message (the sender's first name on LinkedIn)."""
    bridged: int = 0
    """How many of the first pitches refer back to the bridge ("That is the problem …"):
    without the bridge, only the later ones are said."""
    last_asks: Sequence[str] = ()
    """Asks for when no message with the others fits (a generic call instead of the
    campaign's own ask): tried after everything else, with the fewest words."""


def _joined(parts: Iterable[str | None]) -> str:
    return tidy(" ".join(p for p in parts if p))


def _candidates(parts: ShortParts) -> Iterable[tuple[str, bool]]:
    """Every message the parts make, fullest first, each with whether it is compacted (the
    hook cut to its few words)."""
    full_asks, short_asks = parts.asks[:2], parts.asks[2:]
    bridges = [parts.bridge, None] if parts.bridge else [None]
    hooks = list(enumerate(parts.hooks)) or [(0, "")]
    # Detail goes in this order: the bridge, the pitch's framing, the longer asks, the pitch,
    # the full hook, then who writes (the shorter opening). A short ask with the pitch says
    # more than a long ask without it.
    for opening in parts.openings:
        for index, hook in hooks:
            for said in ([*enumerate(parts.pitches)], [(len(parts.pitches), None)]):
                for asks in (full_asks, short_asks):
                    for (number, pitch), bridge, ask in itertools.product(said, bridges, asks):
                        if bridge is None and number < parts.bridged and parts.bridge:
                            continue  # "That is the problem …" with no problem named before
                        yield _joined([opening, hook, bridge, pitch, ask, parts.sign]), index > 0
    for opening, (index, hook), ask in itertools.product(parts.openings, hooks, parts.last_asks):
        yield _joined([opening, hook, ask, parts.sign]), index > 0


def fit_short(
    parts: ShortParts, channel: Channel, linkedin_format: str, sms_suffix: str = ""
) -> tuple[str, bool]:
    """Return the fullest message that fits the channel (with the line the sender adds to a
    text), and whether its hook was compacted; the shortest one if none fits."""
    shortest: tuple[str, bool] | None = None
    for body, compact in _candidates(parts):
        if fits(channel, linkedin_format, body, sms_suffix):
            return body, compact
        if shortest is None or len(body) < len(shortest[0]):
            shortest = (body, compact)
    assert shortest is not None, "a short message needs at least an opening and an ask"
    return shortest
