"""A lookahead naming the characters a pattern's matches can start with.

Python's regex engine tries a pattern that opens with a lookbehind or a word boundary at every
position of the text, alternative after alternative; a long list of phrases ("act now",
"limited time", …) then costs tens of microseconds a draft for every list. Put first, a
lookahead on the characters the phrases start with fails at once at every other position, and
matches exactly what the pattern did: it asks of the first character only what each
alternative asks of it anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def starts_with(phrases: Iterable[str], also: str = "") -> str:
    r"""A lookahead for any first character of the phrases (literal text, not patterns), to put
    where the phrases' alternation starts; "" (no lookahead) when there are none.

    also: more a match may start with, as a character class's content (r"\d": a digit).
    """
    first = sorted({phrase[0] for phrase in phrases if phrase})
    if not first and not also:
        return ""
    return "(?=[" + also + "".join(re.escape(char) for char in first) + "])"
