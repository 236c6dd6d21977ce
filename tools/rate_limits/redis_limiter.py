"""Sliding-window rate limits in Redis: every worker that names the same Redis shares them.

One Lua script checks every rate of a request and records it under all of them in a single
step, on the Redis server's clock, so two workers can never both take the last slot and their
own clocks never matter.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from tools.rate_limits.rates import Rate

# KEYS: one sorted set per rate. ARGV: a unique member, then (limit, window in µs) per key.
# Returns 0 when the request was recorded under every rate, else the µs until one may free.
SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local edge = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local free = tonumber(edge[2]) + window - now + 1
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, math.floor(tonumber(ARGV[2 * i + 1]) / 1000) + 1000)
end
return 0
"""


def _keys_and_args(prefix: str, key: str, rates: Sequence[Rate]) -> tuple[list[str], list[Any]]:
    # One hash tag per request: its keys stay together should the Redis be a cluster.
    keys = [f"{prefix}{{{key}}}|{rate.limit}/{rate.per_s:g}s" for rate in rates]
    args: list[Any] = [uuid.uuid4().hex]
    for rate in rates:
        args += [rate.limit, round(rate.per_s * 1_000_000)]
    return keys, args


class RedisRateLimiter:
    """Rate limits shared through one Redis server (redis://host:port/db)."""

    def __init__(self, url: str, *, prefix: str = "outreach:rate:") -> None:
        from redis.asyncio import Redis  # imported here: the embedded default never needs it

        self.url = url
        self.prefix = prefix
        self._redis = Redis.from_url(url)
        self._script = self._redis.register_script(SLIDING_WINDOW)

    async def try_acquire(self, key: str, rates: Sequence[Rate]) -> float:
        """Take a slot under every rate now (return 0), or none (return seconds to wait)."""
        if not rates:
            return 0.0
        keys, args = _keys_and_args(self.prefix, key, rates)
        wait_us = int(await self._script(keys=keys, args=args))
        return wait_us / 1_000_000

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


class SyncRedisRateLimiter:
    """The same limits for synchronous callers (a model client's blocking invoke)."""

    def __init__(self, url: str, *, prefix: str = "outreach:rate:") -> None:
        from redis import Redis

        self.prefix = prefix
        self._redis = Redis.from_url(url)
        self._script = self._redis.register_script(SLIDING_WINDOW)

    def try_acquire(self, key: str, rates: Sequence[Rate]) -> float:
        """Take a slot under every rate now (return 0), or none (return seconds to wait)."""
        if not rates:
            return 0.0
        keys, args = _keys_and_args(self.prefix, key, rates)
        return int(self._script(keys=keys, args=args)) / 1_000_000

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()
