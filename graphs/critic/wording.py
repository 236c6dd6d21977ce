"""Slips a template join or a careless edit leaves: doubled phrases and mis-cased names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graphs.critic.lexicon import INTENDED_REPEATS
from tools.word_frequency import zipf_frequency

_WORD = r"[^\W_][\w'’-]*"
_EDGE_BEFORE = r"(?<![\w'’-])"
_EDGE_AFTER = r"(?![\w-])"
MAX_PHRASE_WORDS = 8
_DOUBLED = re.compile(
    rf"{_EDGE_BEFORE}((?:{_WORD}[ \t]+){{0,{MAX_PHRASE_WORDS - 1}}}?{_WORD})[ \t]+\1(?![\w'’&-])",
    re.IGNORECASE,
)
"""A run of 1-8 words said twice back to back on one line, in any case."""
_DOUBLED_AFTER_COMMA = re.compile(
    rf"{_EDGE_BEFORE}((?:{_WORD}[ \t]+){{1,{MAX_PHRASE_WORDS - 1}}}?{_WORD}),[ \t]+\1(?![\w'’&-])",
    re.IGNORECASE,
)
"""A run of 2-8 words said again right after a comma ("dbt and Snowflake, dbt and
Snowflake"); one word after a comma repeats on purpose ("no, no")."""
_ADDRESS = re.compile(r"\S*(?:@|://|\bwww\.)\S*|\b[\w-]+(?:\.[\w-]+)*\.[a-z][\w-]*(?:/\S*)?")
"""Email addresses, URLs and bare domains: names inside them are lower-case by convention."""
_ADDRESS_HINT = re.compile(r"\.[a-z]")
_INTENDED_PHRASES = frozenset({"thank you", "step by step", "again and again", "more and more"})
"""Phrases said twice on purpose, for emphasis."""
RARE_WORD_ZIPF = 3.0
"""A name's word rarer than this (wordfreq Zipf) is no ordinary word: "copperleaf", "okafor"."""


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace what pattern matches by spaces, so positions and line breaks stay put."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    """Text with addresses blanked, straight apostrophes and single spaces (cached: a lead's
    facts are read for every draft)."""
    if "@" in text or "://" in text or "www." in text or _ADDRESS_HINT.search(text):
        text = _blank(text, _ADDRESS)  # (without "@", "://", "www." or ".x" it has none)
    return " ".join(text.replace("’", "'").split())


def _quotes(phrase: str, sources: str, flags: re.RegexFlag = re.NOFLAG) -> bool:
    """Whether phrase appears, as whole words, in the facts' own text (sources)."""
    pattern = _EDGE_BEFORE + re.escape(phrase.replace("’", "'")) + r"(?![\w'-])"
    return re.search(pattern, sources, flags) is not None


def doubled_phrases(text: str, quoted: Iterable[str] = ()) -> list[str]:
    """Phrases repeated back to back: "Copperleaf Health makes copperleaf Health makes".

    A single word may be doubled on purpose ("that that", see INTENDED_REPEATS); a run of two
    or more words never is, back to back or after a comma ("dbt and Snowflake, dbt and
    Snowflake"), but for a few exclamations ("thank you, thank you"). Text quoted from a fact
    (quoted) is as its source wrote it.
    """
    sources = _sources(tuple(quoted))
    found: list[str] = []
    for line in text.splitlines():
        plain = _plain(line)
        if not _may_repeat(plain):
            continue
        for match in (*_DOUBLED.finditer(plain), *_DOUBLED_AFTER_COMMA.finditer(plain)):
            unit = match.group(1)
            if not any(c.isalpha() for c in unit):
                continue  # "10 10" is a number, not a typo this check can judge
            if unit.casefold() in INTENDED_REPEATS or unit.casefold() in _INTENDED_PHRASES:
                continue
            if _quotes(match.group(0), sources, re.IGNORECASE):
                continue  # quoted from a fact, as its source wrote it
            found.append(match.group(0))
    return list(dict.fromkeys(found))


_RUN = re.compile(r"[\w'’-]+")
"""A word as the doubled-phrase patterns see one: a run they never split."""


def _fold(word: str) -> str:
    """A word as the patterns compare a repeat (a backreference ignoring case matches letter by
    letter on simple lower case): lower case, but a final sigma and the dot of "İ" fold
    further, as str.lower writes them differently."""
    return word.lower().replace("\u0307", "").replace("ς", "σ")


def _may_repeat(plain: str) -> bool:
    """Whether a line has 1-8 words followed at once by the same words in any case: what a
    doubled phrase needs. Told from its words in a few microseconds, where the backtracking
    patterns took sixty; few lines have one (a twentieth of the critic's time went to them).
    """
    # Each word of a doubled phrase, and of its repeat, is a whole run of [\w'’-] (the patterns
    # start it after a space or a non-word character and end it before one; no letter of
    # another case is outside the class), so the repeat is the very next runs.
    words = [word.lower() for word in _RUN.findall(plain)]
    if not plain.isascii():  # only then may a word hold a final sigma or a dotted i
        words = [_fold(word) for word in words]
    if len(set(words)) == len(words):
        return False  # no word said twice
    places: dict[str, list[int]] = {}
    for index, word in enumerate(words):
        places.setdefault(word, []).append(index)
    # Only a word said again within eight words may start a repeat.
    for found in places.values():
        for at, start in enumerate(found[:-1]):
            for again in found[at + 1 :]:
                size = again - start
                if size > MAX_PHRASE_WORDS:
                    break
                if words[start:again] == words[again : again + size]:
                    return True
    return False


def _miscased(written: str, name: str) -> bool:
    """Whether written spells name with a capital made small ("copperleaf Health") or a
    capital added inside a word ("QuillStack" for "Quillstack")."""
    if name.isupper():
        return written.islower()  # "NORTHWIND" from a CRM export: title case is fine too
    if written.isupper() and len(written) > 1:
        return False  # and a name written in capitals, as a CRM export does
    if len(written) != len(name):
        return False
    for index, (w, n) in enumerate(zip(written, name, strict=True)):
        if n.isupper() and w.islower():
            return True
        # A capital at a word's start is title case ("Van der Berg" opening a sentence).
        inside = index > 0 and name[index - 1].isalpha()
        if inside and n.islower() and w.isupper():
            return True
    return False


def _rare(word: str) -> bool:
    bare = re.sub(r"['’]s$", "", word)
    return len(bare) >= 3 and zipf_frequency(bare, "en") < RARE_WORD_ZIPF


def _name_forms(names: Iterable[str]) -> list[str]:
    """The names to hold to their spelling: whole names, and words no ordinary word shares.

    "Copperleaf Health" and "Copperleaf" are checked; "Health" alone, or a one-word name such
    as "Linear" or "Maya", is also an ordinary word (or read as one), so it is not.
    """
    forms: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if not name or name.islower():
            continue  # a name given in lower case says nothing about how to capitalise it
        words = re.findall(_WORD, name)
        if len(words) > 1 or (words and _rare(words[0])):
            forms.append(name)
        forms += [w for w in words if len(words) > 1 and not w.islower() and _rare(w)]
    # Longest first, so "Copperleaf Health" is reported whole, not as "copperleaf".
    return sorted(dict.fromkeys(forms), key=len, reverse=True)


def miscased_names(text: str, names: Iterable[str], quoted: Iterable[str] = ()) -> list[str]:
    """Known names written with a capital made small or one added inside a word, outside
    addresses and fact quotes.

    Returns "written (should be Name)" for each distinct misspelling.
    """
    sources = _sources(tuple(quoted))
    plain = _plain(text)
    taken: list[tuple[int, int]] = []
    found: list[str] = []
    folded = plain.casefold()
    for name, straight, straight_folded in _held_names(tuple(names)):
        if straight_folded not in folded:
            continue  # not written at all, in any case
        for match in _name_pattern(straight).finditer(plain):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue  # part of a longer name already judged
            taken.append((start, end))
            written = match.group(0)
            # (A name written as spelt is never mis-cased.)
            miscased = written != straight and _miscased(written, straight)
            if miscased and not _quotes(written, sources):
                found.append(f"'{written}' (should be '{name}')")
    return list(dict.fromkeys(found))


@lru_cache(maxsize=256)
def _sources(quoted: tuple[str, ...]) -> str:
    """The facts' texts as the wording checks search them (cached: a lead's three drafts and
    its rewrites quote the same facts)."""
    return "\n".join(_plain(q) for q in quoted)


@lru_cache(maxsize=256)
def _held_names(names: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """_name_forms, each with straight apostrophes and then also case-folded (cached: the
    lead's, the sender's and the facts' names are the same for every draft of a lead)."""
    forms = _name_forms(names)
    return tuple((name, straight := name.replace("’", "'"), straight.casefold()) for name in forms)


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A name (straight apostrophes) as whole words in any case and spacing."""
    words = map(re.escape, name.split())
    return re.compile(_EDGE_BEFORE + r"\s+".join(words) + _EDGE_AFTER, re.IGNORECASE)
