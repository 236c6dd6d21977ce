"""The text a claim is read from: its clauses, what was read already, and what makes a clause
an ask rather than a claim ("a call on Tuesday?", "before December")."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from graphs.critic.claim_lexicon import FORWARD, GREETING_DAY, HABITUAL, MONTHS, SCHEDULING

MASK = "\x00"
"""What replaces a claim already read: no word, no sentence end, joins no name."""


@dataclass(frozen=True)
class Claim:
    """One checkable claim: its kind, text, span, parsed value and clause."""

    kind: str
    text: str
    start: int
    end: int
    value: object
    clause: tuple[int, int]
    context: str | None = None
    """The word a number or ordinal counts ("40 engineers" -> "engineers")."""
    droppable_first: bool = False
    """For a name: its first word opens a sentence and may be an ordinary word."""


B, E = r"(?<![\w-])", r"(?![\w-])"
"""Word boundaries that keep hyphenated words whole."""
_MONTH_NAMES = "|".join(sorted({m for names in MONTHS.values() for m in names}, key=len))
_SOFT_DOT = (
    r"(?<=\d)\.(?=\d)|(?:(?<=(?<![\d.,])\d)|(?<=(?<![\d.,])\d\d))\."
    rf"(?=[ \t]+(?i:{_MONTH_NAMES})\b|[ \t]+[^\W\d_A-ZÄÖÜÀ-ÞŒ])"
)
"""A full stop that ends no clause: a decimal point ("1.5"), or the dot of a German ordinal
before a month or a lower-case word ("am 6. November", "seit dem 29. des Monats")."""
CLAUSE_PATTERN = re.compile(rf"(?:[^.!?;\n—–]|{_SOFT_DOT})+(?:[.!?;]+|$)|[—–\n]")
"""The clauses of a text, as a pattern: clause_spans finds the same spans, faster."""
_SOFT = re.compile(_SOFT_DOT)
_PLAIN_RUN = re.compile(r"[^.!?;\n—–]+")
_ENDING = re.compile(r"[.!?;]+")
_ASK = re.compile(rf"{B}(?:{SCHEDULING}){E}", re.IGNORECASE)
_FORWARD_BEFORE = re.compile(
    rf"\b(?:{FORWARD}|{HABITUAL}|{GREETING_DAY})(?:\s+(?:the|of))?\s*$", re.IGNORECASE
)
_IDIOM_TODAY = re.compile(r"\btoday['’]?s?\b|\bhoy\b|\baujourd['’]hui\b|\bheute\b", re.IGNORECASE)
PHRASE_END = re.compile(r"[”\"»)\]!?;:\n\x00]|\.(?!\d)")
WORD = re.compile(r"[^\W_](?:[\w&+]|[.-](?=[^\W_]))*")
CONTEXT_SKIP = frozenset(
    """of them in the a an our your you we to at for and or with on by per de del la las los el
    un una en y o des du le les et au aux pour par sur der die das den dem des und in im mit
    von zu more new additional other extra further más nuevos nuevas otros otras plus
    nouveaux nouvelles autres weitere neue neuen andere davon dont eux ellos ellas auf bis nach
    über für bei à hasta desde entre sur jusqu""".split()
)


LETTERS = re.compile(r"[^\W\d_]+")
"""Runs of letters: the words a prefilter looks for."""
_DIGIT = re.compile(r"\d")


class ClaimText:
    """The text being read, its clauses, and what has been read already (masked)."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.masked = text
        # Which kinds of claim the text can hold at all: most regexes need not run.
        self.words = frozenset(map(str.lower, LETTERS.findall(text)))
        self.has_digit = _DIGIT.search(text) is not None
        self.clauses = [
            (start, end) for start, end in clause_spans(text) if text[start:end].strip()
        ]
        self._starts = [start for start, _ in self.clauses]

    def clause(self, index: int) -> tuple[int, int]:
        """The clause holding a position."""
        at = max(0, bisect_right(self._starts, index) - 1)
        return self.clauses[at] if self.clauses else (0, len(self.original))

    def is_ask(self, index: int) -> bool:
        """Whether the clause at index arranges a meeting rather than claiming something."""
        start, end = self.clause(index)
        return _ASK.search(self.original, start, end) is not None

    def is_question(self, index: int) -> bool:
        """Whether the clause at index is a question."""
        start, end = self.clause(index)
        return self.original[start:end].rstrip().endswith("?")

    def contrasts_today(self, index: int) -> bool:
        """Whether the clause at index also says "today" (yesterday set against today)."""
        start, end = self.clause(index)
        return _IDIOM_TODAY.search(self.original, start, end) is not None

    def forward(self, index: int) -> bool:
        """Whether the words just before index point forward, repeat, or greet."""
        return _FORWARD_BEFORE.search(self.original[max(0, index - 24) : index]) is not None

    def mask(self, start: int, end: int) -> None:
        """Mark a span as read."""
        self.masked = self.masked[:start] + MASK * (end - start) + self.masked[end:]

    def current(self) -> str:
        """The text with what was read masked out."""
        return self.masked


def clause_spans(text: str) -> list[tuple[int, int]]:
    """The spans CLAUSE_PATTERN.finditer gives, found run by run: the pattern tried a soft
    full stop at every character and took a twentieth of the grounding check."""
    soft: list[int] = []
    dot = text.find(".")
    while dot >= 0:
        if _SOFT.match(text, dot):
            soft.append(dot)
        dot = text.find(".", dot + 1)
    is_soft = set(soft)
    spans: list[tuple[int, int]] = []
    size = len(text)
    at = 0
    while at < size:
        # The longest run of characters that end no clause (soft full stops among them).
        end = at
        while True:
            run = _PLAIN_RUN.match(text, end)
            if run is not None:
                end = run.end()
            if end in is_soft:
                end += 1
                continue
            break
        if end > at:
            ending = _ENDING.match(text, end)
            if ending is not None:
                spans.append((at, ending.end()))
                at = ending.end()
                continue
            if end == size or (end == size - 1 and text[end] == "\n"):
                spans.append((at, end))  # "$": the end, or before a final line break
                at = end
                continue
            # Cut by a line break or a dash: the pattern backs off to the run's last soft
            # full stop, which then ends the clause.
            back = [p for p in soft if at < p < end]
            if back:
                stop = _ENDING.match(text, back[-1])
                at_stop = stop.end() if stop is not None else back[-1] + 1  # it always matches
                spans.append((at, at_stop))
                at = at_stop
                continue
        if text[at] in "—–\n":
            spans.append((at, at + 1))
        at += 1
    return spans


def counted_word(text: str, end: int) -> str | None:
    """The word a number or rank ending at end counts ("40 engineers" -> "engineers")."""
    # The counted word follows in the same phrase: a closing quote or the end of the sentence
    # ends it ("…got it back to 19” from November 3" counts nothing).
    rest = PHRASE_END.split(text[end : end + 60], maxsplit=1)[0]
    following = [w.lower() for w in WORD.findall(rest)]
    context = next((w for w in following if w not in CONTEXT_SKIP), None)
    if context is not None and (len(context) < 3 or not context.isalpha()):
        return None
    return context


def counted_words(text: str, end: int, limit: int = 2) -> tuple[list[str], bool]:
    """The words a number ending at end counts, lower-case, and whether the first follows it
    directly: "sechs offenen Engineering-Stellen" -> (["offenen", "engineering"], True) (a
    compound counts word by word); "six of them in engineering" -> (["engineering"], False).
    The words run until the next word that counts nothing ("12 engineers in Valencia")."""
    rest = PHRASE_END.split(text[end : end + 60], maxsplit=1)[0]
    found: list[str] = []
    skipped = False
    for word in WORD.findall(rest.replace("-", " ")):
        lowered = word.lower()
        if lowered in CONTEXT_SKIP:
            if found:
                break
            skipped = True
            continue
        if len(lowered) < 3 or not lowered.isalpha() or len(found) >= limit:
            break
        found.append(lowered)
    return found, not skipped


def words_of(text: str) -> list[str]:
    """The words of a text."""
    return WORD.findall(text)
