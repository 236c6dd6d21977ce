"""The answers given to the operator chat's confirmations: each question answered once.

A conversation can be open in several processes at once (the browser console's server and
`outreach chat --session ID` in a terminal, or two API processes behind one address). Each
reads the question waiting in the conversation's checkpoint; without a shared record, two
Yes answers given at the same moment would both run the actions (two sends, two erasures).
The first answer inserts the question's row and goes on; any other finds it there and runs
nothing.

An answer leaves its question within moments of its row being written (the graph's confirm
step only records it; the actions run after). A row whose question still waits after
STALE_AFTER belongs to a process that died in between: the next answer takes it over.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Text, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from tools.facts import utc_now

STALE_AFTER = dt.timedelta(minutes=2)


class ChatAnswerRow(Base):
    """One confirmation question of one conversation, and the answer that claimed it."""

    __tablename__ = "chat_answers"

    thread_id: Mapped[str] = mapped_column(Text, primary_key=True)
    """The conversation's checkpoint thread (chat:<session id>, any length a CLI user gives)."""
    interrupt_id: Mapped[str] = mapped_column(Text, primary_key=True)
    """The question: LangGraph's id of the pause, new for every question asked."""
    confirmed: Mapped[bool] = mapped_column(Boolean)
    answered_by: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


async def claim_answer(
    session: AsyncSession,
    *,
    thread_id: str,
    interrupt_id: str,
    confirmed: bool,
    answered_by: str,
    now: dt.datetime | None = None,
) -> bool:
    """Record the answer to a waiting question; return False when another answer claimed it
    first (and is not stale)."""
    now = now or utc_now()
    try:
        async with session.begin_nested():
            session.add(
                ChatAnswerRow(
                    thread_id=thread_id,
                    interrupt_id=interrupt_id,
                    confirmed=confirmed,
                    answered_by=answered_by,
                    answered_at=now,
                )
            )
    except IntegrityError:
        taken_over = await session.execute(
            update(ChatAnswerRow)
            .where(
                ChatAnswerRow.thread_id == thread_id,
                ChatAnswerRow.interrupt_id == interrupt_id,
                ChatAnswerRow.answered_at < now - STALE_AFTER,
            )
            .values(confirmed=confirmed, answered_by=answered_by, answered_at=now)
        )
        return bool(getattr(taken_over, "rowcount", 0))
    return True


async def release_answer(session: AsyncSession, *, thread_id: str, interrupt_id: str) -> None:
    """Forget an answer whose actions never started (the question still waits), so it can be
    answered again."""
    await session.execute(
        delete(ChatAnswerRow).where(
            ChatAnswerRow.thread_id == thread_id, ChatAnswerRow.interrupt_id == interrupt_id
        )
    )
