"""Choose among phrasings deterministically: the same lead and facts always get the same words.

A message's wording varies from lead to lead, never from run to run: each choice hashes what
the writer knows about the lead (its name, the facts it cites, the tone) with the name of the
slot being filled, so reruns, evals and cached generations stay reproducible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def stable_index(count: int, *parts: str) -> int:
    """Return an index below count chosen by hashing parts (0 when count is 0 or 1)."""
    if count <= 1:
        return 0
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def rotated(options: Sequence[T], *parts: str) -> list[T]:
    """Return options starting at the one parts choose, the others after it in order.

    The first is the choice; the rest are fallbacks, tried when the choice does not fit (a text
    over its segment, a phrasing that repeats an earlier sentence).
    """
    start = stable_index(len(options), *parts)
    return [*options[start:], *options[:start]]


def pick(options: Sequence[T], *parts: str) -> T:
    """Return the option parts choose (options must not be empty)."""
    return options[stable_index(len(options), *parts)]
