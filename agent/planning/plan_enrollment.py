"""Hand a week's plan to the sequence scheduler: each planned first touch is enrolled so its
first step falls due on its planned day, and the scheduler and dispatcher take it from there.

The plan is followed exactly only where the sending path does what the plan assumed: the
dispatcher sends a campaign's email from its one sender mailbox, capped at
OUTREACH_SEND_DAILY_CAP, and the scheduler runs the campaign's one sequence for every lead. A
plan that spreads over several mailboxes, gives one a higher cap than the dispatcher keeps, or
gives a segment a sequence of its own is refused, naming what would not be followed, rather
than enrolled and then sent otherwise.
"""

from __future__ import annotations

import datetime as dt
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


def unfollowable(report: WeekPlanReport, *, sender: str | None, settings: Settings) -> list[str]:
    """Return why the scheduler and dispatcher would not follow the plan (none: they would)."""
    reasons = []
    boxes = report.mailboxes
    if not boxes.from_settings:
        if len(boxes.mailboxes) != 1:
            reasons.append(
                f"the plan spreads over {len(boxes.mailboxes)} mailboxes, but a campaign's "
                "email goes out from its one sender mailbox: plan with that mailbox alone"
            )
        else:
            mailbox = boxes.mailboxes[0]
            if sender is None or mailbox.address != sender.strip().lower():
                reasons.append(
                    f"the plan's mailbox {mailbox.address} is not the campaign's sender "
                    f"({sender or 'none set'}), which is where its email goes out from"
                )
            if mailbox.daily_cap > settings.send_daily_cap:
                reasons.append(
                    f"mailbox {mailbox.address} has daily_cap {mailbox.daily_cap}, but the "
                    f"dispatcher keeps OUTREACH_SEND_DAILY_CAP {settings.send_daily_cap}: "
                    "lower the one or raise the other"
                )
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
    sender: str | None,
    now: dt.datetime,
) -> list[DayEnrolment]:
    """Enrol the plan's first touches, each due on its planned day (PlanNotFollowable when the
    sending path would not follow the plan)."""
    reasons = unfollowable(report, sender=sender, settings=settings)
    if reasons:
        raise PlanNotFollowable(reasons)
    done = []
    for day in report.plan.days:
        ids = [t.lead_id for t in day.first_touches if t.lead_id is not None]
        if not ids:
            continue
        # From midnight UTC of the day, each lead's first step is due at its window's opening
        # on that day in its own timezone (the next business day where that day is a holiday).
        start = max(now, dt.datetime.combine(day.day, dt.time(0), tzinfo=dt.UTC))
        enrolment = await enroll(db, settings, campaign_id, ids, now=start)
        done.append(DayEnrolment(day.day, enrolment.enrolled, enrolment.already))
    return done
