"""Text matching shared by the offline analyst and hook ranking."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=16_384)
def mentions(text: str, phrase: str) -> bool:
    """Return whether text contains the phrase as whole words, ignoring case.

    Cached: the writer asks the same question of the same fact for every tone and draft.
    """
    return _phrase_pattern(phrase).search(text) is not None
