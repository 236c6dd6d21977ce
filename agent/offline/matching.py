"""Text matching shared by the offline analyst and hook ranking."""

from __future__ import annotations

import re


def mentions(text: str, phrase: str) -> bool:
    """Return whether text contains the phrase as whole words, ignoring case."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None
