"""What a distributed run needs before it starts: a broker, and a database every worker shares.

Kept apart from the Celery app so the command line can name the error without importing Celery.
"""

from __future__ import annotations

from agent.settings import Settings

BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "pyamqp", "sentinel")
"""The brokers Celery reaches through kombu that this product is tested on (and their kin)."""


class DistributedNotConfigured(ValueError):
    """A distributed run was asked for without what it needs; the message says what to set."""


def check_distributed(settings: Settings) -> None:
    """Raise DistributedNotConfigured unless a broker and a shared database are set."""
    scheme = (settings.broker_url or "").partition("://")[0].lower()
    if settings.broker_url and scheme not in BROKER_SCHEMES:
        raise DistributedNotConfigured(
            f"OUTREACH_BROKER_URL must be a Redis or RabbitMQ URL (redis://host:6379/0 or "
            f"amqp://user:password@host:5672//), not one starting {scheme + '://'!r}"
        )
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


def limits_warning(settings: Settings) -> str | None:
    """Say so when workers would keep their rate limits each on its own (no shared Redis)."""
    if settings.broker_url and not settings.redis_url:
        return (
            "OUTREACH_REDIS_URL is not set: each worker keeps the model, mailbox and host rate "
            "limits on its own, so N workers may go N times as fast; set it to share them"
        )
    return None


def broker_address(settings: Settings) -> str:
    """The broker's scheme and host, never its password."""
    scheme, _, rest = (settings.broker_url or "").partition("://")
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"
