"""Engines and sessions for the configured database (SQLite by default, PostgreSQL at scale)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from storage.migrations import prepare_schema
from storage.sqlite_driver import one_hop_dbapi, rollback_if_open


def default_database_url(data_dir: Path) -> str:
    """Return the embedded default: a SQLite file in the data directory."""
    return f"sqlite+aiosqlite:///{(data_dir / 'outreach.db').resolve()}"


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # First, so that even switching a new file to WAL waits for another process's lock.
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL lets readers (a reviewer, the API) work while a batch writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL survives any process crash; only an OS crash can lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_file(url: str) -> str:
    """Return a SQLite URL's file (its folder created), or ":memory:"."""
    database = make_url(url).database or ":memory:"
    if database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    return database


def open_engine(url: str, **options: Any) -> AsyncEngine:
    """Create an async engine; SQLite files get their folder, WAL mode and foreign keys."""
    if url.startswith("sqlite"):
        sqlite_file(url)
        if url.startswith("sqlite+aiosqlite") and (module := one_hop_dbapi()) is not None:
            options = {"module": module, "pool_reset_on_return": None, **options}
        engine = create_async_engine(url, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if options.get("pool_reset_on_return", "rollback") is None:
            event.listen(engine.sync_engine, "reset", rollback_if_open)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **options)


def session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return the session factory repositories use."""
    return async_sessionmaker(engine, expire_on_commit=False)


@dataclass
class Database:
    """An open, migrated database: the engine, its sessions, and the lock writers share."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Serializes this process's write transactions (SQLite has a single writer)."""

    @classmethod
    def open(cls, url: str) -> Database:
        """Create the engine (no connection is made until first use)."""
        engine = open_engine(url)
        return cls(engine=engine, sessions=session_maker(engine))

    @classmethod
    async def connect(cls, url: str, *, migrate: bool = False) -> Database:
        """Open the database and check its schema (see prepare)."""
        db = cls.open(url)
        try:
            await db.prepare(migrate=migrate)
        except BaseException:
            await db.close()
            raise
        return db

    async def prepare(self, *, migrate: bool = False) -> None:
        """Bring the schema up to this code's, or refuse it (DatabaseNotMigrated says why).

        A SQLite file is created or upgraded here, so no command needs a setup step; a
        PostgreSQL database is upgraded only with migrate=True (`outreach db upgrade`, the demo).
        """
        await prepare_schema(self.engine, migrate=migrate)

    @property
    def url(self) -> str:
        """Return the database URL without its password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    async def close(self) -> None:
        """Release the connection pool."""
        await self.engine.dispose()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
