"""Sliding-window rate limits inside one process: the embedded default, no Redis needed."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence

from tools.rate_limits.rates import Rate


class LocalRateLimiter:
    """Exact sliding windows per (key, rate), on this process's monotonic clock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._starts: dict[tuple[str, Rate], deque[float]] = {}

    async def try_acquire(self, key: str, rates: Sequence[Rate]) -> float:
        """Take a slot under every rate now (return 0), or none (return seconds to wait)."""
        now = self._clock()
        wait = 0.0
        for rate in rates:
            starts = self._starts.setdefault((key, rate), deque())
            while starts and starts[0] < now - rate.per_s:
                starts.popleft()
            if len(starts) >= rate.limit:
                # A start exactly a window old still counts: the window is closed at both ends.
                wait = max(wait, starts[len(starts) - rate.limit] + rate.per_s - now, 1e-6)
        if wait > 0:
            return wait
        for rate in rates:
            self._starts[(key, rate)].append(now)
        return 0.0

    async def aclose(self) -> None:
        """Nothing to let go of."""
