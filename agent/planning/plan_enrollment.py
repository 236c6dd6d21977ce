"""Hand a week's plan to the sequence scheduler: each planned first touch is enrolled so its
first step falls due on its planned day, in the mailbox the plan gave it, and the scheduler
and dispatcher take it from there.

The enrolment keeps the planned mailbox: every email of the lead's sequence goes out from it
(the thread stays in one mailbox), within its ramped daily cap, recomputed at send time from
the campaign's `mailboxes:` (agent/delivery/planned_mailbox.py). A plan over the server's
sender (a campaign without `mailboxes:`) enrols without one: the campaign's sender sends.

The enrolment also keeps the sequence: a lead whose segment's angle names a preset of its own
follows that preset (storage: sequence_enrollments.sequence_preset), at the delays the plan
placed its follow-ups at; every other lead follows the campaign's sequence. A campaign without
a sequence of its own is followable only where every planned segment names one.
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


def own_presets(report: WeekPlanReport) -> dict[str, str]:
    """Return the sequence preset each segment names in its angle, by segment name."""
    return {s.name: s.angle.sequence for s in report.planning.setup.segments if s.angle.sequence}


def unfollowable(report: WeekPlanReport) -> list[str]:
    """Return why the scheduler and dispatcher would not follow the plan (none: they would)."""
    if report.sequence is not None:
        return []
    own = own_presets(report)
    planned = {t.segment for d in report.plan.days for t in d.first_touches if t.lead_id}
    if not planned & own.keys():
        return []  # no sequence anywhere: enrolling says how to add one (NoSequence)
    return [
        f"segment {name!r} has no sequence of its own and the campaign has none to run for "
        "its leads: set the campaign's `sequence:` or the segment's angle.sequence"
        for name in sorted(planned - own.keys())
    ]


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
    """Enrol the plan's first touches, each due on its planned day in its planned mailbox and
    its segment's sequence (PlanNotFollowable when the sending path would not follow the
    plan)."""
    reasons = unfollowable(report)
    if reasons:
        raise PlanNotFollowable(reasons)
    own_mailboxes = not report.mailboxes.from_settings
    presets = own_presets(report)
    done = []
    for day in report.plan.days:
        groups: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
        for touch in day.first_touches:
            if touch.lead_id is not None:
                mailbox = touch.mailbox if own_mailboxes else None
                groups[mailbox, presets.get(touch.segment)].append(touch.lead_id)
        if not groups:
            continue
        # From midnight UTC of the day, each lead's first step is due at its window's opening
        # on that day in its own timezone (the next business day where that day is a holiday).
        start = max(now, dt.datetime.combine(day.day, dt.time(0), tzinfo=dt.UTC))
        enrolled = DayEnrolment(day.day)
        for (mailbox, preset), ids in groups.items():
            enrolment = await enroll(
                db, settings, campaign_id, ids, now=start, mailbox=mailbox, preset=preset
            )
            enrolled.enrolled.extend(enrolment.enrolled)
            enrolled.already.extend(enrolment.already)
        done.append(enrolled)
    return done
