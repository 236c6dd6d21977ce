"""The sequence tables: who is enrolled in a campaign's sequence, each step, and person tasks.

An enrolment holds one lead's place in one campaign's sequence. Its steps are rows created one
at a time: when a step is done, the next is scheduled a number of business days later, so a
late send or a pause moves the rest of the sequence with it. A step's status is its state:

    scheduled ─► claimed ─► waiting (written; in review or in the send queue) ─► sent
                    │          └─► skipped (rejected, suppressed, failed)
                    ├─► task (a person's: LinkedIn, a call) ─► done | skipped
                    └─► (lease ran out: a killed scheduler's step is claimed again)
    scheduled/paused ─► stopped (a reply, bounce, complaint or unsubscribe)
    scheduled ◄─► paused
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, Json

STEP_STATUSES = (
    "scheduled", "claimed", "waiting", "sent", "task", "done", "skipped", "stopped", "paused",
    "failed",
)  # fmt: skip
OPEN_STEP_STATUSES = ("scheduled", "claimed", "waiting", "task", "paused")
"""Statuses of a step that has not reached its end (a stop ends them)."""
FINISHED_STEP_STATUSES = ("sent", "done", "skipped")
"""Statuses after which the sequence moves on to the next step."""
DUE = "status = 'scheduled'"
CLAIMED = "status = 'claimed'"
WAITING = "status = 'waiting'"
TO_ADVANCE = "status IN ('sent', 'done', 'skipped') AND advanced = false"


class SequenceEnrollmentRow(Base):
    """One lead's place in one campaign's sequence."""

    __tablename__ = "sequence_enrollments"
    __table_args__ = (UniqueConstraint("campaign_id", "lead_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    """active, paused, stopped (the lead answered or opted out) or finished."""
    current_step: Mapped[int] = mapped_column(Integer, default=1)
    stop_reason: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(8))
    mailbox: Mapped[str | None] = mapped_column(String(320))
    """The mailbox every email of the sequence goes out from (a weekly plan's choice, so the
    thread stays in one mailbox); None: the campaign's sender."""
    sequence_preset: Mapped[str | None] = mapped_column(String(40))
    """The preset the lead's sequence follows (its segment's own, from a weekly plan); None:
    the campaign's sequence."""
    started_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SequenceStepRow(Base):
    """One step of one lead's sequence, from scheduled to its end."""

    __tablename__ = "sequence_steps"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "step"),
        # A tick reads only due steps, oldest first: a partial index keeps that a short range
        # scan however many steps are waiting, sent or done.
        Index(
            "ix_sequence_steps_due", "due_at", sqlite_where=text(DUE), postgresql_where=text(DUE)
        ),
        Index(
            "ix_sequence_steps_claimed",
            "claim_expires_at",
            sqlite_where=text(CLAIMED),
            postgresql_where=text(CLAIMED),
        ),
        Index(
            "ix_sequence_steps_waiting",
            "id",
            sqlite_where=text(WAITING),
            postgresql_where=text(WAITING),
        ),
        Index(
            "ix_sequence_steps_to_advance",
            "id",
            sqlite_where=text(TO_ADVANCE),
            postgresql_where=text(TO_ADVANCE),
        ),
        Index("ix_sequence_steps_lead_status", "lead_id", "status"),
        Index("ix_sequence_steps_campaign_status", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("sequence_enrollments.id", ondelete="CASCADE")
    )
    campaign_id: Mapped[int] = mapped_column(Integer)
    lead_id: Mapped[int] = mapped_column(Integer)
    step: Mapped[int] = mapped_column(Integer)
    """1-based position in the campaign's sequence."""
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claim_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    advanced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Whether the next step was scheduled after this one finished (or the sequence ended)."""


class TaskRow(Base):
    """Work for a person: a LinkedIn step (text ready to copy) or a call (a script)."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(
        ForeignKey("sequence_steps.id", ondelete="SET NULL"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    """linkedin_connect, linkedin_message or call."""
    status: Mapped[str] = mapped_column(String(20), default="open")
    """open, done or skipped."""
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    """The text to copy (LinkedIn), or the voicemail (a call)."""
    script: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    """A call's script: opener, reason, questions, objections, voicemail, fact ids."""
    link: Mapped[str | None] = mapped_column(Text)
    """The lead's profile (LinkedIn) or phone number (a call)."""
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
