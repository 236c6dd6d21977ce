"""Be polite per host: a cap on parallel requests and a minimum gap between them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from tools.rate_limits import Rate, RateLimiter, acquire


@dataclass
class _HostState:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_start: float = float("-inf")


class HostPacer:
    """Limit concurrent requests and space their starts, separately for every host."""

    def __init__(
        self, concurrency: int = 2, delay_s: float = 0.0, shared: RateLimiter | None = None
    ) -> None:
        self.concurrency = concurrency
        self.delay_s = delay_s
        self.shared = shared
        """Keeps the gap across every worker (Redis); the slots stay this process's own."""
        self._hosts: dict[str, _HostState] = {}

    @asynccontextmanager
    async def slot(self, host: str, min_delay_s: float = 0.0) -> AsyncIterator[None]:
        """Wait for a free slot and the host's gap (at least min_delay_s), then hold the slot."""
        state = self._hosts.setdefault(host, _HostState(asyncio.Semaphore(self.concurrency)))
        delay = max(self.delay_s, min_delay_s)
        async with state.slots:
            if self.shared is not None and delay > 0:
                await acquire(self.shared, f"host:{host}", [Rate.gap(delay)])
                yield
                return
            async with state.lock:
                wait = state.last_start + delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.last_start = time.monotonic()
            yield
