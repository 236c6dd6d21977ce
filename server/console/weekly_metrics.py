"""A campaign's weekly metrics, worked out once for its page and for the plot the page embeds.

segment_metrics counts the campaign's leads in SQL: about 0.4 s of CPU at a million engagement
events (benchmarks/console_campaign_page.py). The page shows its weekly table and then the
browser asks for the plot of the same figures; without this, the work was done twice per view.
A result is reused only while nothing it counts has moved: no newer event or message in the
campaign, the campaign row unchanged, the same day, and for at most TTL_S seconds (a lead's
title edited by hand bumps none of those, so that is how long such an edit can take to show).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.segment_metrics import DEFAULT_WEEKS, segment_metrics
from storage.models import CampaignRow, EventRow, MessageRow

TTL_S = 60.0
MAX_CAMPAIGNS = 16
"""How many campaigns' results are kept (the least recently shown is dropped first)."""


@dataclass(frozen=True)
class _Kept:
    stamp: tuple[Any, ...]
    at: float
    weekly: dict[str, Any]


async def _stamp(session: AsyncSession, campaign: CampaignRow, until: dt.date) -> tuple[Any, ...]:
    """What changes whenever the campaign's weekly figures may have: two index lookups."""
    newest_event = await session.scalar(
        select(func.max(EventRow.id)).where(EventRow.campaign_id == campaign.id)
    )
    newest_message = await session.scalar(
        select(func.max(MessageRow.id)).where(MessageRow.campaign_id == campaign.id)
    )
    settings = json.dumps(campaign.settings, sort_keys=True, default=str)
    return (newest_event, newest_message, campaign.updated_at, settings, until)


class WeeklyMetrics:
    """The weekly metrics of recently shown campaigns, each worked out by one request at once."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._kept: OrderedDict[int, _Kept] = OrderedDict()
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def of(
        self, session: AsyncSession, campaign: CampaignRow, *, until: dt.date
    ) -> dict[str, Any]:
        """Return segment_metrics for the campaign's last DEFAULT_WEEKS weeks up to `until`."""
        lock = self._locks.get(campaign.id)
        if lock is None:
            lock = self._locks[campaign.id] = asyncio.Lock()
        async with lock:  # a page and its plot asked at once: the second waits, then reuses
            stamp = await _stamp(session, campaign, until)
            kept = self._kept.get(campaign.id)
            if kept is not None and kept.stamp == stamp and self._clock() - kept.at < TTL_S:
                self._kept.move_to_end(campaign.id)
                return kept.weekly
            weekly = await segment_metrics(
                session,
                campaign,
                weeks=DEFAULT_WEEKS,
                until=until,
                offload=run_in_threadpool,  # placing leads and counting: off the loop
            )
            self._kept[campaign.id] = _Kept(stamp, self._clock(), weekly)
            self._kept.move_to_end(campaign.id)
            while len(self._kept) > MAX_CAMPAIGNS:
                self._kept.popitem(last=False)
            return weekly
