"""API shapes of the weekly plan (seed 001's `POST /api/outreach/cadence/weekly`), over a stored
campaign's mailboxes, segments and sequence, and its stored leads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from server.planning_schemas import MAX_NAMED, PlanningRequest, SeedRequest


class CadenceRequest(PlanningRequest):
    """POST /campaigns/{id}/cadence/weekly."""

    week: dt.date | None = Field(
        default=None,
        description="A day of the week to plan (its Monday starts the plan); default: next "
        "week by the server's clock.",
    )
    include_leads: bool = Field(
        default=True,
        description="List each day's first touches, follow-ups and tasks (false: counts alone).",
    )


class SeedCadenceRequest(SeedRequest):
    """POST /outreach/cadence/weekly: seed 001's cadence call, the campaign in the body."""

    week: dt.date | None = Field(default=None, description="As in /campaigns/{id}/cadence/weekly.")
    include_leads: bool = True
    target_connection_requests: int | None = Field(
        default=None,
        ge=0,
        le=MAX_NAMED,
        description="Accepted from seed 001's clients and not used: the campaign's mailboxes "
        "(daily caps and warm-up ramps) decide the week's volume.",
    )
    target_followups: int | None = Field(
        default=None, ge=0, le=MAX_NAMED, description="Accepted and not used, as above."
    )


class CadenceProblemOut(BaseModel):
    """What is wrong with a mailbox, a segment or an account, and what the plan did about it."""

    level: Literal["error", "warning"]
    mailbox: str | None
    account: str | None
    field: str | None
    message: str
    effect: str | None


class WarmupOut(BaseModel):
    """A mailbox's warm-up ramp."""

    start: int
    step: int
    every: Literal["day", "week"]
    since: dt.date


class MailboxOut(BaseModel):
    """A mailbox the plan sends from."""

    address: str
    daily_cap: int
    window: str
    days: list[str]
    country: str
    warmup: WarmupOut | None


class MailboxDayOut(BaseModel):
    """One mailbox on one day."""

    mailbox: str
    cap: int = Field(description="Emails it may send that day, after its warm-up ramp.")
    sends: int = Field(description="Emails planned: first touches and follow-ups.")
    follow_ups: int
    first_touches: dict[str, int] = Field(description="First touches by segment.")


class PlannedStepOut(BaseModel):
    """A first touch, follow-up or task on one day."""

    lead: str
    lead_id: int | None
    step: int
    channel: str
    kind: str
    mailbox: str | None
    segment: str | None
    source: Literal["plan", "enrolled"]
    account: str | None = None
    score: float | None = None
    sequence: str | None = None


class PlanDayOut(BaseModel):
    """One day of the week."""

    date: dt.date
    weekday: str
    closed: str | None = Field(description="Why nothing goes out (a holiday by name, weekend).")
    mailboxes: list[MailboxDayOut]
    first_touch_count: int
    follow_up_count: int
    task_count: int
    first_touches: list[PlannedStepOut] = Field(default_factory=list)
    follow_ups: list[PlannedStepOut] = Field(default_factory=list)
    tasks: list[PlannedStepOut] = Field(default_factory=list)


class SegmentWeekOut(BaseModel):
    """A segment's share of the week's first touches against its target."""

    name: str
    target_share: float
    eligible: int = Field(description="Its leads that could be planned this week.")
    first_touches: int
    share: float = Field(description="Of the week's first touches.")


class LeftoverOut(BaseModel):
    """Leads (or follow-ups) that did not fit, and why."""

    reason: str
    count: int
    segment: str | None
    message: str = Field(description='In words: "42 leads wait for next week: mailbox caps".')


class CadenceTotalsOut(BaseModel):
    """The week in numbers."""

    first_touches: int
    follow_ups: int
    tasks: int
    sends: int
    capacity: int = Field(description="Emails the mailboxes may send in the week, in all.")
    accounts_with_several_contacts: int


class CadenceOut(BaseModel):
    """A campaign's plan for one week."""

    campaign_id: int
    week: dt.date
    leads: int
    mailboxes: list[MailboxOut]
    days: list[PlanDayOut]
    totals: CadenceTotalsOut
    segments: list[SegmentWeekOut]
    did_not_fit: list[LeftoverOut]
    problems: list[CadenceProblemOut]


class DayEnrolmentOut(BaseModel):
    """The leads enrolled for one planned day."""

    date: dt.date
    enrolled: list[int] = Field(description="Lead ids whose first step is due that day.")
    already: list[int] = Field(description="Lead ids enrolled before, left as they were.")


class PlanEnrolmentOut(BaseModel):
    """A week's plan handed to the sequence scheduler."""

    campaign_id: int
    week: dt.date
    enrolled: int
    already: int
    days: list[DayEnrolmentOut]
    did_not_fit: list[LeftoverOut]
    problems: list[CadenceProblemOut]
