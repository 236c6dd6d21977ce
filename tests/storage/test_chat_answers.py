"""Confirmation answers of the operator chat, claimed once, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from storage.chat_answers import STALE_AFTER, claim_answer, release_answer
from storage.database import Database

NOON = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
THREAD = "chat:" + "s" * 300  # a session id as long as someone typed it
WHO = "k" * 200  # an API key's name at its longest


async def _claim(db: Database, who: str, at: dt.datetime, question: str = "q1") -> bool:
    async with db.sessions.begin() as session:
        return await claim_answer(
            session,
            thread_id=THREAD,
            interrupt_id=question,
            confirmed=True,
            answered_by=who,
            now=at,
        )


async def test_a_question_is_claimed_once_then_again_only_when_released(database_url: str) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        assert await _claim(db, WHO, NOON)
        assert not await _claim(db, "terminal", NOON + dt.timedelta(seconds=5))
        assert await _claim(db, "terminal", NOON, question="q2")  # another question
        async with db.sessions.begin() as session:
            await release_answer(session, thread_id=THREAD, interrupt_id="q1")
        assert await _claim(db, "terminal", NOON + dt.timedelta(seconds=6))


async def test_a_claim_left_by_a_process_that_died_is_taken_over_once_stale(
    database_url: str,
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        assert await _claim(db, "died", NOON)
        assert not await _claim(db, "browser", NOON + STALE_AFTER - dt.timedelta(seconds=1))
        later = NOON + STALE_AFTER + dt.timedelta(seconds=1)
        assert await _claim(db, "browser", later)
        assert not await _claim(db, "terminal", later)  # taken over once, by one
