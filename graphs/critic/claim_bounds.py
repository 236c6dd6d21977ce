"""Bounds and approximations: "more than 200", "nearly 50", "about 40", "über 200".

A message may round a fact's figure: "more than 200 questionnaires" for 212, "nearly 50
minutes" for 48, "about 40 engineers" for 41, "plus de 300 établissements" for 312. Such a
claim is backed by a fact whose figure satisfies it, within a tolerance a reader would accept:
"more than 100" for 212 is true but misleads, so the bound must be at least half the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KINDS: tuple[tuple[str, str], ...] = (
    (
        "at_least",
        r"at\s+least|no\s+fewer\s+than|al\s+menos|por\s+lo\s+menos|como\s+mínimo|au\s+moins|"
        r"mindestens|wenigstens",
    ),
    (
        "more",
        r"more\s+than|over|above|upwards\s+of|in\s+excess\s+of|well\s+over|más\s+de|"
        r"mas\s+de|por\s+encima\s+de|plus\s+de|bien\s+plus\s+de|au-delà\s+de|über|"
        r"mehr\s+als|weit\s+über",
    ),
    (
        "nearly",
        r"nearly|almost|just\s+under|casi|prácticamente|presque|pratiquement|fast|knapp|"
        r"beinahe|nahezu",
    ),
    (
        "about",
        r"about|around|roughly|approximately|some|circa|ca\.|close\s+to|~|unos|unas|"
        r"alrededor\s+de|aproximadamente|en\s+torno\s+a|cerca\s+de|environ|autour\s+de|"
        r"à\s+peu\s+près|près\s+de|quelque|etwa|rund|ungefähr|zirka|um\s+die",
    ),
)
_BEFORE = re.compile(
    "(?:" + "|".join(rf"(?P<{kind}>(?<![\w-])(?:{words}))" for kind, words in _KINDS) + r")"
    r"[ \t\u00a0]*$",
    re.IGNORECASE,
)
_PLUS_AFTER = re.compile(r"\+(?![\w+])")
APPROXIMATE = 0.1
"""How far "about N" and "nearly N" may be from the fact's figure: a tenth of N."""
LOOSEST = 0.5
"""How loose a bound may be: "more than N" needs N to be at least half the fact's figure."""


@dataclass(frozen=True)
class Bound:
    """What a rounded figure claims: a kind of bound and the figure it names."""

    kind: str
    """"more", "at_least", "nearly" or "about". An upper bound ("under 12 minutes") is no
    paraphrase a message makes of a figure: it is read as the figure it names."""
    said: float

    def admits(self, figure: float) -> bool:
        """Whether a fact's figure makes the rounded claim true, and not misleadingly loose."""
        said = self.said
        if said <= 0 or figure <= 0:
            return False
        if self.kind == "more":
            return said < figure and said >= LOOSEST * figure
        if self.kind == "at_least":
            return said <= figure and said >= LOOSEST * figure
        if self.kind == "nearly":
            return (1 - APPROXIMATE) * said <= figure <= said
        return abs(figure - said) <= APPROXIMATE * said


def bound_of(text: str, start: int, end: int, said: float) -> Bound | None:
    """The bound a figure at text[start:end] is given ("more than 200", "200+"), if any."""
    match = _BEFORE.search(text, max(0, start - 24), start)
    if match is not None:
        kind = next(k for k, _ in _KINDS if match.group(k) is not None)
        return Bound(kind, said)
    if _PLUS_AFTER.match(text, end):
        return Bound("at_least", said)
    return None


def figures(digits: frozenset[str]) -> list[float]:
    """The numbers of a reading's digit strings ("212", "1.5")."""
    found = []
    for digit in digits:
        try:
            found.append(float(digit))
        except ValueError:
            continue
    return found
