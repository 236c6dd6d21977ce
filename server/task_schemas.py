"""API shapes of tasks for a person: LinkedIn steps and calls, with their scripts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storage.tasks import NOTE_LIMIT


class TaskObjection(BaseModel):
    """Something the lead may say on a call, and the answer."""

    objection: str
    answer: str


class CallScriptOut(BaseModel):
    """A call task's script: what to say, in order, and the fact the reason is built on."""

    opener: str = ""
    reason: str = ""
    reason_fact_ids: list[str] = Field(default_factory=list)
    discovery_questions: list[str] = Field(default_factory=list)
    objections: list[TaskObjection] = Field(default_factory=list)
    voicemail: str = ""
    issues: list[str] = Field(
        default_factory=list,
        description="What the script's checks found wrong: read it before calling.",
    )


class TaskFactOut(BaseModel):
    """A fact a call's reason is built on."""

    id: str
    text: str
    source_url: str


class SlotOut(BaseModel):
    """A free slot proposed to the lead (number it to book it)."""

    number: int
    start: dt.datetime
    end: dt.datetime
    label: str = Field(description="As the lead reads it, in their timezone.")


class ReplyAnswerOut(BaseModel):
    """A reply task's draft answer: what the reply said, the slots offered, what is missing."""

    intent: str
    evidence: str = Field(description="The reply's sentence that decided its intent.")
    slots: list[SlotOut] = Field(default_factory=list)
    recipient_timezone: str | None = None
    needs: list[str] = Field(
        default_factory=list, description="What a person must add or do before sending."
    )
    fact_ids: list[str] = Field(default_factory=list)


class TaskOut(BaseModel):
    """A task for a person: a LinkedIn step (text to paste), a call (a script), or a draft
    answer to a hot reply (`reply`: review, edit and send it yourself)."""

    id: int
    kind: Literal["linkedin_connect", "linkedin_message", "call", "reply"]
    status: Literal["open", "done", "skipped"]
    title: str
    body: str = Field(description="The text to paste (LinkedIn), or the voicemail (a call).")
    script: CallScriptOut | None = Field(description="A call's script; null for LinkedIn.")
    answer: ReplyAnswerOut | None = Field(
        default=None, description="A reply task's draft details; null for other tasks."
    )
    link: str | None = Field(description="The lead's profile (LinkedIn) or phone (a call).")
    due_at: dt.datetime
    created_at: dt.datetime | None
    completed_at: dt.datetime | None
    note: str | None
    campaign_id: int
    campaign: str
    lead_id: int
    lead: str
    company: str
    step_id: int | None
    reason_facts: list[TaskFactOut] = Field(
        default_factory=list, description="The facts behind a call's reason (GET /tasks/{id})."
    )


class TaskList(BaseModel):
    """A page of tasks, the earliest due first."""

    items: list[TaskOut]
    total: int
    limit: int
    offset: int


class BookSlot(BaseModel):
    """POST /tasks/{id}/book: the slot the lead accepted."""

    model_config = ConfigDict(extra="forbid")

    slot: int = Field(ge=1, le=10, description="The slot's number in the task's answer.")


class Booking(BaseModel):
    """A booked meeting: the task done, the lead's stage, and the invite to send."""

    task: TaskOut
    lead_stage: str
    invite_ics: str = Field(description="The iCalendar invite (METHOD:REQUEST) to send.")
    invite_file: str = Field(description="Where the invite was saved.")


class TaskFinish(BaseModel):
    """POST /tasks/{id}/done or /skip: what happened, optionally."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(
        default=None, max_length=NOTE_LIMIT, description="Kept with the task, shown with it."
    )
    meeting_booked: bool = Field(
        default=False,
        description="A call marked done: the lead agreed to a meeting. The lead is marked "
        "meeting_booked (its sequences stop; the campaign counts a meeting). 422 for another "
        "task or a skip; 409 for a lead that opted out.",
    )
