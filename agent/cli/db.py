"""`outreach db`: create or migrate the database schema, and show its revision."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from agent.cli.errors import fail
from agent.settings import Settings
from storage.database import Database
from storage.migrations import DatabaseNotMigrated

db_app = typer.Typer(help="Database schema: apply migrations, show the current revision.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to this version of the code."""
    from storage.migrations import upgrade

    async def go() -> tuple[str, str | None]:
        async with _database() as db:
            return db.url, await upgrade(db.engine)

    try:
        where, revision = asyncio.run(go())
    except DatabaseNotMigrated as exc:  # migrated by a newer version: nothing to apply
        raise fail(str(exc)) from None
    Console().print(f"Database {where} is at revision {revision}.", highlight=False)


@db_app.command("current")
def db_current() -> None:
    """Show the database's schema revision and whether it needs an upgrade."""
    from storage.migrations import current_revision, head_revision, known_revisions

    async def go() -> tuple[str, str | None]:
        async with _database() as db:
            return db.url, await current_revision(db.engine)

    (where, current), head = asyncio.run(go()), head_revision()
    state = "up to date" if current == head else "needs `outreach db upgrade`"
    if current not in (None, *known_revisions()):
        state = "from a newer version of Outreach Architect: upgrade it to use this database"
    Console().print(
        f"{where}: revision {current or 'none'} (code: {head}) - {state}", highlight=False
    )


def _database() -> Database:
    """The configured database, unchecked (for the commands that manage its schema)."""

    return Database.open(Settings().database)
