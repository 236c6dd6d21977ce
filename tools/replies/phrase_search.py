"""Search a reply for phrases: accent- and case-folded text, and the sentence around a match.

Rules are written without accents and in lower case, and match against a folded copy of the
reply of the same length, so a match's offsets point into the reply's own text for evidence.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii():
            table[code] = base
    table.update(
        {
            ord("\u0130"): "I",  # lower() would make it two characters
            ord("ß"): "ß",
            ord("\u2018"): "'",
            ord("\u2019"): "'",
            ord("\u00b4"): "'",
            ord("`"): "'",
            ord("\u201c"): '"',
            ord("\u201d"): '"',
            ord("\u00ab"): '"',
            ord("\u00bb"): '"',
            ord("\u2013"): "-",
            ord("\u2014"): "-",
            ord("\u00a0"): " ",
            ord("\u202f"): " ",
        }
    )
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Return text lower-cased, without accents and with plain quotes, at the same length."""
    folded = text.translate(_FOLD).lower()
    if len(folded) == len(text):
        return folded
    chars = []
    for char in text.translate(_FOLD):
        low = char.lower()
        chars.append(low if len(low) == 1 else char)
    return "".join(chars)


_EDGE = r"(?!(?<=\w)\w)"
"""Not between two word characters. The same as either edge alone, written as one assertion:
the search then tries each position once instead of twice, about twice as fast on text with
few word characters (a line of dashes), a quarter faster on prose."""
_START_EDGE = _EDGE
_END_EDGE = _EDGE


def rx(*alternatives: str) -> re.Pattern[str]:
    """Compile phrase alternatives (folded spelling) into one pattern with word edges.

    A phrase never starts or ends inside a word ("pass" is not in "passport"); a phrase that
    starts or ends with a space or a sign needs no edge there."""
    return re.compile(_START_EDGE + "(?:" + "|".join(alternatives) + ")" + _END_EDGE)


_SENTENCE_END = re.compile(r"[.!?¡¿\n]")
_SENTENCE_BREAK = re.compile(r"[!?\n]|\.(?=\s|\Z)")
"""What ends the sentence before a match: "!", "?", a line end, or a dot before a space."""
SENTENCE_INDEXES = 32
"""Texts whose sentence boundaries are kept: a reply's few texts, each searched many times."""


@dataclass(frozen=True)
class _Boundaries:
    """Where sentences may start and end in one text, found once, so a lookup is a bisection."""

    starts: list[int]
    """Offsets just after a sentence break."""
    ends: list[int]
    """Offsets of characters that may end a sentence."""
    newlines: list[int]


@functools.lru_cache(maxsize=SENTENCE_INDEXES)
def _boundaries(text: str) -> _Boundaries:
    return _Boundaries(
        starts=[match.end() for match in _SENTENCE_BREAK.finditer(text)],
        ends=[match.start() for match in _SENTENCE_END.finditer(text)],
        newlines=[match.start() for match in re.finditer("\n", text)],
    )


def sentence_at(text: str, start: int, end: int) -> str:
    """Return the sentence (or line) of text holding the span start..end.

    The text's boundaries are found once (and kept for the next few texts), so each lookup
    takes a bisection however many matches a long text has."""
    found = _boundaries(text)
    before = bisect.bisect_right(found.starts, start)
    left = found.starts[before - 1] if before else 0
    after = bisect.bisect_left(found.ends, end)
    if after == len(found.ends):
        return text[left:].strip()
    stop = found.ends[after]
    right = stop + 1
    if text[stop] == "." and right < len(text) and not text[right].isspace():
        # A dot inside a date or an address ("12.01.", "ana.ruiz@"): take the line instead.
        line = bisect.bisect_left(found.newlines, end)
        right = found.newlines[line] if line < len(found.newlines) else len(text)
    return text[left:right].strip()


@dataclass(frozen=True)
class PhraseHit:
    """Where a phrase rule matched the reply."""

    start: int
    end: int
    sentence: str


NEGATION = re.compile(
    r"(?<!\w)(?:not|no|never|hardly|nicht|kein\w*|nie|pas|ne|nunca|nada|nao|nem|ningun\w*|"
    r"tampoco|jamais|aucun\w*|sin|sem|ohne|without)(?!\w)|n't(?!\w)|\bn'"
)
_TRAILING_NEGATION = re.compile(r"(?<!\w)(?:nicht|pas|not|nao)(?!\w)")
_CLAUSE_BREAK = re.compile(r"[.,!?;:\n]|\bbut\b|\bpero\b|\bmais\b|\baber\b|\bmas\b")


def negated(folded: str, start: int, end: int, *, before: int = 24, after: int = 14) -> bool:
    """Return whether a negation sits in the same clause just before or after a match."""
    head = folded[max(0, start - before) : start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    if breaks:
        head = head[breaks[-1].end() :]
    tail = folded[end : end + after]
    cut = _CLAUSE_BREAK.search(tail)
    if cut:
        tail = tail[: cut.start()]
    return bool(NEGATION.search(head)) or bool(_TRAILING_NEGATION.search(tail))


def first_hit(pattern: re.Pattern[str], text: str, folded: str) -> PhraseHit | None:
    """Return the first match of pattern in folded text, with its sentence from text."""
    match = pattern.search(folded)
    if match is None:
        return None
    return PhraseHit(match.start(), match.end(), sentence_at(text, match.start(), match.end()))


def hits(pattern: re.Pattern[str], text: str, folded: str) -> Iterable[PhraseHit]:
    """Yield every match of pattern in folded text, with its sentence from text."""
    for match in pattern.finditer(folded):
        yield PhraseHit(match.start(), match.end(), sentence_at(text, match.start(), match.end()))
