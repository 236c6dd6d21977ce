"""LangGraph's checkpoint savers, each async call one trip to the saver's own thread.

LangGraph's async savers do every database call from the event loop: through aiosqlite, a
trip to its thread for each cursor, fetch and commit (some thirty per lead); through async
psycopg, a wait on the loop for each round trip, and the checkpoint's (de)serialization on
the loop as well. Their synchronous twins (`SqliteSaver`, `PostgresSaver`: same packages,
same tables) do a whole read or write in one call. Here each runs on one dedicated thread, so
an async call is one trip and the work around it leaves the event loop.

A lead's run stops and starts again at each durable point (after research, before sending),
and each start reads back the checkpoint the last stop wrote. Within `remembering(thread)`,
the saver answers that read from what it wrote (for a new thread: that there is none), a
copy as the database would give; anything else is read from the database.

One thread loses nothing: both async savers already serialize their calls (one lock per
saver), and so does the thread. A SQLite file another process is writing, or a PostgreSQL
lock, is waited for on that thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
    copy_checkpoint,
    get_checkpoint_metadata,
)
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

T = TypeVar("T")
BUSY_TIMEOUT_S = 30.0
"""How long a SQLite write waits for another process's lock on the file before it fails."""


_WRITTEN: ContextVar[dict[str, CheckpointTuple | None] | None] = ContextVar(
    "outreach_written_checkpoints", default=None
)
"""Per thread id, the latest checkpoint this task's saver calls wrote (None: none yet)."""


@contextmanager
def remembering(thread_id: str, *, new: bool) -> Iterator[None]:
    """Within the block, reads of the thread's latest checkpoint are answered from the last
    one written in it; new: the thread has none yet, so the first read needs no database."""
    token = _WRITTEN.set({thread_id: None} if new else {})
    try:
        yield
    finally:
        _WRITTEN.reset(token)


def _root_thread(config: RunnableConfig) -> str | None:
    """The thread id of a config that names a thread's root graph and no checkpoint."""
    configurable = config.get("configurable") or {}
    if configurable.get("checkpoint_ns", "") or configurable.get("checkpoint_id"):
        return None
    thread = configurable.get("thread_id")
    return None if thread is None else str(thread)


class OnItsThread(BaseCheckpointSaver[str]):
    """The async methods of a synchronous saver: each runs the sync one whole on one thread.

    Mixed in before the saver class (`class X(OnItsThread, SqliteSaver)`)."""

    _thread: ThreadPoolExecutor

    def _start_thread(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkpoints")

    async def on_thread(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run call on the saver's thread, after the calls already queued there."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, partial(call, *args, **kwargs))

    def _stop_thread(self) -> None:
        self._thread.shutdown(wait=False)

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        written, thread = _WRITTEN.get(), _root_thread(config)
        if written is not None and thread is not None and thread in written:
            latest = written[thread]
            return (
                None
                if latest is None
                else latest._replace(checkpoint=copy_checkpoint(latest.checkpoint))
            )
        return await self.on_thread(self.get_tuple, config)

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

        for item in await self.on_thread(read):
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        saved = await self.on_thread(self.put, config, checkpoint, metadata, new_versions)
        written = _WRITTEN.get()
        configurable = config["configurable"]
        if written is not None and not configurable.get("checkpoint_ns", ""):
            parent = configurable.get("checkpoint_id")
            parent_config: RunnableConfig | None = (
                {"configurable": {**saved["configurable"], "checkpoint_id": parent}}
                if parent
                else None
            )
            written[str(configurable["thread_id"])] = CheckpointTuple(
                config=saved,
                checkpoint=copy_checkpoint(checkpoint),
                metadata=get_checkpoint_metadata(config, metadata),
                parent_config=parent_config,
                pending_writes=[],
            )
        return saved

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        await self.on_thread(self.put_writes, config, writes, task_id, task_path)
        if (written := _WRITTEN.get()) is not None:  # read back with its writes
            written.pop(str(config["configurable"]["thread_id"]), None)

    async def adelete_thread(self, thread_id: str) -> None:
        await self.on_thread(self.delete_thread, thread_id)
        if (written := _WRITTEN.get()) is not None:
            written.pop(thread_id, None)

    async def aget_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> Mapping[str, Any]:
        return await self.on_thread(
            self.get_delta_channel_history, config=config, channels=channels
        )


class ThreadedSqliteSaver(OnItsThread, SqliteSaver):
    """`SqliteSaver` on a thread of its own; the sqlite3 connection is only used there."""

    def __init__(self, conn: sqlite3.Connection, *, serde: SerializerProtocol | None = None):
        super().__init__(conn, serde=serde)
        self._start_thread()

    async def aclose(self) -> None:
        """Close the connection on its thread, after the calls already queued."""
        await self.on_thread(self.conn.close)
        self._stop_thread()


async def open_sqlite_saver(path: str, *, serde: SerializerProtocol) -> ThreadedSqliteSaver:
    """Open the checkpoint saver on a SQLite file (its tables created); `aclose` it after."""
    conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
    saver = ThreadedSqliteSaver(conn, serde=serde)

    def setup() -> None:
        saver.setup()  # the tables, and WAL mode, as LangGraph's savers set up
        # In WAL mode NORMAL survives any process crash (as storage/database.py's files).
        conn.execute("PRAGMA synchronous=NORMAL")

    try:
        await saver.on_thread(setup)
    except BaseException:
        await saver.aclose()
        raise
    return saver


class ThreadedPostgresSaver(OnItsThread, PostgresSaver):
    """`PostgresSaver` over a connection pool, on a thread of its own."""

    def __init__(self, conn: Any, *, serde: SerializerProtocol | None = None):
        super().__init__(conn, serde=serde)
        self._start_thread()

    async def aclose(self) -> None:
        """Close the pool on the saver's thread, after the calls already queued."""
        pool = self.conn
        await self.on_thread(pool.close)
        self._stop_thread()


SETUP_LOCK = 0x6F75_7472_6561_6368  # "outreach": the advisory lock around checkpoint setup


def _set_up_once(saver: PostgresSaver, pool: ConnectionPool[Any]) -> None:
    """Create the checkpoint tables, one process at a time.

    Two processes starting together (two workers, a worker and the server) would both create
    them: an advisory lock held across setup lets one do it. Polled, not waited on: a session
    waiting inside pg_advisory_lock holds a snapshot, which the setup's CREATE INDEX
    CONCURRENTLY would wait for."""
    with pool.connection() as lock:
        while True:
            row = lock.execute("SELECT pg_try_advisory_lock(%s)", (SETUP_LOCK,)).fetchone()
            if row and next(iter(row.values())):
                break
            time.sleep(0.05)
        try:
            saver.setup()
        finally:
            lock.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK,))


async def open_postgres_saver(
    conninfo: str, *, serde: SerializerProtocol, pool_size: int
) -> ThreadedPostgresSaver:
    """Open the checkpoint saver on a PostgreSQL database (its tables created); `aclose` it
    after. The pool holds at least two connections: setup runs while the lock holds one."""
    pool: ConnectionPool[Any] = ConnectionPool(
        conninfo,
        max_size=max(2, pool_size),
        open=False,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
    )
    saver = ThreadedPostgresSaver(pool, serde=serde)
    try:
        await saver.on_thread(pool.open, wait=True)
        await saver.on_thread(_set_up_once, saver, pool)
    except BaseException:
        await saver.aclose()
        raise
    return saver
