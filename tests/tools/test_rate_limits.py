"""Rate limits: exact sliding windows, in one process and shared by processes through Redis."""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import time

import pytest

from tests.services import redis_url, unique
from tools.host_pacing import HostPacer
from tools.rate_limits import LocalRateLimiter, Rate, acquire
from tools.rate_limits.redis_limiter import RedisRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rates_are_whole_requests_per_window() -> None:
    assert Rate.per_second(2.0) == Rate(2, 1.0)
    assert Rate.per_second(0.5) == Rate(1, 2.0)
    assert Rate.gap(30) == Rate(1, 30)
    with pytest.raises(ValueError, match="at least one request"):
        Rate(0, 60)
    with pytest.raises(ValueError, match="longer than 0 seconds"):
        Rate(5, 0)


async def test_local_limiter_grants_the_cap_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = LocalRateLimiter(clock)
    rate = Rate(3, 10)
    assert [await limiter.try_acquire("mailbox:a", [rate]) for _ in range(3)] == [0, 0, 0]
    clock.now += 4
    assert await limiter.try_acquire("mailbox:a", [rate]) == pytest.approx(6)
    assert await limiter.try_acquire("mailbox:b", [rate]) == 0  # keys are counted apart
    clock.now += 6  # the first send is now exactly a window old: still counted
    assert await limiter.try_acquire("mailbox:a", [rate]) > 0
    clock.now += 0.01
    assert await limiter.try_acquire("mailbox:a", [rate]) == 0


async def test_every_rate_must_have_room_and_a_refusal_takes_no_slot() -> None:
    clock = Clock()
    limiter = LocalRateLimiter(clock)
    burst, hourly = Rate(2, 1), Rate(3, 3600)
    assert await limiter.try_acquire("k", [burst, hourly]) == 0
    assert await limiter.try_acquire("k", [burst, hourly]) == 0
    assert await limiter.try_acquire("k", [burst, hourly]) > 0  # the burst is full
    clock.now += 1.5
    assert await limiter.try_acquire("k", [burst, hourly]) == 0
    clock.now += 1.5
    wait = await limiter.try_acquire("k", [burst, hourly])  # the hour is full now
    assert wait == pytest.approx(3600 - 3)


async def test_redis_limiter_keeps_the_same_windows() -> None:
    limiter = RedisRateLimiter(redis_url(), prefix=unique("outreach-test") + ":")
    try:
        rate = Rate(3, 10)
        grants = [await limiter.try_acquire("mailbox:a", [rate]) for _ in range(3)]
        assert grants == [0, 0, 0]
        wait = await limiter.try_acquire("mailbox:a", [rate])
        assert 9 < wait <= 10
        assert await limiter.try_acquire("mailbox:b", [rate]) == 0
        assert await limiter.try_acquire("mailbox:a", [Rate(4, 10)]) == 0  # another rule
    finally:
        await limiter.aclose()


def _hammer(url: str, prefix: str, seconds: float, out: multiprocessing.Queue[list[float]]) -> None:
    """One worker process: take slots as fast as the shared limit allows, for `seconds`."""

    async def go() -> list[float]:
        limiter = RedisRateLimiter(url, prefix=prefix)
        granted: list[float] = []
        stop = time.time() + seconds
        try:
            while time.time() < stop:
                await acquire(limiter, "mailbox:one@brightpath.example", [Rate(4, 1.0)])
                if time.time() < stop:
                    granted.append(time.time())
        finally:
            await limiter.aclose()
        return granted

    out.put(asyncio.run(go()))


def test_four_processes_never_exceed_one_shared_cap() -> None:
    """Four processes hammering one key get 4 slots a second between them, not 4 each."""
    url, prefix = redis_url(), unique("outreach-test") + ":"
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[list[float]] = context.Queue()
    workers = [context.Process(target=_hammer, args=(url, prefix, 2.5, out)) for _ in range(4)]
    for worker in workers:
        worker.start()
    granted = sorted(t for _ in workers for t in out.get(timeout=60))
    for worker in workers:
        worker.join(timeout=30)
    # 2.5 s of 4-per-second windows: at most 3 windows' worth (12), and the limit did grant.
    assert 4 <= len(granted) <= 12
    # No 5 grants inside any second (less 0.1 s for the gap between Redis and the clock read).
    assert all(granted[i + 4] - granted[i] >= 0.9 for i in range(len(granted) - 4))


async def test_two_pacers_sharing_redis_keep_one_gap_per_host() -> None:
    """Two workers' research fetchers start requests to one host at least the gap apart."""
    url, prefix = redis_url(), unique("outreach-test") + ":"
    limiters = [RedisRateLimiter(url, prefix=prefix) for _ in range(2)]
    pacers = [HostPacer(concurrency=4, delay_s=0.2, shared=limiter) for limiter in limiters]
    starts: list[float] = []

    async def fetch(pacer: HostPacer) -> None:
        async with pacer.slot("news.example"):
            starts.append(time.monotonic())

    try:
        await asyncio.gather(*(fetch(pacers[i % 2]) for i in range(6)))
    finally:
        for limiter in limiters:
            await limiter.aclose()
    starts.sort()
    assert all(b - a >= 0.15 for a, b in itertools.pairwise(starts))
