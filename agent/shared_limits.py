"""The rate limits a process keeps with its fellow workers, built from settings.

With OUTREACH_REDIS_URL every worker counts against the same windows in Redis; without it the
limits hold within this process, which is all the embedded default runs.
"""

from __future__ import annotations

import asyncio
import time

from langchain_core.rate_limiters import BaseRateLimiter

from agent.settings import Settings
from tools.rate_limits import LocalRateLimiter, Rate, RateLimiter
from tools.rate_limits.rates import MAX_WAIT_S
from tools.rate_limits.redis_limiter import RedisRateLimiter, SyncRedisRateLimiter


class SharedLimitsUnavailable(Exception):
    """The shared limits' Redis (OUTREACH_REDIS_URL, or a Redis broker's) does not answer; the
    message says where and which setting named it."""


async def check_shared_limits(settings: Settings) -> None:
    """Raise SharedLimitsUnavailable unless the configured Redis answers: a run without its
    shared limits would go faster than they allow, and its research would fail lead by lead."""
    if not settings.redis_url:
        return
    from redis.asyncio import Redis

    client = Redis.from_url(settings.redis_url, socket_connect_timeout=5)
    try:
        await client.ping()
    except Exception as exc:  # connection refused, DNS, auth: all say the same to the user
        where = settings.redis_url.rsplit("@", 1)[-1]
        if settings.redis_from_broker:
            raise SharedLimitsUnavailable(
                f"the broker's Redis at {where} (OUTREACH_BROKER_URL), which also holds the "
                f"shared rate limits, does not answer ({exc}); start it, or name another "
                "Redis for the limits with OUTREACH_REDIS_URL"
            ) from None
        raise SharedLimitsUnavailable(
            f"OUTREACH_REDIS_URL is set but Redis at {where} does not answer ({exc}); start "
            "it, or unset OUTREACH_REDIS_URL to keep rate limits within each process"
        ) from None
    finally:
        await client.aclose()


def rate_limiter(settings: Settings) -> RateLimiter:
    """Return the shared limiter (Redis) when one is configured, else a per-process one."""
    if settings.redis_url:
        return RedisRateLimiter(settings.redis_url)
    return LocalRateLimiter()


def shared_rate_limiter(settings: Settings) -> RateLimiter | None:
    """Return the Redis limiter when one is configured: rules the database already enforces
    for one process (a mailbox's gap) need it only across processes."""
    return RedisRateLimiter(settings.redis_url) if settings.redis_url else None


def mailbox_rates(settings: Settings, *, shared: bool) -> list[Rate]:
    """Return the rates one mailbox sends under: its cap per window, and across workers its gap
    (one process already keeps the gap from the database's record of its last send)."""
    rates: list[Rate] = []
    if settings.send_mailbox_cap:
        rates.append(Rate(settings.send_mailbox_cap, settings.send_mailbox_window_s))
    if shared and settings.send_min_gap_s > 0:
        rates.append(Rate.gap(settings.send_min_gap_s))
    return rates


def model_key(settings: Settings) -> str:
    """Return the limiter key of the model endpoint: one budget per endpoint and model."""
    return f"model:{settings.llm_base_url or 'api.openai.com'}:{settings.llm_model}"


class SharedModelRateLimiter(BaseRateLimiter):
    """A chat model's request rate, counted in Redis across every worker."""

    def __init__(self, url: str, key: str, rate: Rate) -> None:
        self.key = key
        self.rate = rate
        self._async = RedisRateLimiter(url)
        self._sync: SyncRedisRateLimiter | None = None
        self._url = url

    def acquire(self, *, blocking: bool = True) -> bool:
        """Take a request slot, waiting for one unless blocking is False."""
        if self._sync is None:
            self._sync = SyncRedisRateLimiter(self._url)
        while (wait := self._sync.try_acquire(self.key, [self.rate])) > 0:
            if not blocking:
                return False
            time.sleep(min(wait, MAX_WAIT_S))
        return True

    async def aacquire(self, *, blocking: bool = True) -> bool:
        """Take a request slot, waiting for one unless blocking is False."""
        while (wait := await self._async.try_acquire(self.key, [self.rate])) > 0:
            if not blocking:
                return False
            await asyncio.sleep(min(wait, MAX_WAIT_S))
        return True

    async def aclose(self) -> None:
        """Close the Redis connections."""
        await self._async.aclose()
        if self._sync is not None:
            self._sync.close()
