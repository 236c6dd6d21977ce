"""A disk cache of fetched pages with a time-to-live, so re-runs do not refetch the web."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

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

    def _get(self, url: str, kind: str) -> Page | None:
        with self._lock:
            row = (
                self._connection()
                .execute(
                    "SELECT final_url, status, content_type, html, fetched_at FROM pages "
                    "WHERE url = ? AND kind = ?",
                    (url, kind),
                )
                .fetchone()
            )
        if row is None or self._clock() - row[4] > self.ttl_s:
            self.misses += 1
            return None
        self.hits += 1
        return Page(url=url, final_url=row[0], status=row[1], content_type=row[2], html=row[3])

    def _put(self, page: Page, kind: str) -> None:
        with self._lock:
            db = self._connection()
            db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
                (page.url, kind, page.final_url, page.status, page.content_type, page.html,
                 self._clock()),
            )  # fmt: skip
            db.commit()

    def _get_result(self, key: str) -> str | None:
        with self._lock:
            row = (
                self._connection()
                .execute("SELECT result, stored_at FROM research WHERE key = ?", (key,))
                .fetchone()
            )
        if row is None or self._clock() - row[1] > self.ttl_s:
            return None
        self.result_hits += 1
        return str(row[0])

    def _put_result(self, key: str, result: str) -> None:
        with self._lock:
            db = self._connection()
            db.execute(
                "INSERT OR REPLACE INTO research VALUES (?, ?, ?)", (key, result, self._clock())
            )
            db.commit()

    async def get_result(self, key: str) -> str | None:
        """Return a fresh cached research result (JSON), or None."""
        return await asyncio.to_thread(self._get_result, key)

    async def put_result(self, key: str, result: str) -> None:
        """Store a research result (JSON) under its tool-and-arguments key."""
        await asyncio.to_thread(self._put_result, key, result)

    async def get(self, url: str, kind: str) -> Page | None:
        """Return a fresh cached page, or None."""
        return await asyncio.to_thread(self._get, url, kind)

    async def put(self, page: Page, kind: str) -> None:
        """Store a fetched page."""
        await asyncio.to_thread(self._put, page, kind)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
