"""What each piece of evidence states, read once per lead: its numbers, quantities, ordinals,
dates, named months and weekdays, and its content words.

The grounding check asks this index whether a claim is backed, and which fact a sentence draws
on (the fact sharing most content words with it). Reading a text is cached by its words, so
rebuilding a lead's evidence for each draft costs little; the index itself is kept with the
Evidence it was built from.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

from graphs.critic.claim_dates import DayOfYear, dates_in, full_dates_in
from graphs.critic.claim_lexicon import STOPWORDS
from graphs.critic.claim_numbers import converted_numbers, converted_texts
from graphs.critic.claim_quantities import Quantity, quantities_in
from graphs.critic.claim_text import counted_word, words_of
from graphs.critic.claims import months_in, ordinals_in, weekdays_in
from graphs.critic.grounding import Evidence, normalize
from graphs.critic.text_language import language_of
from tools.facts import Fact


@dataclass(frozen=True)
class Near:
    """A number a text gives, with the words beside it in its sentence and the word it counts:
    "a 900-package monorepo" gives "900" beside ("a", "package", "monorepo", …), counting
    "package"."""

    number: str
    beside: tuple[str, ...]
    counted: str | None


class Reading:
    """What one text states, independent of where it came from: its words at once, the rest
    (numbers, quantities, ranks, dates, language) when a claim first asks, as most drafts
    ask few of them of a lead's facts. Each is a function of the text alone."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalized = f" {normalize(text)} {normalize(text.replace('-', ' '))} "
        """" words of the text " (with and without its hyphens), for phrase look-ups."""
        self.words = content_words(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reading) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Reading({self.text!r})"

    @cached_property
    def _dated(self) -> tuple[list[tuple[DayOfYear, int, int]], str]:
        """The dates of the text, and the text without them (hyphens as spaces): a date's
        parts ("2026-10-25") are no figures, "10" there backs no "10 engineers"."""
        days = dates_in(self.text)
        return days, _blanked(self.text.replace("-", " "), [(s, e) for _, s, e in days])

    @cached_property
    def digits(self) -> frozenset[str]:
        """The numbers the text gives, in digits or in words, and its dates' years."""
        days, undated = self._dated
        return frozenset(converted_numbers(undated) | {str(d.year) for d, _, _ in days if d.year})

    @cached_property
    def quantities(self) -> tuple[tuple[Quantity, str], ...]:
        """Each quantity with the words that state it ("$32M")."""
        return _quantities(self.text)

    @cached_property
    def ordinals(self) -> frozenset[int]:
        return frozenset(ordinals_in(self.text))

    @cached_property
    def months(self) -> frozenset[int]:
        return frozenset(months_in(self.text))

    @cached_property
    def weekdays(self) -> frozenset[int]:
        return frozenset(weekdays_in(self.text))

    @cached_property
    def days(self) -> tuple[DayOfYear, ...]:
        return tuple(day for day, _, _ in self._dated[0])

    @cached_property
    def language(self) -> str:
        """The language the text reads as (graphs/critic/text_language.py)."""
        return language_of(self.text)

    @cached_property
    def near(self) -> tuple[Near, ...]:
        """Each number with the words beside it in its sentence, for what it counts."""
        undated = self._dated[1]
        return _near_numbers([undated, *converted_texts(undated)])


@dataclass(frozen=True)
class Entry:
    """One piece of evidence: a reading, and the fact it is (None for lead and campaign)."""

    reading: Reading
    fact: Fact | None = None
    dates: tuple[date, ...] = ()
    """The fact's publication date and the dates its text gives."""

    def holds(self, phrase: str) -> bool:
        """Whether the entry says a normalized phrase, as whole words."""
        return f" {phrase} " in self.reading.normalized

    def has_word(self, stem: str | None) -> bool:
        """Whether the entry has a word starting with stem (None: any entry has it)."""
        return stem is None or f" {stem}" in self.reading.normalized


def without_accents(text: str) -> str:
    """Text with its letters' accents removed: "kraków" → "krakow", "münchen" → "munchen"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Verdict:
    """Why a claim is not backed, and the fact nearest to it."""

    reason: str
    nearest: Entry | None


class Words:
    """The content words of a claim's clause, each weighted by how near the claim it stands.

    Read only when a check needs them (most claims are backed without), and ranked against
    the facts once.
    """

    def __init__(self, text: str, clause: tuple[int, int], claim: tuple[int, int]) -> None:
        self._where = (text, clause, claim)
        self._weights: dict[str, float] | None = None
        self.ranked: list[tuple[float, Entry]] | None = None
        """The facts ranked against these words, once a ClaimEvidence has done it."""

    @property
    def weights(self) -> dict[str, float]:
        """Each content word of the clause (the claim's own left out) and its weight."""
        if self._weights is None:
            self._weights = _weigh(*self._where)
        return self._weights

    def score(self, reading: Reading) -> float:
        """How much a reading shares with the clause."""
        weights = self.weights
        # fsum: exactly rounded, so the same whatever order the set yields the words in (a
        # plain sum's last bit followed the string hash seed, and near-ties named another fact).
        return math.fsum(weights[w] for w in weights.keys() & reading.words)


_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=16384)
def _content(word: str) -> str | None:
    """A word as content words are compared ("Robots" -> "robot"), or None for filler."""
    word = word.lower()
    if word.isdigit():
        return word if len(word) >= 2 else None  # "32" in "$32M" says which round
    if len(word) < 3 or not word.isalpha() or word in STOPWORDS:
        return None
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def content_words(text: str) -> frozenset[str]:
    """The words that say what a text is about, singular, lower-case, and its numbers."""
    flat = text.replace("-", " ")  # "patient-intake" is about patients and intake
    found = {_content(w) for w in words_of(flat)} | {_content(d) for d in _DIGITS.findall(text)}
    return frozenset(w for w in found if w)


def clause_words(text: str, clause: tuple[int, int], claim: tuple[int, int]) -> Words:
    """The content words of a claim's clause but the claim's own, the nearest weighing most."""
    return Words(text, clause, claim)


def _weigh(text: str, clause: tuple[int, int], claim: tuple[int, int]) -> dict[str, float]:
    start, end = clause
    before = [w for w in map(_content, words_of(text[start : claim[0]].replace("-", " "))) if w]
    after = [w for w in map(_content, words_of(text[claim[1] : end].replace("-", " "))) if w]
    before.reverse()
    own = content_words(text[claim[0] : claim[1]])
    weights: dict[str, float] = {}
    for side in (before, after):
        for distance, word in enumerate(side):
            if word not in own:
                weights[word] = max(weights.get(word, 0.0), 1 + 2 / (1 + distance))
    return weights


@lru_cache(maxsize=2048)
def read(text: str) -> Reading:
    """Read what a text states (cached: the same fact is read once per process)."""
    return Reading(text)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """Text with the spans replaced by spaces."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * len(chars[start:end])
    return "".join(chars)


_NEAR_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[^\W\d_]+|[.!?;:\n]")
NEAR_WORDS = 5
"""How many words either side of a number in a fact may say what it counts."""


def _near_numbers(texts: list[str]) -> tuple[Near, ...]:
    """Each number of the texts with the words within NEAR_WORDS of it in its sentence, and
    the word it counts ("8 open roles": "open"; "back to 19”": none)."""
    found: dict[Near, None] = {}
    for text in texts:
        if not _has_digit(text):
            continue  # no number to find words near (most facts)
        sentences: list[list[re.Match[str]]] = [[]]
        for match in _NEAR_TOKEN.finditer(text):
            if match.group(0) in ".!?;:\n":
                sentences.append([])
            else:
                sentences[-1].append(match)
        for tokens in sentences:
            for at, match in enumerate(tokens):
                token = match.group(0)
                if not token[0].isdigit():
                    continue
                window = tokens[max(0, at - NEAR_WORDS) : at] + tokens[at + 1 : at + 1 + NEAR_WORDS]
                beside = tuple(m.group(0).lower() for m in window if not m.group(0)[0].isdigit())
                number = token.replace(",", "").rstrip(".")
                found[Near(number, beside, counted_word(text, match.end()))] = None
    return tuple(found)


def _has_digit(text: str) -> bool:
    """Whether a character of text is a digit as str.isdigit says ("²" too, unlike re's \\d)."""
    if _DIGITS.search(text) is not None:
        return True
    return not text.isascii() and any(c.isdigit() for c in text)


def _quantities(text: str) -> tuple[tuple[Quantity, str], ...]:
    """The quantities a text states, in digits or in words ("ten minutes")."""
    found = {q: text[s:e] for q, s, e in quantities_in(text)}
    for converted in converted_texts(text):
        for quantity, start, end in quantities_in(converted):
            found.setdefault(quantity, converted[start:end])
    return tuple(found.items())


def _fact_entry(fact: Fact) -> Entry:
    anchor = fact.published or fact.retrieved_at.date()
    reading, dates = _read_fact(
        "\n".join(filter(None, [fact.title, fact.text])), fact.published, anchor
    )
    return Entry(reading, fact, dates)


@lru_cache(maxsize=2048)
def _read_fact(text: str, published: date | None, anchor: date) -> tuple[Reading, tuple[date, ...]]:
    dates = [published] if published else []
    dates += full_dates_in(text, anchor)
    return read(text), tuple(dict.fromkeys(dates))


class ClaimEvidence:
    """The evidence of one lead, indexed for claim checks."""

    def __init__(self, evidence: Evidence, facts: Iterable[Fact] = ()) -> None:
        known = {fact.id: fact for fact in evidence.facts}
        extra = [fact for fact in facts if fact.id not in known]
        # Facts passed beside the evidence are screened the same way the evidence's were.
        screened = Evidence([], extra).facts if extra else ()
        self.evidence = evidence
        self.others = tuple(Entry(read(text)) for text in evidence.texts)
        self.facts = tuple(_fact_entry(fact) for fact in [*known.values(), *screened])
        self.entries = self.others + self.facts
        self._joined = "|".join(entry.reading.normalized for entry in self.entries)
        self._unaccented: str | None = None
        retrieved = [entry.fact.retrieved_at.date() for entry in self.facts if entry.fact]
        self.newest: date | None = max(retrieved) if retrieved else None
        self._answers: dict[tuple[object, ...], bool] = {}

    def ranked(self, words: Words) -> list[tuple[float, Entry]]:
        """The facts sharing content words with a clause, most shared first."""
        if words.ranked is None:
            scored = [(words.score(entry.reading), entry) for entry in self.facts]
            words.ranked = sorted((pair for pair in scored if pair[0]), key=lambda pair: -pair[0])
        return words.ranked

    def related(self, words: Words) -> list[Entry]:
        """The facts a clause most likely draws on: those sharing at least half as much with it
        as the best one (none when it shares no word with any)."""
        ranked = self.ranked(words)
        best = ranked[0][0] if ranked else 0.0
        return [entry for score, entry in ranked if 2 * score >= best]

    def candidates(self, words: Words) -> list[Entry]:
        """The facts a clause may draw on: the related ones, or every fact when none is."""
        return self.related(words) or list(self.facts)

    def nearest(self, words: Words, wanted: Callable[[Entry], bool] | None = None) -> Entry | None:
        """The fact sharing most words with a clause (among those wanted, if given), if any."""
        # A clause sharing no word with any fact names none: an arbitrary fact would mislead.
        ranked = [entry for _, entry in self.ranked(words)]
        return next((e for e in ranked if wanted is None or wanted(e)), None)

    def holds(self, phrase: str) -> bool:
        """Whether any piece of evidence says a normalized phrase, as whole words."""
        return f" {phrase} " in self._joined

    def holds_unaccented(self, phrase: str) -> bool:
        """Whether any evidence says a normalized phrase once accents are set aside on both
        sides ("Krakow" for "Kraków", "Munchen" for "München")."""
        if self._unaccented is None:
            self._unaccented = without_accents(self._joined)
        return f" {without_accents(phrase)} " in self._unaccented

    def holds_word(self, stem: str) -> bool:
        """Whether any piece of evidence has a word starting with stem ("maker", "makers")."""
        return f" {stem}" in self._joined

    def any(self, test: Callable[[Entry], bool]) -> bool:
        """Whether any piece of evidence passes a test."""
        return any(test(entry) for entry in self.entries)

    def answer(self, question: tuple[object, ...], work: Callable[[], bool]) -> bool:
        """What work says of this evidence, worked out once per question: a lead's drafts and
        rewrites ask the same of it (is "Kraków" named, is "6" said with "engineers").

        question: everything work reads but the evidence, as immutable values.
        """
        found = self._answers.get(question)
        if found is None:
            found = self._answers[question] = work()
        return found


def index_for(evidence: Evidence, facts: Iterable[Fact] = ()) -> ClaimEvidence:
    """Return the claim index of evidence (with extra facts), built once and kept with it.

    Kept on the evidence itself, so it goes when the evidence does: a process-wide map from
    evidence to index would keep every lead's evidence alive (the index refers to it)."""
    facts = list(facts)
    key = ("claims", frozenset(fact.id for fact in facts))
    found = evidence.indexes.get(key)
    if not isinstance(found, ClaimEvidence):
        found = evidence.indexes[key] = ClaimEvidence(evidence, facts)
    return found
