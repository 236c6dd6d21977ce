"""Schema migrations with Alembic, and the guard that refuses an unmigrated database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

SCRIPTS = Path(__file__).resolve().parent / "alembic"


class DatabaseNotMigrated(Exception):
    """The database schema is older (or newer) than this code; the message says what to run."""


def alembic_config() -> Config:
    """Return an Alembic config pointing at our migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    return config


def head_revision() -> str:
    """Return the newest migration this code ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def _upgrade(connection: Connection, target: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, target)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def upgrade(engine: AsyncEngine, target: str = "head") -> str | None:
    """Apply migrations up to target; return the revision now current."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, target)
        return await connection.run_sync(_current)


async def current_revision(engine: AsyncEngine) -> str | None:
    """Return the database's revision (None for an empty database)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def ensure_migrated(engine: AsyncEngine) -> None:
    """Refuse to run on a database whose schema does not match this code."""
    current = await current_revision(engine)
    head = head_revision()
    if current == head:
        return
    where = engine.url.render_as_string(hide_password=True)
    state = "has no schema yet" if current is None else f"is at revision {current}, not {head}"
    raise DatabaseNotMigrated(f"the database {where} {state}: run `outreach db upgrade` first")
