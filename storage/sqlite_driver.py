"""SQLite through aiosqlite with one thread hop per statement instead of four, and none for a
pool reset that has nothing to undo.

aiosqlite runs each SQLite call on its own thread and hands the result back to the event loop.
SQLAlchemy's aiosqlite adapter makes four such calls per statement (open a cursor, execute,
fetch the rows, close the cursor), and each costs a queue put, a future, a wake-up of the loop
and a context switch: about 90 µs of CPU in all, several times SQLite's own work for the small
statements a run writes (some twenty per lead). The cursor here does the four steps in one
call on the connection's thread and keeps what SQLAlchemy reads afterwards (the rows, the
description, the row count, the last row id) as plain values.

A connection going back to the pool is rolled back by default, committed or not: one more
hop per transaction. `rollback_if_open` (the pool's reset event, with `pool_reset_on_return`
None) rolls back only when SQLite says a transaction is open, which is the case the default
guards against (a connection given back mid-transaction after an error).

The engine gets the cursor through `create_async_engine(module=...)`, SQLAlchemy's documented way to
hand a dialect another DBAPI module; everything else (pooling, isolation, errors, server-side
cursors) is SQLAlchemy's own aiosqlite adapter. It relies on `aiosqlite.Connection._execute`,
the method aiosqlite's own public calls are built on; without it the stock adapter is used.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, PoolResetState
from sqlalchemy.util import EMPTY_DICT

_Outcome = tuple[Any, list[Any], int, int | None]
"""What one statement left behind: description, rows, row count and last row id."""


def _run_statement(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> _Outcome:
    """Run one statement to the end on the connection's own thread."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A client-side cursor whose statement runs, and is read, in one call to the thread."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        # Nothing is opened here: the statement's own call opens and closes a cursor.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1  # sqlite3's default, read by fetchmany()

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]  # None before an INSERT, as sqlite3

    async def _async_soft_close(self) -> None:
        """Nothing to close: the statement's cursor closed on the thread."""

    def close(self) -> None:
        self._rows.clear()

    async def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        async with self._adapt_connection._execute_mutex:
            outcome: _Outcome = await connection._execute(
                _run_statement, connection._conn, operation, parameters, many
            )
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._run(operation, parameters, False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> None:
        await self._run(operation, seq_of_parameters, True)


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The aiosqlite DBAPI adapter, with connections whose cursors take one hop a statement."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        return _OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> AsyncAdapt_aiosqlite_dbapi | None:
    """Return the DBAPI module for `create_async_engine(module=...)`, or None (stock adapter)
    if this aiosqlite lacks the call it is built on."""
    if not hasattr(aiosqlite.Connection, "_execute"):
        return None
    return OneHopDBAPI(aiosqlite, sqlite3)


def rollback_if_open(
    dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, state: PoolResetState
) -> None:
    """Reset a connection going back to the pool: roll back what is still open, if anything.

    For the pool's "reset" event, with `pool_reset_on_return=None` (the event then does the
    reset the pool would have done unconditionally)."""
    if state.terminate_only or not state.asyncio_safe:
        return  # closed rather than reused, or no loop to roll back on: as the pool does
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is None or getattr(driver, "in_transaction", True):
        dbapi_connection.rollback()
