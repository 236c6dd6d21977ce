"""One process per run: a lock the operating system or database drops when its holder dies.

SQLite: an exclusive `flock` on a file beside the database. PostgreSQL: a session advisory
lock on a dedicated connection. Either is released by a crash (even SIGKILL), so a killed run
can be resumed at once while a live one cannot be picked up twice.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text

from storage.database import Database


class RunBusy(Exception):
    """Another process is working on this run."""


def _lock_number(run_id: str) -> int:
    digest = hashlib.sha256(f"outreach-run:{run_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@asynccontextmanager
async def hold_run(db: Database, run_id: str) -> AsyncIterator[None]:
    """Hold the run's lock for the duration; raise RunBusy if another process holds it."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        database = Path(url.database or "outreach.db")
        path = database.with_name(f"{database.name}.run-{run_id}.lock")
        with path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RunBusy(f"run {run_id} is being worked on by another process") from None
            try:
                yield
            finally:
                path.unlink(missing_ok=True)
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    # Autocommit: the lock is held by the session, not a transaction. An open transaction
    # held for a whole run would stall CREATE INDEX CONCURRENTLY (the checkpointer's setup).
    async with db.engine.connect() as connection:
        conn = await connection.execution_options(isolation_level="AUTOCOMMIT")
        key = {"key": _lock_number(run_id)}
        if not await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
            raise RunBusy(f"run {run_id} is being worked on by another process")
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)


async def run_is_busy(db: Database, run_id: str) -> bool:
    """Return whether another process holds the run's lock right now."""
    try:
        async with hold_run(db, run_id):
            return False
    except RunBusy:
        return True
