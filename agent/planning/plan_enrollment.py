"""Hand a week's plan to the sequence scheduler: each planned first touch is enrolled so its
first step falls due on its planned day, in the mailbox the plan gave it, and the scheduler
and dispatcher take it from there.

The enrolment keeps the planned mailbox: every email of the lead's sequence goes out from it
(the thread stays in one mailbox), within its ramped daily cap, recomputed at send time from
the campaign's `mailboxes:` (agent/delivery/planned_mailbox.py). A plan over the server's
sender (a campaign without `mailboxes:`) enrols without one: the campaign's sender sends. A
plan that gives a segment a sequence of its own is refused, naming the segment, since the
scheduler runs the campaign's one sequence for every lead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from agent.planning.operations import WeekPlanReport
from agent.sequences.operations import enroll
from agent.settings import Settings
from storage.database import Database


class PlanNotFollowable(ValueError):
    """The sending path would not follow this plan; `reasons` says why, one line each."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def unfollowable(report: WeekPlanReport) -> list[str]:
    """Return why the scheduler and dispatcher would not follow the plan (none: they would)."""
    reasons = []
    sequence = report.sequence
    for segment in report.planning.setup.segments:
        own = segment.angle.sequence
        planned = any(t.segment == segment.name for d in report.plan.days for t in d.first_touches)
        if own is not None and planned and (sequence is None or own != sequence.preset):
            reasons.append(
                f"segment {segment.name!r} has its own sequence {own}, but the scheduler runs "
                f"the campaign's ({sequence.preset or 'custom steps'} here) for every lead"
                if sequence is not None
                else f"segment {segment.name!r} has its own sequence {own}, but the campaign "
                "has none for the scheduler to run"
            )
    return reasons


@dataclass(frozen=True)
class DayEnrolment:
    """The leads enrolled for one planned day."""

    date: dt.date
    enrolled: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    """Enrolled before (left as they are)."""


async def enroll_plan(
    db: Database,
    settings: Settings,
    campaign_id: int,
    report: WeekPlanReport,
    *,
    now: dt.datetime,
) -> list[DayEnrolment]:
    """Enrol the plan's first touches, each due on its planned day in its planned mailbox
    (PlanNotFollowable when the sending path would not follow the plan)."""
    reasons = unfollowable(report)
    if reasons:
        raise PlanNotFollowable(reasons)
    own_mailboxes = not report.mailboxes.from_settings
    done = []
    for day in report.plan.days:
        by_mailbox: dict[str | None, list[int]] = defaultdict(list)
        for touch in day.first_touches:
            if touch.lead_id is not None:
                by_mailbox[touch.mailbox if own_mailboxes else None].append(touch.lead_id)
        if not by_mailbox:
            continue
        # From midnight UTC of the day, each lead's first step is due at its window's opening
        # on that day in its own timezone (the next business day where that day is a holiday).
        start = max(now, dt.datetime.combine(day.day, dt.time(0), tzinfo=dt.UTC))
        enrolled = DayEnrolment(day.day)
        for mailbox, ids in by_mailbox.items():
            enrolment = await enroll(db, settings, campaign_id, ids, now=start, mailbox=mailbox)
            enrolled.enrolled.extend(enrolment.enrolled)
            enrolled.already.extend(enrolment.already)
        done.append(enrolled)
    return done
