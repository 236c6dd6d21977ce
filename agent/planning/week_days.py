"""The week a plan fills: what it is built from (`CadenceInputs`), its days, each mailbox's
ramped cap on each, and what goes on them.

`week_days` opens the seven days from a Monday: a day no mailbox sends on is closed and says
why (a public holiday by name, the weekend, or no mailbox sending that day).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.planning.accounts import AccountCut
from agent.planning.cadence_config import Mailbox
from agent.planning.segment_config import SegmentSetup
from agent.sequences.business_days import holiday_name
from agent.sequences.definition import SequenceDefinition


@dataclass(frozen=True, slots=True)
class DueStep:
    """A follow-up of an enrolment already stored, due on a day of the week."""

    lead_id: int
    lead: str
    step: int
    channel: str
    kind: str
    day: dt.date
    mailbox: str | None = None
    country: str | None = None
    """Whose business days its later steps count (the enrolment's country)."""
    sequence: str | None = None
    """The preset its enrolment follows (its segment's own); None: the campaign's sequence."""


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One thing to do on one day: a first touch, a follow-up email or text, or a person's task."""

    day: dt.date
    lead: str
    lead_id: int | None
    step: int
    channel: str
    kind: str
    mailbox: str | None
    segment: str
    source: str = "plan"
    """plan: from this week's first touches; enrolled: a stored sequence's step."""
    account: str | None = None
    score: float | None = None
    sequence: str | None = None


@dataclass
class MailboxDay:
    """One mailbox on one day: its cap after the ramp and what it sends."""

    address: str
    cap: int
    first_touches: Counter[str] = field(default_factory=Counter)
    follow_ups: int = 0

    @property
    def sends(self) -> int:
        """Return the emails planned: first touches and follow-ups."""
        return sum(self.first_touches.values()) + self.follow_ups


@dataclass
class PlanDay:
    """One day of the week: open (with its mailboxes) or closed, and why."""

    day: dt.date
    closed: str | None = None
    mailboxes: list[MailboxDay] = field(default_factory=list)
    first_touches: list[PlannedStep] = field(default_factory=list)
    follow_ups: list[PlannedStep] = field(default_factory=list)
    tasks: list[PlannedStep] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Leftover:
    """Leads (or follow-ups) that did not fit, and why."""

    reason: str
    count: int
    message: str
    segment: str | None = None


@dataclass
class WeekPlan:
    """The week, day by day, with what did not fit and the accounts that were cut."""

    week_start: dt.date
    days: list[PlanDay]
    leftovers: list[Leftover]
    eligible: Counter[str]
    """Leads each segment could plan this week (by segment)."""
    target_shares: dict[str, float]
    cuts: list[AccountCut]
    multi_contact_accounts: int


def week_days(first: dt.date, mailboxes: Sequence[Mailbox], default_country: str) -> list[PlanDay]:
    """Return the seven days from `first`, each with its mailboxes' caps after their ramps."""
    days = []
    for offset in range(7):
        day = first + dt.timedelta(days=offset)
        boxes = [MailboxDay(m.address, m.cap_on(day, first)) for m in mailboxes if m.sends_on(day)]
        boxes = [b for b in boxes if b.cap > 0]
        closed = None
        if not boxes:
            name = holiday_name(day, default_country) if day.weekday() < 5 else None
            closed = (
                f"holiday: {name}"
                if name
                else "weekend"
                if day.weekday() >= 5
                else "no mailbox sends this day"
            )
        days.append(PlanDay(day, closed, boxes))
    return days


@dataclass
class CadenceInputs:
    """What a plan is built from, besides the ranked leads."""

    setup: SegmentSetup
    mailboxes: Sequence[Mailbox]
    sequence: SequenceDefinition | None
    week_start: dt.date
    needs: str = "email"
    """The address the campaign's channel needs (email, phone, linkedin)."""
    max_contacts: int = 3
    default_country: str = "US"
    due: Sequence[DueStep] = ()
    enrolled: frozenset[int] = frozenset()
    """Stored leads already in the campaign's sequence: not first-touched again."""
