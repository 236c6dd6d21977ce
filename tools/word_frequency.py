"""wordfreq's Zipf frequencies from a compact table: about 9 bytes a word instead of ~100.

wordfreq keeps each language's list as a dict of Python strings, about 40 MB a language once
loaded, and the critic reads four; every worker process paid ~160 MB for them. Here each list
becomes two sorted arrays (the word's hash, its frequency band), built once per process and
language, and wordfreq's own lookup (tokenizing, digits, combining tokens) runs unchanged on
top of it, so every frequency is the same as wordfreq's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import numpy as np
import wordfreq
from wordfreq import zipf_frequency

__all__ = ["zipf_frequency"]

_original_dict = wordfreq.get_frequency_dict
_lock = threading.Lock()
_tables: dict[tuple[str, str], CompactFrequencies] = {}


def _key(word: str) -> int:
    # The UTF-8 bytes, not the string: CPython hashes a string's internal buffer, so "kp"
    # (one byte a character) and "火" (two bytes, the same ones) share a string hash.
    return hash(word.encode("utf-8"))


class CompactFrequencies(Mapping[str, float]):
    """A read-only word → frequency mapping over sorted hashes (hashes are per process)."""

    def __init__(self, buckets: list[list[str]]) -> None:
        count = sum(len(bucket) for bucket in buckets)
        hashes = np.empty(count, dtype=np.int64)
        bands = np.empty(count, dtype=np.int16)
        at = 0
        for index, bucket in enumerate(buckets):
            hashes[at : at + len(bucket)] = [_key(word) for word in bucket]
            bands[at : at + len(bucket)] = index
            at += len(bucket)
        order = np.argsort(hashes, kind="stable")
        hashes, bands = hashes[order], bands[order]
        # A word listed twice keeps its last (rarer) band, as wordfreq's own dict does.
        last = np.append(hashes[1:] != hashes[:-1], True)
        self._hashes, self._bands = hashes[last], bands[last]

    def _band(self, word: str) -> int | None:
        key = _key(word)
        at = int(np.searchsorted(self._hashes, key))
        if at < len(self._hashes) and self._hashes[at] == key:
            return int(self._bands[at])
        return None

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._band(word) is not None

    def __getitem__(self, word: str) -> float:
        band = self._band(word)
        if band is None:
            raise KeyError(word)
        return float(wordfreq.cB_to_freq(-band))

    def __len__(self) -> int:
        return len(self._hashes)

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a compact frequency table keeps hashes, not words")


def _compact_dict(
    lang: str, wordlist: str = "best", match_cutoff: None = None
) -> Mapping[str, float]:
    key = (lang, wordlist)
    with _lock:
        if key not in _tables:
            _tables[key] = CompactFrequencies(wordfreq.get_frequency_list(lang, wordlist))
            wordfreq.get_frequency_list.cache_clear()  # the strings go; the arrays stay
        return _tables[key]


wordfreq.get_frequency_dict = _compact_dict  # type: ignore[assignment]
