"""Where a message stands in a campaign's sequence: its step, its kind, and the thread so far.

A first touch is written with no thread. A follow-up is written with the earlier messages of
the same lead in its input, so that it can refer back without repeating them: which hooks and
facts they used, what they said, and how long they were.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from graphs.lead import Channel


class StepKind(StrEnum):
    """What a step of a sequence is for."""

    FIRST_TOUCH = "first_touch"
    """The opening message, written like any single message."""
    SOFT_NUDGE = "soft_nudge"
    """A short bump on the same thread: no new claims, one easy question."""
    NEW_ANGLE = "new_angle"
    """A different reason to talk, built on a fact no earlier message used."""
    DIRECT_CTA = "direct_cta"
    """Asks plainly for the meeting, with one concrete time-bound ask."""
    BREAKUP = "breakup"
    """The last, polite message: closes the loop and leaves the door open."""


class StepChannel(StrEnum):
    """Where a step goes; LinkedIn and calls become tasks for a person."""

    EMAIL = "email"
    SMS = "sms"
    LINKEDIN_CONNECT = "linkedin_connect"
    LINKEDIN_MESSAGE = "linkedin_message"
    CALL = "call"

    @property
    def message_channel(self) -> Channel | None:
        """Return the pipeline channel a step is written for; None for a call (a call script
        is written from the facts, not as a message)."""
        return {
            StepChannel.EMAIL: Channel.EMAIL,
            StepChannel.SMS: Channel.SMS,
            StepChannel.LINKEDIN_CONNECT: Channel.LINKEDIN,
            StepChannel.LINKEDIN_MESSAGE: Channel.LINKEDIN,
        }.get(self)

    @property
    def is_task(self) -> bool:
        """Whether a person does this step (no API may send it): LinkedIn and calls."""
        return self in (
            StepChannel.LINKEDIN_CONNECT,
            StepChannel.LINKEDIN_MESSAGE,
            StepChannel.CALL,
        )


class EarlierMessage(BaseModel):
    """A message of this lead's sequence that went out (or was handed to a person) before."""

    model_config = ConfigDict(frozen=True)

    step: int = Field(ge=1, description="1-based position in the sequence.")
    kind: StepKind
    channel: StepChannel
    subject: str | None = None
    body: str
    hooks: list[str] = Field(default_factory=list, description="The hook texts it used.")
    fact_ids: list[str] = Field(default_factory=list, description="The facts its hooks cited.")
    sent_at: dt.datetime | None = None


class SequenceTurn(BaseModel):
    """The step being written now, and the thread before it."""

    model_config = ConfigDict(frozen=True)

    step: int = Field(ge=1, description="1-based position in the sequence.")
    kind: StepKind
    channel: StepChannel
    earlier: list[EarlierMessage] = Field(default_factory=list)
    is_last: bool = False

    @property
    def is_follow_up(self) -> bool:
        """Whether earlier messages exist that this one must not repeat."""
        return bool(self.earlier)

    @property
    def used_fact_ids(self) -> set[str]:
        """Return the facts earlier messages already built a hook on."""
        return {fact_id for message in self.earlier for fact_id in message.fact_ids}

    @property
    def thread_subject(self) -> str | None:
        """Return the subject of the first email of the thread (a follow-up answers it)."""
        return next(
            (m.subject for m in self.earlier if m.channel is StepChannel.EMAIL and m.subject),
            None,
        )
