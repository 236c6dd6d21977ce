"""LangGraph checkpoints in the product's own database: SQLite saver or Postgres saver.

Every lead of a run is one thread, so a crash costs at most the node that was running, and a
lead paused for review waits in its checkpoint until a human acts.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import types
import typing
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel
from sqlalchemy.engine import make_url

from storage.database import sqlite_file


def thread_id(run_id: str, lead_key: str) -> str:
    """Return the checkpoint thread of one lead in one run."""
    return f"{run_id}:{lead_key}"


def _classes_in(annotation: Any) -> Iterable[type]:
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _classes_in(arg)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        yield annotation


def state_types(*roots: type) -> set[type]:
    """Return every pydantic model and enum reachable from the roots' fields."""
    found: set[type] = set()
    pending = list(roots)
    while pending:
        cls = pending.pop()
        if cls in found:
            continue
        found.add(cls)
        if issubclass(cls, BaseModel):
            for field in cls.model_fields.values():
                pending.extend(_classes_in(field.annotation))
    return found


def serializer(allowed: Iterable[type]) -> JsonPlusSerializer:
    """Return a serializer that revives only our own state types (no arbitrary classes)."""
    return JsonPlusSerializer(allowed_msgpack_modules=list(allowed))


def postgres_conninfo(url: str) -> str:
    """Turn a SQLAlchemy PostgreSQL URL (any driver) into a libpq connection string."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


SETUP_LOCK = 0x6F75_7472_6561_6368  # "outreach": the advisory lock around checkpoint setup


async def _try_lock(connection: Any) -> bool:
    row = await (
        await connection.execute("SELECT pg_try_advisory_lock(%s)", (SETUP_LOCK,))
    ).fetchone()
    return bool(row and next(iter(row.values())))


@asynccontextmanager
async def open_checkpointer(
    database_url: str, *, allowed_types: Iterable[type], pool_size: int = 8
) -> AsyncIterator[BaseCheckpointSaver[str]]:
    """Yield the checkpoint saver for the database the rest of the product uses."""
    serde = serializer(allowed_types)
    if database_url.startswith("sqlite"):
        from storage.sqlite_checkpoints import open_sqlite_saver

        saver_sqlite = await open_sqlite_saver(sqlite_file(database_url), serde=serde)
        try:
            yield saver_sqlite
        finally:
            await saver_sqlite.aclose()
        return
    if database_url.startswith("postgresql"):
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool

        async with AsyncConnectionPool(
            postgres_conninfo(database_url),
            max_size=pool_size,
            open=False,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        ) as pool:
            saver_pg = AsyncPostgresSaver(pool, serde=serde)  # type: ignore[arg-type]
            # Two processes starting together (two workers, a worker and the server) would
            # both create the checkpoint tables: a lock held across setup lets one do it.
            async with pool.connection() as lock:
                # Polled, not waited on: a session waiting inside pg_advisory_lock holds a
                # snapshot, which the setup's CREATE INDEX CONCURRENTLY would wait for.
                for _ in itertools.count():
                    if await _try_lock(lock):
                        break
                    await asyncio.sleep(0.05)
                try:
                    await saver_pg.setup()
                finally:
                    await lock.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK,))
            yield saver_pg
        return
    raise ValueError(f"no checkpoint saver for database {database_url.split(':', 1)[0]!r}")
