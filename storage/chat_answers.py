"""The answers given to the operator chat's confirmations: each question answered once.

A conversation can be open in several processes at once (the browser console's server and
`outreach chat --session ID` in a terminal, or two API processes behind one address). Each
reads the question waiting in the conversation's checkpoint; without a shared record, two
Yes answers given at the same moment would both run the actions (two sends, two erasures).
The first answer inserts the question's row and goes on; any other finds it there and runs
nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, String, delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class ChatAnswerRow(Base):
    """One confirmation question of one conversation, and the answer that claimed it."""

    __tablename__ = "chat_answers"

    thread_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    """The conversation's checkpoint thread (chat:<session id>)."""
    interrupt_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The question: LangGraph's id of the pause, new for every question asked."""
    confirmed: Mapped[bool] = mapped_column(Boolean)
    answered_by: Mapped[str] = mapped_column(String(120))
    answered_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


async def claim_answer(
    session: AsyncSession, *, thread_id: str, interrupt_id: str, confirmed: bool, answered_by: str
) -> bool:
    """Record the answer to a question; return False when another answer claimed it first."""
    try:
        async with session.begin_nested():
            session.add(
                ChatAnswerRow(
                    thread_id=thread_id,
                    interrupt_id=interrupt_id,
                    confirmed=confirmed,
                    answered_by=answered_by,
                )
            )
    except IntegrityError:
        return False
    return True


async def release_answer(session: AsyncSession, *, thread_id: str, interrupt_id: str) -> None:
    """Forget an answer whose actions never started (the question still waits), so it can be
    answered again."""
    await session.execute(
        delete(ChatAnswerRow).where(
            ChatAnswerRow.thread_id == thread_id, ChatAnswerRow.interrupt_id == interrupt_id
        )
    )
