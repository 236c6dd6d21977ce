"""What a batch's leads share from their campaign's records, read once and again when old.

A batch's leads all need their campaign's learning, segments and sent messages; reading them
per lead would repeat the same queries hundreds of times. One read serves every lead that
starts within `max_age_s` of it; after that the next lead reads again, so a long-lived
pipeline (the sequence scheduler of an API server or a worker) sees a learning reset, new
reviewer edits or changed segment rules within minutes, not at its next restart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_AGE_S = 120.0
"""How long one read of a campaign's records serves the leads that follow it."""


@dataclass
class CampaignReads(Generic[T]):
    """One value per campaign name, read by `read` and shared until it is `max_age_s` old."""

    read: Callable[[str], Awaitable[T]]
    max_age_s: float = MAX_AGE_S
    clock: Callable[[], float] = time.monotonic
    _values: dict[str, tuple[float, T]] = field(default_factory=dict)
    _reading: asyncio.Lock = field(default_factory=asyncio.Lock)

    def _fresh(self, campaign: str) -> tuple[float, T] | None:
        held = self._values.get(campaign)
        return held if held is not None and self.clock() - held[0] < self.max_age_s else None

    async def get(self, campaign: str) -> T:
        """Return the campaign's value, reading it when there is none or it is too old."""
        if (held := self._fresh(campaign)) is not None:
            return held[1]
        async with self._reading:  # leads that start together wait for one read
            if (held := self._fresh(campaign)) is None:
                held = (self.clock(), await self.read(campaign))
                self._values[campaign] = held
        return held[1]
