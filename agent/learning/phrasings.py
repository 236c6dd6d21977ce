"""Reviewers' edits read sentence by sentence: what they deleted, kept and wrote themselves.

A draft and its edit are split into sentences and aligned with difflib; a sentence of the draft
with no close counterpart in the edit was removed, one the edit kept word for word was kept,
and one only the edit has was written by the reviewer. A phrasing counts once per edit, and
becomes a preference only when at least `MIN_EDITS` edits agree: one reviewer's taste on one
lead is not a rule.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from graphs.learned import PHRASE_CHARS, LearnedStyle, line_sentences, phrase_key
from storage.learning import StoredEdit

MIN_EDITS = 2
"""How many edits must agree before a phrasing is avoided or preferred."""
MAX_PHRASINGS = 12
"""The most phrasings of each kind handed to a writer."""
CLOSE = 0.8
"""A replaced sentence this similar to its replacement was reworded, not removed."""
_MIN_WORDS = 3


@dataclass
class EditDiff:
    """What one edit did to its draft's sentences (normalized text -> as written)."""

    removed: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)
    added: dict[str, str] = field(default_factory=dict)


def diff_edit(before: str, after: str) -> EditDiff:
    """Align a draft's sentences with its edit's and sort them into removed, kept, added."""
    old = [s for line in before.splitlines() for s in line_sentences(line)]
    new = [s for line in after.splitlines() for s in line_sentences(line)]
    result = EditDiff()
    matcher = difflib.SequenceMatcher(
        a=[phrase_key(s) for s in old], b=[phrase_key(s) for s in new]
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.kept.update({phrase_key(s): s for s in old[i1:i2]})
            continue
        replacements = [phrase_key(s) for s in new[j1:j2]]
        for sentence in old[i1:i2]:
            key = phrase_key(sentence)
            close = difflib.get_close_matches(key, replacements, n=1, cutoff=CLOSE)
            if not close:
                result.removed[key] = sentence
        originals = [phrase_key(s) for s in old[i1:i2]]
        for sentence in new[j1:j2]:
            key = phrase_key(sentence)
            if not difflib.get_close_matches(key, originals, n=1, cutoff=CLOSE):
                result.added[key] = sentence
    return result


def _usable(sentence: str) -> bool:
    """A phrasing worth learning: a few words, not too long to quote."""
    return len(sentence.split()) >= _MIN_WORDS and len(sentence) <= PHRASE_CHARS


def learned_style(edits: Iterable[StoredEdit]) -> LearnedStyle:
    """Return the phrasings at least MIN_EDITS edits removed (and fewer kept), and those at
    least MIN_EDITS edits kept or wrote (and fewer removed)."""
    removed: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    written: dict[str, str] = {}
    for edit in edits:
        diff = diff_edit(edit.before_body, edit.after_body)
        removed.update(diff.removed.keys())
        kept.update({*diff.kept, *diff.added})
        for mapping in (diff.removed, diff.kept, diff.added):
            for key, sentence in mapping.items():
                written.setdefault(key, sentence)
    avoid = [
        written[k]
        for k, n in removed.most_common()
        if n >= MIN_EDITS and n > kept[k] and _usable(written[k])
    ]
    prefer = [
        written[k]
        for k, n in kept.most_common()
        if n >= MIN_EDITS and n > removed[k] and _usable(written[k])
    ]
    return LearnedStyle(avoid=avoid[:MAX_PHRASINGS], prefer=prefer[:MAX_PHRASINGS])
