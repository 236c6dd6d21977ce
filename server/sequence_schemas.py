"""API shapes of campaign sequences: a lead's sequence, previews, enrolment, pause and resume.

In the spirit of seed 001's `POST /api/outreach/sequence/generate` (drafts of every step for a
prospect) and `GET /api/outreach/sequence/{prospect_id}` (a prospect's sequence and where it
stands), with campaign and lead ids.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from server.schemas import ListedId
from server.task_schemas import CallScriptOut

MAX_ENROLL = 1000
"""Leads one enrolment request names at most."""
StepChannelName = Literal["email", "sms", "linkedin_connect", "linkedin_message", "call"]
StepKindName = Literal["first_touch", "soft_nudge", "new_angle", "direct_cta", "breakup"]


class PreviewRequest(BaseModel):
    """POST /campaigns/{id}/sequence/preview: whose sequence to draft."""

    model_config = ConfigDict(extra="forbid")

    lead_id: ListedId = Field(description="A stored lead (POST /leads); it need not be enrolled.")


class EnrollRequest(BaseModel):
    """POST /campaigns/{id}/sequence/enroll: stored leads to enrol."""

    model_config = ConfigDict(extra="forbid")

    lead_ids: list[ListedId] = Field(
        min_length=1,
        max_length=MAX_ENROLL,
        description=f"1 to {MAX_ENROLL} stored lead ids; an unknown one refuses the request.",
    )


class EnrollOut(BaseModel):
    """Who was enrolled now, and who was enrolled before (left as they are)."""

    campaign_id: int
    campaign_status: str = Field(description="Enrolling activates the campaign.")
    enrolled: list[int]
    already: list[int]


class HookOut(BaseModel):
    """A hook of a draft and the facts it stands on."""

    text: str
    fact_ids: list[str]


class StepPreviewOut(BaseModel):
    """One step's draft for the lead, as the scheduler would write it."""

    step: int
    kind: StepKindName
    channel: StepChannelName
    delay_business_days: int
    due_offset_business_days: int = Field(description="Business days after enrolment.")
    planned_at: dt.datetime = Field(
        description="When it would go if the lead were enrolled now and every step went on time."
    )
    decision: Literal["send", "queue", "reject", "task"] = Field(
        description="send; queue (a reviewer sees it first); reject; task (a call script)."
    )
    reason: str
    tone: str | None
    subject: str | None
    body: str = Field(description="The chosen draft (a call's voicemail).")
    hooks: list[HookOut]
    issues: list[str] = Field(description="What the critic found wrong with the chosen draft.")
    call_script: CallScriptOut | None


class SequencePreviewOut(BaseModel):
    """The drafts of every step of a campaign's sequence for one lead."""

    campaign_id: int
    lead_id: int
    steps: list[StepPreviewOut]
    note: str = "Drafts only: nothing was sent, and no message or step was stored."


class StepStateOut(BaseModel):
    """A step of the lead's sequence that exists, and where it stands."""

    step: int
    kind: str
    channel: str
    status: str = Field(
        description="scheduled, claimed, waiting (in review or the send queue), sent, task (a "
        "person's), done, skipped, stopped, paused or failed."
    )
    due_at: dt.datetime
    finished_at: dt.datetime | None
    message_id: int | None
    detail: str
    task_id: int | None
    task_status: str | None


class PlannedStepOut(BaseModel):
    """A step still to come, scheduled when the one before it is done."""

    step: int
    kind: str
    channel: str
    delay_business_days: int
    window: str


class LeadSequenceOut(BaseModel):
    """A lead's sequence in a campaign: its state, each step so far, and the steps to come."""

    campaign_id: int
    campaign: str
    lead_id: int
    lead: str
    email: str | None
    status: Literal["active", "paused", "stopped", "finished"]
    current_step: int
    total_steps: int
    stop_reason: str | None
    timezone: str | None
    country: str | None
    started_at: dt.datetime | None
    steps: list[StepStateOut]
    upcoming: list[PlannedStepOut]


class PauseOut(BaseModel):
    """What a pause or resume changed."""

    campaign_id: int
    campaign_status: str
    lead_id: int | None
    lead_status: str | None
    steps_changed: int = Field(description="Scheduled steps paused, or paused steps rescheduled.")
    note: str | None
