"""A shared service being away: the run's infrastructure failing, not the lead.

The database and Redis (the shared rate limits) going away mid-lead is nothing wrong with the
lead, so such a failure must not be stored as the lead's outcome (held for a person, "delivery
failed"). The nodes that turn a failure into an outcome (a model call, a send) let these pass;
a worker's task then fails and Celery tries it again with a back-off until the service is back
(agent/workers/lead_task.py), the lead continuing from its last checkpoint while the delivery
ledger still lets each send out once.
"""

from __future__ import annotations

import asyncpg
import psycopg
import redis.exceptions
import sqlalchemy.exc

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,  # Redis down, refused or reset
    redis.exceptions.TimeoutError,
    sqlalchemy.exc.OperationalError,  # the database down or restarting (SQLAlchemy's wrapping)
    sqlalchemy.exc.InterfaceError,
    psycopg.OperationalError,  # the checkpointer's own connections (and its pool timing out)
    psycopg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,  # the server starting up or recovering
    asyncpg.AdminShutdownError,  # ... shutting down
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)

_DEPTH = 8
"""How far down the chain of causes to look (a library's error wrapping the driver's)."""


def is_service_outage(error: BaseException, *, follow_context: bool = True) -> bool:
    """Whether `error`, or an error it was raised from, is the database or Redis being away.

    follow_context=False looks only at what it was raised from (`raise ... from`), not at an
    error it was raised while handling (an earlier, other failure)."""
    current: BaseException | None = error
    for _ in range(_DEPTH):
        if current is None:
            return False
        if isinstance(current, OUTAGE_ERRORS):
            return True
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated:
            return True  # the connection was lost under the statement
        if isinstance(current, BaseExceptionGroup):
            return any(
                is_service_outage(inner, follow_context=follow_context)
                for inner in current.exceptions
            )
        current = current.__cause__ or (current.__context__ if follow_context else None)
    return False
