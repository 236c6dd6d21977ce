"""Commit the outcomes of leads that finish together in one transaction (group commit).

Each caller still waits until its own outcome is committed, and learns of its own failure: a
group whose transaction fails is written again one outcome at a time, so one bad record is
reported alone and the others are stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

MAX_GROUP = 100
"""The most outcomes in one transaction (a long batch of writes holds SQLite's one writer)."""

WriteGroup = Callable[[list[dict[str, Any]], bool], Awaitable[None]]
"""Commit these records in one transaction (and complete the run if it is done, when true)."""


@dataclass
class _Waiting:
    record: dict[str, Any]
    complete_when_done: bool
    committed: asyncio.Future[None]


class GroupCommit:
    """Collect the outcomes saved while a commit is under way, and commit them as one."""

    def __init__(self, write: WriteGroup, *, max_group: int = MAX_GROUP) -> None:
        self._write = write
        self._max_group = max_group
        self._waiting: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def save(self, record: dict[str, Any], *, complete_when_done: bool = False) -> None:
        """Return once the record is committed; raise what its write raised if it failed."""
        committed = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(record, complete_when_done, committed))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        await committed

    async def _write_all(self) -> None:
        group: list[_Waiting] = []
        try:
            while self._waiting:
                group = self._waiting[: self._max_group]
                del self._waiting[: self._max_group]
                if len(group) == 1 or not await self._commit(group, raising=False):
                    for waiting in group:  # which one failed, and the others stored
                        await self._commit([waiting], raising=True)
        finally:  # cancelled (the loop is closing): nobody is left waiting forever
            for waiting in [*group, *self._waiting]:
                if not waiting.committed.done():
                    waiting.committed.cancel()

    async def _commit(self, group: list[_Waiting], *, raising: bool) -> bool:
        """Commit a group; return whether it was committed. With raising, a failure goes to
        the group's (one) caller; without, the caller tries again record by record."""
        try:
            await self._write([w.record for w in group], any(w.complete_when_done for w in group))
        except Exception as exc:
            if not raising:
                return False
            for waiting in group:
                if not waiting.committed.done():
                    waiting.committed.set_exception(exc)
            return False
        for waiting in group:
            if not waiting.committed.done():  # its caller may have been cancelled
                waiting.committed.set_result(None)
        return True
