"""Split a draft into the claims a reader could check, each with where it is.

Dates, relative times ("last week"), quantities ("$32M", "40 minutes", "30%"), months,
weekdays, ordinals ("your third office"), superlatives ("the largest"), numbers in digits and
in words, and names. Each claim keeps its span in the checked text and the clause it sits in,
so the grounding check can say which fact it drew on and what that fact says instead.

What a message says about time to arrange a meeting ("a call on Tuesday?", "before
December") is an ask, not a claim, and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphs.critic.claim_dates import CAPITALIZED_MONTHS, MONTH_NUMBERS, dates_in
from graphs.critic.claim_lexicon import (
    GERMAN_ORDINAL_STEMS,
    MONTH_ABBREVIATIONS,
    ORDINALS,
    RELATIVE_ANCHORS,
    RELATIVE_TIMES,
    RHETORICAL_SUPERLATIVE,
    SEASONS,
    SUPERLATIVE_TRIGGERS,
    SUPERLATIVES,
    WEEKDAYS,
)
from graphs.critic.claim_names import name_runs
from graphs.critic.claim_numbers import digit_numbers, word_numbers
from graphs.critic.claim_quantities import quantities_in
from graphs.critic.claim_text import WORD, B, Claim, ClaimText, E, counted_word
from graphs.critic.pattern_prefix import starts_with

__all__ = ["Claim", "extract", "months_in", "ordinals_in", "weekdays_in"]


def _words(names: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_MONTH = re.compile(
    rf"{starts_with(MONTH_NUMBERS)}{B}(?P<month>{_words(MONTH_NUMBERS)})(?:\s+(?:de\s+)?(?P<year>(?:19|20)\d\d))?{E}",
    re.IGNORECASE,
)
_WEEKDAY_NUMBERS = {name: i for names in WEEKDAYS.values() for i, name in enumerate(names)}
_WEEKDAY = re.compile(
    rf"{starts_with(_WEEKDAY_NUMBERS)}{B}(?P<day>{_words(_WEEKDAY_NUMBERS)})(?P<plural>s)?{E}",
    re.IGNORECASE,
)
_ORDINAL_WORD = "|".join(
    [f"{stem}(?:e|er|en|es|em)" for stem in sorted(GERMAN_ORDINAL_STEMS)]
    + sorted((w for w in ORDINALS if w not in GERMAN_ORDINAL_STEMS), key=len, reverse=True)
)
_ORDINAL_START = starts_with([*GERMAN_ORDINAL_STEMS, *ORDINALS], also=r"\d")
_ORDINAL = re.compile(
    rf"{_ORDINAL_START}{B}(?:(?P<word>{_ORDINAL_WORD})|(?P<digits>\d{{1,3}})(?:st|nd|rd|th|º|ª|\.º|\.ª|°|e|ème"
    rf"|eme|er|re|nde?))(?![\w])(?!-(?:party|parties|guess|hand|rate|class|tier|half))"
    rf"(?!\s+(?:party|parties|hand|half)\b)",
    re.IGNORECASE,
)
_FRACTION_BEFORE = re.compile(
    r"(?:\b(?:a|one|two|per|every|split|un|una|une|ein|eine|zwei|deux|dos)\s+)$", re.IGNORECASE
)
_FIRST = re.compile(r"\b(?:first|primer[oa]?|premi(?:er|ère)|erste[rnsm]?)\b", re.IGNORECASE)
_SUPERLATIVES = tuple(
    (
        key,
        re.compile(
            rf"{B}(?:{pattern}){E}(?!\s+(?:[\w-]+\s+)?{RHETORICAL_SUPERLATIVE}\b)",
            re.IGNORECASE,
        ),
    )
    for key, pattern in SUPERLATIVES
)


_FIGURE_OF_SPEECH = re.compile(
    r"\bthe\s+only\s+(?:real\s+|sure\s+|good\s+)?(?:way|thing|question|fix)\s+(?:to|that)\b",
    re.IGNORECASE,
)
"""'The only way to know', 'the only thing that matters': a figure of speech, not a ranking."""


def _relative_pattern(patterns: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """One pattern for a language's relative times: group k<i> is the i-th kind, and its count
    and season groups are n<i> and season<i>."""
    alternatives = [
        rf"(?P<k{i}>{p.replace('(?P<n>', f'(?P<n{i}>').replace('(?P<season>', f'(?P<season{i}>')})"
        for i, (_, p) in enumerate(patterns)
    ]
    return re.compile(rf"{B}(?:{'|'.join(alternatives)})(?:['’]s)?{E}", re.IGNORECASE)


_RELATIVE = {
    language: (
        tuple(kind for kind, _ in patterns),
        _relative_pattern(patterns),
        # Each anchor starts with a letter: the lookahead names them (pattern_prefix.py).
        re.compile(
            rf"{starts_with(RELATIVE_ANCHORS[language].split('|'))}\b(?:{RELATIVE_ANCHORS[language]})",
            re.IGNORECASE,
        ),
    )
    for language, patterns in RELATIVE_TIMES.items()
}


def _relative_matches(text: str, language: str) -> list[re.Match[str]]:
    """The relative times in text. The full pattern is slow to search with, so it is only
    tried at the word starts shortly before a word every relative time holds ("week", "ago")."""
    _, pattern, anchor = _RELATIVE.get(language, _RELATIVE["en"])
    found: list[re.Match[str]] = []
    for hit in anchor.finditer(text):
        if found and hit.start() < found[-1].end():
            continue
        end = hit.end() + 25
        while end < len(text) and text[end].isalnum():
            end += 1
        end = min(len(text), end)
        first = max(0, hit.start() - 40)
        if found:
            first = max(first, found[-1].end())
        for start in [m.start() for m in _WORD_START.finditer(text, first, hit.start() + 1)]:
            match = pattern.match(text, start, end)
            if match is not None and match.end() > hit.start():
                found.append(match)
                break
    return found


_WORD_START = re.compile(r"(?<![\w'’])[\w'’]")
LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_DIGIT_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d\.\d\d?\.\d{4}|\d/\d")
_DATE_WORDS = frozenset(MONTH_NUMBERS) | frozenset(MONTH_ABBREVIATIONS)
_WEEKDAY_WORDS = frozenset(_WEEKDAY_NUMBERS) | {f"{day}s" for day in _WEEKDAY_NUMBERS}
_ORDINAL_WORDS = frozenset(w for w in ORDINALS if w not in GERMAN_ORDINAL_STEMS) | {
    f"{stem}{end}" for stem in GERMAN_ORDINAL_STEMS for end in ("e", "er", "en", "es", "em")
}
_FRACTION_WORDS = frozenset(
    """half halved halve halves third thirds mitad tercio tercios moitié deux tiers halbiert
    halbieren hälfte drittel""".split()
)
_DATE_AFTER_WEEKDAY = re.compile(r"[,\s]*(?:(?:den|dem|der|el|le|the)\s+)?", re.IGNORECASE)
_ORDINAL_DIGITS = re.compile(r"\d(?:st|nd|rd|th|º|ª|°|e|ème|eme|er|re)\b")


def _is_english_capital(word: str) -> bool:
    return word.lower() not in CAPITALIZED_MONTHS or word[0].isupper()


def extract(text: str, language: str = "en", subject_end: int = 0) -> list[Claim]:
    """Return the claims in text (subject, newline, body), in reading order.

    subject_end: where the subject line ends, so a Title Case subject is read as such.
    """
    doc = ClaimText(text)
    claims: list[Claim] = []

    def add(kind: str, start: int, end: int, value: object, context: str | None = None) -> None:
        claims.append(Claim(kind, text[start:end], start, end, value, doc.clause(start), context))
        doc.mask(start, end)

    if doc.has_digit and (doc.words & _DATE_WORDS or _DIGIT_DATE.search(text)):
        for parsed, start, end in dates_in(text):
            add("date", start, end, parsed)
    kinds = _RELATIVE.get(language, _RELATIVE["en"])[0]
    for match in _relative_matches(doc.current(), language):
        at = next(i for i in range(len(kinds)) if match.group(f"k{i}") is not None)
        kind, count = kinds[at], match.groupdict().get(f"n{at}")
        season = match.groupdict().get(f"season{at}")
        if (season is not None and season.lower() not in SEASONS) or doc.is_ask(match.start()):
            continue
        if kind == "yesterday" and doc.contrasts_today(match.start()):
            continue  # "yesterday's numbers for today's decisions": an idiom
        add("relative_time", *match.span(), (kind, count, season))
    fractions = bool(doc.words & _FRACTION_WORDS)
    for quantity, start, end in quantities_in(
        doc.current(), figures=doc.has_digit, fractions=fractions
    ):
        if quantity.kind in ("minute", "hour") and (doc.is_ask(start) or doc.is_question(start)):
            doc.mask(start, end)  # "a 15-minute call", "got 20 minutes?": the ask, not a claim
            continue
        add("quantity", start, end, quantity)
    for match in _MONTH.finditer(doc.current()) if doc.words & MONTH_NUMBERS.keys() else ():
        word = match.group("month")
        if not _is_english_capital(word) or doc.is_ask(match.start()) or doc.forward(match.start()):
            continue
        if word == "May" and re.match(r"\s+(?:I|we|you)\b", text[match.end() :]):
            continue  # "May I ask…"
        year = int(match.group("year")) if match.group("year") else None
        add("month", *match.span(), (MONTH_NUMBERS[word.lower()], year))
    for match in _WEEKDAY.finditer(doc.current()) if doc.words & _WEEKDAY_WORDS else ():
        word = match.group("day")
        if match.group("plural"):
            doc.mask(*match.span())  # "on Mondays": a habit, neither a date nor a name
            continue
        if doc.is_ask(match.start()) or doc.forward(match.start()):
            continue
        if doc.is_question(match.start()) and not text.startswith(("'s", "’s"), match.end()):
            continue  # "Tuesday?", "¿el martes?": a day proposed, not one claimed
        if word.lower() in WEEKDAYS["en"] + WEEKDAYS["de"] and not word[0].isupper():
            continue
        # "Tuesday, October 27": the weekday must be that date's.
        after = _DATE_AFTER_WEEKDAY.match(text, match.end())
        dated = next(
            (c.value for c in claims if c.kind == "date" and after and c.start == after.end()), None
        )
        add("weekday", *match.span(), (_WEEKDAY_NUMBERS[word.lower()], dated))
    if doc.words & _ORDINAL_WORDS or (doc.has_digit and _ORDINAL_DIGITS.search(text)):
        for match in _ORDINAL.finditer(doc.current()):
            if _FRACTION_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
                continue  # "a third", "one second": a fraction or a moment, not a rank
            word = match.group("word")
            if word:
                lowered = word.lower()
                stem = next((s for s in GERMAN_ORDINAL_STEMS if lowered.startswith(s)), None)
                number = ORDINALS[stem] if stem else ORDINALS[lowered]
                if stem and word[0].isupper() and language == "de":
                    continue  # "Dritte": third parties
            else:
                number = int(match.group("digits"))
            add("ordinal", *match.span(), number, counted_word(text, match.end()))
    for key, pattern in _SUPERLATIVES:
        if doc.words & SUPERLATIVE_TRIGGERS[key] or (key == "#1" and "#" in text):
            for match in pattern.finditer(doc.current()):
                if _FIGURE_OF_SPEECH.search(match.group(0)):
                    continue  # "the only way to know": a figure of speech, not a ranking
                # What it ranks ("the largest maker"): a fact must rank the same thing.
                add("superlative", *match.span(), key, counted_word(text, match.end()))
    claims += word_numbers(doc, language)
    claims += digit_numbers(doc) if doc.has_digit else []
    claims += _names(doc, language, subject_end)
    return sorted(claims, key=lambda c: c.start)


def _is_title_case(line: str) -> bool:
    words = [w for w in WORD.findall(line) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _names(doc: ClaimText, language: str, subject_end: int) -> list[Claim]:
    current = doc.current()
    parts = [(0, subject_end, _is_title_case(current[:subject_end])), (subject_end, len(current),
             False)] if subject_end else [(0, len(current), False)]  # fmt: skip
    claims: list[Claim] = []
    for offset, end, title_case in parts:
        for run in name_runs(current[offset:end], language, title_case=title_case):
            start = run.start + offset
            end_at = run.end + offset
            claims.append(
                Claim("name", doc.original[start:end_at], start, end_at, run.text,
                      doc.clause(start), droppable_first=run.droppable_first)
            )  # fmt: skip
    return claims


def ordinals_in(text: str) -> set[int]:
    """The ranks a text states ("third", "3rd", "tercera", "dritte"; "first" too)."""
    found = {1} if _FIRST.search(text) else set()
    for match in _ORDINAL.finditer(text):
        word = match.group("word")
        if word is None:
            found.add(int(match.group("digits")))
            continue
        lowered = word.lower()
        stem = next((s for s in GERMAN_ORDINAL_STEMS if lowered.startswith(s)), None)
        found.add(ORDINALS[stem] if stem else ORDINALS[lowered])
    return found


def months_in(text: str) -> set[int]:
    """The months a text names, in any language."""
    return {MONTH_NUMBERS[m.group("month").lower()] for m in _MONTH.finditer(text)}


def weekdays_in(text: str) -> set[int]:
    """The weekdays a text names, in any language."""
    return {_WEEKDAY_NUMBERS[m.group("day").lower()] for m in _WEEKDAY.finditer(text)}
