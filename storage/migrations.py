"""Schema migrations with Alembic: who applies them, one process at a time, and the guard."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

SCRIPTS = Path(__file__).resolve().parent / "alembic"
# Any fixed key works: it only has to be the same in every process migrating one database.
POSTGRES_MIGRATION_LOCK = 0x6F757472_6D696772
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class DatabaseNotMigrated(Exception):
    """The database schema is older (or newer) than this code; the message says what to run."""


def alembic_config() -> Config:
    """Return an Alembic config pointing at our migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    return config


@cache
def head_revision() -> str:
    """Return the newest migration this code ships (read once a process: every Database.connect
    asks, and reading the scripts costs about 10 ms of CPU)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


@cache
def known_revisions() -> frozenset[str]:
    """Return every revision this code ships."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return frozenset(s.revision for s in scripts.walk_revisions())


def migrates_on_open(engine: AsyncEngine) -> bool:
    """Tell whether opening this database applies migrations without being asked.

    An embedded SQLite file belongs to this program, so it is kept at the code's schema; a
    PostgreSQL database is shared, and migrating it is an operator's decision.
    """
    return engine.dialect.name == "sqlite"


def _describe(bind: AsyncEngine | Connection) -> str:
    backend = BACKENDS.get(bind.dialect.name, bind.dialect.name)
    url = bind.engine.url if isinstance(bind, Connection) else bind.url
    return f"the {backend} database {url.render_as_string(hide_password=True)}"


def _from_newer_code(where: str, current: str) -> DatabaseNotMigrated:
    return DatabaseNotMigrated(
        f"{where} is at revision {current}, which this version of Outreach Architect does not "
        f"know (its newest is {head_revision()}): a newer version migrated it; upgrade "
        "Outreach Architect to use this database"
    )


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection, target: str) -> None:
    if connection.dialect.name == "postgresql":
        # Held until commit: a second process waits, then finds the schema already at head.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_MIGRATION_LOCK})")
    current = _current(connection)
    if current is not None and current not in known_revisions():
        raise _from_newer_code(_describe(connection), current)
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, target)


@contextlib.asynccontextmanager
async def _one_migration_at_a_time(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """Yield a connection in a transaction that commits (or rolls back) the whole upgrade."""
    if engine.dialect.name != "sqlite":
        async with engine.begin() as connection:
            yield connection
        return
    async with engine.connect() as connection:
        # The SQLite driver begins transactions only before DML, so each CREATE TABLE would
        # commit alone: two processes upgrading a new file collide ("table already exists"),
        # and a crash leaves half a schema. BEGIN IMMEDIATE takes SQLite's write lock first
        # (the other process waits out busy_timeout) and makes the upgrade one transaction.
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            with contextlib.suppress(SQLAlchemyError):  # SQLite may have rolled back already
                await connection.exec_driver_sql("ROLLBACK")
            raise
        await connection.exec_driver_sql("COMMIT")


async def upgrade(engine: AsyncEngine, target: str = "head") -> str | None:
    """Apply migrations up to target, one process at a time; return the revision now current."""
    async with _one_migration_at_a_time(engine) as connection:
        await connection.run_sync(_upgrade, target)
        return await connection.run_sync(_current)


async def current_revision(engine: AsyncEngine) -> str | None:
    """Return the database's revision (None for an empty database)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def prepare_schema(engine: AsyncEngine, *, migrate: bool = False) -> None:
    """Bring a SQLite schema (any schema when migrate=True) to head; refuse any other mismatch."""
    current = await current_revision(engine)
    if current == head_revision():
        return  # the usual case needs no write lock
    if current is not None and current not in known_revisions():
        raise _from_newer_code(_describe(engine), current)
    if migrate or migrates_on_open(engine):
        await upgrade(engine)
    await ensure_migrated(engine)


async def ensure_migrated(engine: AsyncEngine) -> None:
    """Refuse to run on a database whose schema does not match this code."""
    current = await current_revision(engine)
    head = head_revision()
    if current == head:
        return
    where = _describe(engine)
    if current is not None and current not in known_revisions():
        raise _from_newer_code(where, current)
    state = "has no schema yet" if current is None else f"is at revision {current}, not {head}"
    hint = "run `outreach db upgrade`"
    if not migrates_on_open(engine):
        backend = BACKENDS.get(engine.dialect.name, engine.dialect.name)
        hint += f" (migrations on {backend} are applied only on request)"
    raise DatabaseNotMigrated(f"{where} {state}: {hint}")
