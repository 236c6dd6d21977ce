"""Whether a draft's body carries a hook it lists, in any of English, Spanish, French or German.

A hook is written in the message's language and paraphrases its fact; the body paraphrases it
again ("Ihr Beitrag zur halbierten 40-Minuten-Pipeline" for the hook „Warum unsere Pipeline 40
Minuten brauchte und wie wir sie halbiert haben“). So words are compared by their stems
("halbiert", "halbierten"), compounds word by word ("40-Minuten-Pipeline"), numbers in digits
or words ("acht" for "8"), and the lead's own names, which any message may say, count for
nothing. A hook is used when the body says half of its words, or every one of its specifics
(numbers, acronyms and brand-like names: "HDS", "GitLab", "Soignelia") when they are enough to
tell it apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graphs.analysis import Hook
from graphs.critic.claim_lexicon import STOPWORDS
from graphs.critic.claim_numbers import converted_texts
from tools.word_frequency import zipf_frequency

USED_SHARE = 0.5
"""The share of a hook's words the body must say."""
SHARED_PREFIX = 5
"""Two words of one stem share at least this many first letters ("secur-ity", "secur-e")."""
INFLECTION = 3
"""... and differ by at most this many letters after them ("halbiert", "halbierten")."""
RARE = 3.0
"""A capitalized word rarer than this (wordfreq Zipf, in every language) is a name."""

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")
_ELISION = re.compile(r"\b((?i:[dlj]|qu))['’](?=[^\W\d_])")
"""French elision ("d'Orniva", "l'annonce"): the word after it is compared on its own."""


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_ELISION.sub(r"\1 ", text))


_MORE_STOPWORDS = frozenset(
    """with your you our we is are was were this that from about into after before their they
    them his her its how why what when where which who warum wie wir sie haben hat unsere
    unser ihre ihr ihren einen einem über nach bei pour avec nous vous notre votre comment
    pourquoi cómo por qué nuestro nuestra vuestro also just""".split()
)
_SKIPPED = STOPWORDS | _MORE_STOPWORDS
_LANGUAGES = ("en", "es", "fr", "de")


def _key(token: str) -> str | None:
    """A token as hooks and bodies are compared, or None for filler."""
    if token[0].isdigit():
        return token.replace(",", "").rstrip(".")
    if token.isupper() and len(token) >= 2:
        return token.lower()  # "HDS", "AWS": short, but what the hook is about
    lowered = token.lower().replace("’", "'")
    if len(lowered) <= 3 or lowered in _SKIPPED:
        return None
    return lowered


def _words(text: str) -> frozenset[str]:
    """The compared words of a text, with its numbers in words also in digits."""
    return _written_words(text) | _number_words(text)


@lru_cache(maxsize=4096)
def _written_words(text: str) -> frozenset[str]:
    """The compared words of a text as written."""
    found = {_key(t) for t in _tokens(text)}
    return frozenset(w for w in found if w)


@lru_cache(maxsize=4096)
def _number_words(text: str) -> frozenset[str]:
    """The numbers a text writes in words, in digits (text2num in four languages: slow, and
    only asked of a body when the hook has a number)."""
    found: set[str] = set()
    for converted in converted_texts(text):
        found |= {key for t in _tokens(converted) if t[0].isdigit() and (key := _key(t))}
    return frozenset(found)


@lru_cache(maxsize=8192)
def _is_rare(word: str) -> bool:
    return max(zipf_frequency(word, language) for language in _LANGUAGES) < RARE


def _specifics(text: str) -> frozenset[str]:
    """What tells a hook apart: its numbers, acronyms, mixed-case names ("GitLab") and rare
    capitalized words ("Soignelia"), compared as _key reads them."""
    found: set[str] = set()
    for token in _tokens(text):
        key = _key(token)
        if key is None:
            continue
        named = token[0].isupper() and (
            token.isupper() or any(c.isupper() for c in token[1:]) or _is_rare(key)
        )
        if token[0].isdigit() or named:
            found.add(key)
    return frozenset(found)


def _same_stem(word: str, other: str) -> bool:
    if word == other:
        return True
    if word[0].isdigit() or other[0].isdigit():
        return False
    shared = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= SHARED_PREFIX and max(len(word), len(other)) - shared <= INFLECTION


def _said(word: str, body: frozenset[str], by_prefix: dict[str, list[str]]) -> bool:
    if word in body:
        return True
    return any(_same_stem(word, other) for other in by_prefix.get(word[:SHARED_PREFIX], ()))


def hook_is_used(hook: Hook, body: str, *, names: Iterable[str] = ()) -> bool:
    """Return whether the body actually carries the hook's specifics.

    names: the lead's own names (person, company), which say nothing about which hook it is.
    """
    own = {w for name in names if name for w in _words(name)}
    hook_words = _words(hook.text) - own
    if not hook_words:
        return False
    # A number is said only as itself (_same_stem), so the body's numbers in words are read
    # only for a number of the hook the body does not write in digits.
    body_words = _written_words(body)
    if any(w[0].isdigit() and w not in body_words for w in hook_words):
        body_words |= _number_words(body)
    by_prefix: dict[str, list[str]] = {}
    for word in body_words:
        by_prefix.setdefault(word[:SHARED_PREFIX], []).append(word)
    said = {w for w in hook_words if _said(w, body_words, by_prefix)}
    if len(said) >= USED_SHARE * len(hook_words):
        return True
    specifics = _specifics(hook.text) - own
    # Every specific said, and enough to tell the hook apart: more than one, or a name, or a
    # number said with another of the hook's words.
    enough = len(specifics) > 1 or any(not w[0].isdigit() for w in specifics) or len(said) > 1
    return bool(specifics) and specifics <= said and enough
