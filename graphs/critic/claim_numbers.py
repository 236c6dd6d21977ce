"""Numbers a draft gives, in digits or in words of its language ("forty engineers"), each with
the word it counts; and the numbers a fact or the campaign gives, in any of the four languages.

A small count of the message's own points ("two things stood out", "a sprint or two") and
the length of the call it asks for ("do you have two minutes?") are no claims.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from text_to_num import alpha2digit

from graphs.critic.claim_lexicon import GENERIC_COUNTED, LONE_ARTICLES, NUMBER_WORDS, UNITS
from graphs.critic.claim_names import is_sentence_start
from graphs.critic.claim_text import (
    CONTEXT_SKIP,
    LETTERS,
    PHRASE_END,
    WORD,
    Claim,
    ClaimText,
    counted_word,
)

# (The lookaheads name what a match starts with, so other positions fail at once.)
_NUMBER = re.compile(r"(?=[$\d])(?<![\w.,])\$?\d(?:[\d,.]*\d)?(?:[kKmMbB]n?|x|%)?(?![^\W\d_])")
_NOT_A_NUMBER = re.compile(
    r"(?=[Q\d])(?:\bQ[1-4]\b|\b\d{1,2}(?::\d\d)?\s?(?:am|pm|h|Uhr)\b|\b24/7\b|\b\d{1,2}:\d\d\b)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_NAMED_BY = re.compile(r"(?<![\w.])([A-Z][A-Za-z]+)[ -]$")
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|\d+")


@lru_cache(maxsize=1024)
def _converted(text: str, language: str) -> str:
    try:
        return str(alpha2digit(text, language, threshold=0))
    except Exception:  # an odd input must not take the critic down
        return text


def _may_hold_number_words(piece: str, known: frozenset[str]) -> bool:
    words = {w.lower() for w in LETTERS.findall(piece)}
    return bool(words & known) or any(w.startswith(("veinti", "dieci")) for w in words)


_NEW_BEFORE = re.compile(r"\b(?:de|à|tout|quoi\s+de)\s+$", re.IGNORECASE)


def _means_new(words: list[str], text: str, start: int) -> bool:
    """Whether French "neuf" after "de" or "à" ("rien de neuf", "remis à neuf") means new."""
    return [w.lower() for w in words] == ["neuf"] and bool(
        _NEW_BEFORE.search(text[max(0, start - 12) : start])
    )


def word_numbers(doc: ClaimText, language: str) -> list[Claim]:
    """Numbers written in words ("forty engineers"), found by text2num, with their spans."""
    claims: list[Claim] = []
    current = doc.current()
    known = NUMBER_WORDS.get(language)
    # A clause's words are the text's words (no clause ends inside a word): a text with no
    # number word has none in any clause.
    if known is not None and not _may_hold_number_words(current, known):
        return claims
    for start, end in doc.clauses:
        piece = current[start:end]
        if known is not None and not _may_hold_number_words(piece, known):
            continue
        converted = _converted(piece, language)
        if converted == piece:
            continue
        before = [(m.group(0), m.start() + start, m.end() + start) for m in _TOKEN.finditer(piece)]
        after = _TOKEN.findall(converted)
        matcher = SequenceMatcher(a=[w for w, _, _ in before], b=after, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "replace" or j2 - j1 != 1 or not after[j1].isdigit():
                continue
            words = [w for w, _, _ in before[i1:i2]]
            if (
                any(w.isdigit() for w in words)
                or all(w.lower() in LONE_ARTICLES for w in words)
                or int(after[j1]) == 0  # "zero downtime" is a figure of speech
            ):
                continue
            span_start, span_end = before[i1][1], before[i2 - 1][2]
            if _means_new(words, doc.original, span_start):
                doc.mask(span_start, span_end)  # "rien de neuf", "à neuf": new, not nine
                continue
            context = counted_word(doc.original, span_end)
            small = int(after[j1]) <= 10
            asked = UNITS.get(context or "") in ("minute", "hour") and (
                doc.is_ask(span_start) or doc.is_question(span_start)
            )
            if (
                _rhetorical(after[j1], doc.original, span_end)
                or (small and context is None)
                or asked
            ):
                # "two things stood out", "a sprint or two": counts of speech, not claims, and
                # "do you have two minutes?" is the ask
                doc.mask(span_start, span_end)
                continue
            claims.append(
                Claim("number", doc.original[span_start:span_end], span_start, span_end,
                      after[j1], doc.clause(span_start), context)
            )  # fmt: skip
            doc.mask(span_start, span_end)
    return claims


def _rhetorical(value: str, text: str, end: int) -> bool:
    """A small count of the message's own points ("two things", "3 quick questions")."""
    if not value.isdigit() or int(value) > 10:
        return False
    rest = PHRASE_END.split(text[end : end + 40], maxsplit=1)[0]
    return any(w.lower() in GENERIC_COUNTED for w in WORD.findall(rest)[:2])


def _names_a_number(text: str, word: re.Match[str]) -> bool:
    """Whether the word before a number names it ("ISO 27001", "Series 3"), rather than
    opening the sentence ("With 9 open roles")."""
    name = word.group(1)
    return name.isupper() or (
        not is_sentence_start(text, word.start(1)) and name.lower() not in CONTEXT_SKIP
    )


def digit_numbers(doc: ClaimText) -> list[Claim]:
    """Numbers in digits that no other claim took, each with the word it counts."""
    claims: list[Claim] = []
    current = doc.current()
    skipped = [m.span() for m in _NOT_A_NUMBER.finditer(current)]
    for match in _NUMBER.finditer(current):
        if any(s <= match.start() < e for s, e in skipped):
            continue
        number = re.search(r"\d[\d,]*(?:\.\d+)?", match.group(0))
        if number is None:
            continue
        value = number.group(0).replace(",", "").rstrip(".")
        named = _NAMED_BY.search(doc.original, max(0, match.start() - 24), match.start())
        if _YEAR.fullmatch(value):
            context = None
        elif named is not None and _names_a_number(doc.original, named):
            context = named.group(1).lower()  # "ISO 27001", "SOC 2": the name says what it is
        else:
            context = counted_word(doc.original, match.end())
        if _rhetorical(value, doc.original, match.end()):
            continue
        claims.append(
            Claim("number", match.group(0), match.start(), match.end(), value,
                  doc.clause(match.start()), context)
        )  # fmt: skip
        doc.mask(match.start(), match.end())
    return claims


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def converted_texts(text: str) -> list[str]:
    """The text with its numbers in words turned into digits, once per language that has any."""
    versions = {_converted(text, language) for language in ("en", "es", "fr", "de")}
    return sorted(versions - {text})


def converted_numbers(text: str) -> set[str]:
    """The numbers a text gives, in digits or in words of any of the four languages."""
    found = {m.replace(",", "").rstrip(".") for m in _DIGITS.findall(text)}
    for converted in converted_texts(text):
        found |= {m.replace(",", "").rstrip(".") for m in _DIGITS.findall(converted)}
    return found
