"""A mailbox's sending cap, counted across every worker, taken just before the provider call.

The dispatcher's schedule (send_schedule.py) decides from the database when a message may go;
this is the last word, kept in Redis when configured: a slot is taken only when the provider is
about to be called, so what the provider receives keeps the cap, not only what was planned.
"""

from __future__ import annotations

import datetime as dt

from agent.settings import Settings
from agent.shared_limits import mailbox_rates, rate_limiter


class MailboxPacer:
    """At most `send_mailbox_cap` sends per window from one mailbox (and, across workers, the
    gap between two), however many processes send."""

    def __init__(self, settings: Settings) -> None:
        self.rates = mailbox_rates(settings, shared=bool(settings.redis_url))
        self.limiter = rate_limiter(settings) if self.rates else None

    async def wait_before(self, mailbox: str) -> dt.timedelta | None:
        """Take a slot for one send now (None), or say how long until one may be free."""
        if self.limiter is None:
            return None
        wait = await self.limiter.try_acquire(f"mailbox:{mailbox.lower()}", self.rates)
        return dt.timedelta(seconds=wait) if wait > 0 else None

    async def aclose(self) -> None:
        """Let go of the shared limiter's connections."""
        if self.limiter is not None:
            await self.limiter.aclose()
