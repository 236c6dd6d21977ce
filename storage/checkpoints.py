"""LangGraph checkpoints in the product's own database: SQLite saver or Postgres saver.

Every lead of a run is one thread, so a crash costs at most the node that was running, and a
lead paused for review waits in its checkpoint until a human acts.
"""

from __future__ import annotations

import enum
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
from storage.threaded_checkpoints import (
    ThreadedPostgresSaver,
    ThreadedSqliteSaver,
    open_postgres_saver,
    open_sqlite_saver,
)


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


@asynccontextmanager
async def open_checkpointer(
    database_url: str, *, allowed_types: Iterable[type], pool_size: int = 8
) -> AsyncIterator[BaseCheckpointSaver[str]]:
    """Yield the checkpoint saver for the database the rest of the product uses."""
    serde = serializer(allowed_types)
    saver: ThreadedSqliteSaver | ThreadedPostgresSaver
    if database_url.startswith("sqlite"):
        saver = await open_sqlite_saver(sqlite_file(database_url), serde=serde)
    elif database_url.startswith("postgresql"):
        saver = await open_postgres_saver(
            postgres_conninfo(database_url), serde=serde, pool_size=pool_size
        )
    else:
        raise ValueError(f"no checkpoint saver for database {database_url.split(':', 1)[0]!r}")
    try:
        yield saver
    finally:
        await saver.aclose()
