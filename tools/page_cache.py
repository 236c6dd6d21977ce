"""A disk cache of fetched pages with a time-to-live, so re-runs do not refetch the web.

Writes go to a worker thread (a commit may wait for the disk). Reads run on the caller's
thread, each thread with a connection of its own: a lookup by key in a WAL database does not
wait for writers and takes some 20 µs, where handing it to a thread and back costs ten times
that in CPU, several times a lead. A read that finds the database busy all the same (its
write-ahead log being recovered) is handed to the worker thread like a write.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.page_fetch_types import Page

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    html TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    PRIMARY KEY (url, kind)
);
CREATE TABLE IF NOT EXISTS research (
    key TEXT PRIMARY KEY,
    result TEXT NOT NULL,
    stored_at REAL NOT NULL
)
"""


class PageCache:
    """Pages keyed by URL and document kind (html, feed), valid for ttl_s seconds."""

    def __init__(self, path: Path, ttl_s: float, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self.hits = 0
        self.misses = 0
        self.result_hits = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        return self._db

    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection (the schema made first, by the writer's)."""
        reader: sqlite3.Connection | None = getattr(self._local, "db", None)
        if reader is None:
            with self._lock:
                self._connection()
                # Never used by two threads; closed from whichever thread calls close().
                reader = sqlite3.connect(self.path, timeout=0.05, check_same_thread=False)
                self._readers.append(reader)
            self._local.db = reader
        return reader

    def _locked_read(self, sql: str, args: tuple[str, ...]) -> Any:
        with self._lock:
            return self._connection().execute(sql, args).fetchone()

    async def _row(self, sql: str, args: tuple[str, ...]) -> Any:
        """One row, read on the caller's thread (a lookup costs less than a hand-off); when
        the database is busy, waited for on the worker thread, beside the writes."""
        try:
            return self._reader().execute(sql, args).fetchone()
        except sqlite3.OperationalError:
            return await asyncio.to_thread(self._locked_read, sql, args)

    def _put(self, page: Page, kind: str) -> None:
        with self._lock:
            db = self._connection()
            db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
                (page.url, kind, page.final_url, page.status, page.content_type, page.html,
                 self._clock()),
            )  # fmt: skip
            db.commit()

    def _put_result(self, key: str, result: str) -> None:
        with self._lock:
            db = self._connection()
            db.execute(
                "INSERT OR REPLACE INTO research VALUES (?, ?, ?)", (key, result, self._clock())
            )
            db.commit()

    async def get_result(self, key: str) -> str | None:
        """Return a fresh cached research result (JSON), or None."""
        row = await self._row("SELECT result, stored_at FROM research WHERE key = ?", (key,))
        if row is None or self._clock() - row[1] > self.ttl_s:
            return None
        self.result_hits += 1
        return str(row[0])

    async def put_result(self, key: str, result: str) -> None:
        """Store a research result (JSON) under its tool-and-arguments key."""
        await asyncio.to_thread(self._put_result, key, result)

    async def get(self, url: str, kind: str) -> Page | None:
        """Return a fresh cached page, or None."""
        row = await self._row(
            "SELECT final_url, status, content_type, html, fetched_at FROM pages "
            "WHERE url = ? AND kind = ?",
            (url, kind),
        )
        if row is None or self._clock() - row[4] > self.ttl_s:
            self.misses += 1
            return None
        self.hits += 1
        return Page(url=url, final_url=row[0], status=row[1], content_type=row[2], html=row[3])

    async def put(self, page: Page, kind: str) -> None:
        """Store a fetched page."""
        await asyncio.to_thread(self._put, page, kind)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self._local = threading.local()
            if self._db is not None:
                self._db.close()
                self._db = None
