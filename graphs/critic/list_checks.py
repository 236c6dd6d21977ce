"""Lists of three or more short items, mostly names, with no "and"/"or" before the last:
"mentions Kubernetes, GitLab CI, Java on its site", "Node.js, GitHub Actions, Kubernetes in
your stack", "AWS, Kubernetes, PostgreSQL, ce sont …".

A list copied from a fact still needs its "and" in a message; one inside quotes (a title) is as
its source wrote it, and is left alone.
"""

from __future__ import annotations

import re

from graphs.critic.message_text import TITLE
from graphs.critic.sentence_words import ADDRESS, sentence_words
from graphs.critic.verb_lexicon import VerbRules
from graphs.critic.verbs import Word

JOINERS = frozenset(
    "and or & y e o u et ou und oder sowie nor but pero mais aber ni etc usw plus".split()
)
"""Words that join a list's last item, in the four languages."""
_CLAUSE_OPENERS = frozenset(
    "your our their my his her its we you i it they tu su nuestro votre notre ihr unser".split()
)
"""After ", and" one of these opens a clause: the list before it had no "and"."""
_DATE_WORDS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday enero febrero marzo abril mayo
    junio julio agosto septiembre octubre noviembre diciembre janvier février mars avril mai
    juin juillet août septembre octobre novembre décembre januar februar märz juni juli
    oktober dezember""".split()
)
_INTERJECTIONS = frozenset(
    "sure yes ok okay thanks cheers best regards hi hello hey well so oh sí oui ja".split()
)


def _segments(sentence: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of a sentence ("1,5" is one number)."""
    spans, start = [], 0
    for comma in re.finditer(r",\s+", sentence):
        spans.append((start, comma.start()))
        start = comma.end()
    spans.append((start, len(sentence.rstrip(" .!?…"))))
    return spans


def _is_plain(word: Word, rules: VerbRules) -> bool:
    """A word that may be part of a list item: no article, pronoun, preposition or verb."""
    if word.text in (TITLE, ADDRESS) or word.text in JOINERS:
        return False
    if word.text in _DATE_WORDS or re.search(r"\d{4}", word.text):
        return False  # dates and postcodes: "Monday, November 3, 2025", "Springfield, IL 62704"
    if word.capital:
        return word.text != "i"
    return word.text not in rules.function and word.text not in rules.forms


def _item(text: str, language: str, rules: VerbRules) -> list[Word] | None:
    words = sentence_words(text, language, rules)
    ok = 1 <= len(words) <= 3 and all(_is_plain(w, rules) for w in words)
    return words if ok else None


def _edge(text: str, rules: VerbRules, *, last: bool) -> str:
    """The item at a part's edge: its run of capitalised words (up to three) but a word
    opening the sentence ("With Node.js"), else one word."""
    tokens = text.split()
    if last:
        tokens = tokens[::-1]
    run = []
    for token in tokens[:3]:
        if not token[:1].isupper() and not token[:1].isdigit():
            break
        run.append(token)
    while len(run) > 1 and run[-1].casefold() in rules.function:
        run.pop()
    picked = run or tokens[:1]
    return " ".join(picked[::-1] if last else picked)


def unjoined_lists(sentence: str, original: str, language: str, rules: VerbRules) -> list[str]:
    """Lists of three or more short items, mostly names, with no "and"/"or" before the last.

    "Kubernetes, GitLab CI, Java on its site" is one; "Fewer retries, faster merges, happier
    engineers" is a deliberate rhythm, and "…, Go, and your write-up…" joins a clause, not the
    last item.
    """
    spans = _segments(sentence)
    found: list[str] = []
    index = 1
    while index < len(spans) - 1:
        end = index
        while end < len(spans) - 1 and _item(sentence[slice(*spans[end])], language, rules):
            end += 1
        if end == index:
            index += 1
            continue
        before = sentence_words(sentence[slice(*spans[index - 1])], language, rules)
        after = sentence_words(sentence[slice(*spans[end])], language, rules)
        starts_clause = (
            len(after) > 1 and after[0].text in JOINERS and after[1].text in _CLAUSE_OPENERS
        )
        # "AWS, Kubernetes, PostgreSQL, ce sont …": a clause follows the last item.
        clause_after = (
            bool(after)
            and after[0].text not in (*JOINERS, TITLE, ADDRESS)
            and not _is_plain(after[0], rules)
        )
        closed = (starts_clause or clause_after) and end - index >= 2
        if closed:
            after = []  # the list ended at the last short item
        if _unjoined(before, after, rules, closed=closed):
            first = _edge(original[slice(*spans[index - 1])], rules, last=True)
            middle = [original[slice(*spans[i])].strip() for i in range(index, end)]
            last = [_edge(original[slice(*spans[end])], rules, last=False)] if after else []
            items = [first, *middle, *last]
            if 2 * sum(item[:1].isupper() or item[:1].isdigit() for item in items) > len(items):
                found.append(", ".join(items))
        index = end + 1
    return found


def _unjoined(before: list[Word], after: list[Word], rules: VerbRules, *, closed: bool) -> bool:
    """Whether the parts around a run of short items make it a list with no conjunction."""
    if not before or not (after or closed):
        return False
    if not _is_plain(before[-1], rules) or before[-1].text in _INTERJECTIONS:
        return False
    edges = (*before[-3:], *after[:3])
    if any(re.search(r"\d{4}", w.text) for w in edges):
        return False  # a date or a postcode: "Monday, November 3, 2025"
    if closed:
        return True
    return _is_plain(after[0], rules) and not any(w.text in JOINERS for w in after[:4])
