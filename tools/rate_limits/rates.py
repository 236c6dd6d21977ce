"""What a rate limit is, and the one interface both limiters keep."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Rate:
    """At most `limit` requests in any window of `per_s` seconds (a sliding window, exact)."""

    limit: int
    per_s: float

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError(f"a rate allows at least one request, not {self.limit}")
        if not self.per_s > 0:
            raise ValueError(f"a rate's window must be longer than 0 seconds, not {self.per_s}")

    @classmethod
    def per_second(cls, requests: float) -> Rate:
        """Return `requests` a second as a whole number of requests per window (0.5 → 1 in 2 s)."""
        if not requests > 0:
            raise ValueError(f"a rate must allow more than 0 requests a second, not {requests}")
        limit = max(1, math.floor(requests))
        return cls(limit, limit / requests)

    @classmethod
    def gap(cls, seconds: float) -> Rate:
        """Return one request per `seconds`: at least that long between two starts."""
        return cls(1, seconds)

    def describe(self) -> str:
        """Say the rate in words, for logs and errors."""
        return f"{self.limit} per {self.per_s:g} s"


class RateLimiter(Protocol):
    """Grants requests on a key while every rate has room; shared or local, the same promise."""

    async def try_acquire(self, key: str, rates: Sequence[Rate]) -> float:
        """Take a slot under every rate now and return 0, or take none and return the seconds
        until one may free up (ask again then)."""
        ...

    async def aclose(self) -> None:
        """Let go of connections."""
        ...


MAX_WAIT_S = 5.0
"""The longest single sleep between two asks: a slot freed early by a lapsed window is seen soon."""


async def acquire(limiter: RateLimiter, key: str, rates: Sequence[Rate]) -> None:
    """Wait until the limiter grants a slot on the key under every rate."""
    if not rates:
        return
    while True:
        wait = await limiter.try_acquire(key, rates)
        if wait <= 0:
            return
        await asyncio.sleep(min(wait, MAX_WAIT_S))  # polled: the slot frees in another process
