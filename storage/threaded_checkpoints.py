"""LangGraph checkpoints in a SQLite file, each saver call one trip to the saver's own thread.

LangGraph's async SQLite saver goes through aiosqlite, which makes every SQLite call (open a
cursor, execute, fetch, commit, close) its own trip from the event loop to aiosqlite's thread
and back: some thirty trips per lead, each a queue, a future and a wake-up of the loop. Its
synchronous saver (`SqliteSaver`, same package, same tables) does a whole read or write in one
call; run on one dedicated thread, each async call here is one trip, and reading and
deserializing a checkpoint happen off the event loop.

The thread serializes the saver's calls, as aiosqlite's thread did; the sqlite3 connection
is only ever used from it. Another process writing the same file is waited for (busy timeout)
on that thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
)
from langgraph.checkpoint.sqlite import SqliteSaver

T = TypeVar("T")
BUSY_TIMEOUT_S = 30.0
"""How long a write waits for another process's lock on the file before it fails."""


class ThreadedSqliteSaver(SqliteSaver):
    """`SqliteSaver` with its async methods: each runs the sync one whole on the saver's thread."""

    def __init__(self, conn: sqlite3.Connection, *, serde: SerializerProtocol | None = None):
        super().__init__(conn, serde=serde)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkpoints")

    async def _on_thread(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, partial(call, *args, **kwargs))

    async def asetup(self) -> None:
        """Create the tables (WAL mode, as LangGraph's savers set up) and relax syncing."""

        def setup() -> None:
            self.setup()
            # In WAL mode NORMAL survives any process crash (as storage/database.py's files).
            self.conn.execute("PRAGMA synchronous=NORMAL")

        await self._on_thread(setup)

    async def aclose(self) -> None:
        """Close the connection on its thread, after the calls already queued."""
        await self._on_thread(self.conn.close)
        self._thread.shutdown(wait=False)

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return await self._on_thread(self.get_tuple, config)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        def read() -> list[CheckpointTuple]:
            return list(self.list(config, filter=filter, before=before, limit=limit))

        for item in await self._on_thread(read):
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return await self._on_thread(self.put, config, checkpoint, metadata, new_versions)

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        await self._on_thread(self.put_writes, config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        await self._on_thread(self.delete_thread, thread_id)

    async def aget_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> Mapping[str, Any]:
        return await self._on_thread(
            self.get_delta_channel_history, config=config, channels=channels
        )


async def open_sqlite_saver(path: str, *, serde: SerializerProtocol) -> ThreadedSqliteSaver:
    """Open the checkpoint saver on a SQLite file (its tables created); `aclose` it after."""
    conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    saver = ThreadedSqliteSaver(conn, serde=serde)
    try:
        await saver.asetup()
    except BaseException:
        await saver.aclose()
        raise
    return saver
