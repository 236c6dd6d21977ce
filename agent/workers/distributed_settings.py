"""What a distributed run needs before it starts: a broker, and a database every worker shares.

Kept apart from the Celery app so the command line can name the error without importing Celery.
"""

from __future__ import annotations

from agent.settings import Settings


class DistributedNotConfigured(ValueError):
    """A distributed run was asked for without what it needs; the message says what to set."""


def check_distributed(settings: Settings) -> None:
    """Raise DistributedNotConfigured unless a broker and a shared database are set."""
    if not settings.broker_url:
        raise DistributedNotConfigured(
            "a distributed run needs a broker: set OUTREACH_BROKER_URL (e.g. "
            "redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//) and start "
            "`outreach worker` on each machine"
        )
    if not settings.database.startswith("postgresql"):
        raise DistributedNotConfigured(
            "a distributed run needs a database every worker shares: set "
            "OUTREACH_DATABASE_URL to PostgreSQL (e.g. "
            "postgresql+asyncpg://user@db-host/outreach); the SQLite file is this machine's own"
        )
