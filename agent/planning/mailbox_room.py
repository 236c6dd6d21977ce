"""The room left in each mailbox on each day of a week, and the stored steps placed in it.

`MailboxRoom` starts from every open mailbox-day's ramped cap and takes one slot per email:
a stored enrolment's steps due in the week (and its later steps there, projected from the
sequence it follows: its segment's preset, else the campaign's), then the first touches the
planner places with their own follow-ups.
A lead's follow-ups fall the sequence's delays apart in business days of its country, as the
scheduler will send them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

from agent.planning.week_days import CadenceInputs, DueStep, MailboxDay, PlanDay, PlannedStep
from agent.sequences.business_days import add_business_days, known_country
from agent.sequences.definition import PRESETS, SequenceStep
from graphs.sequence_turn import StepChannel

TASK_CHANNELS = frozenset(
    {StepChannel.LINKEDIN_CONNECT, StepChannel.LINKEDIN_MESSAGE, StepChannel.CALL}
)


@lru_cache(maxsize=65_536)
def business_day_after(day: dt.date, delay: int, country: str) -> dt.date:
    """Return the day `delay` business days after `day` in `country` (cached: few distinct)."""
    return add_business_days(day, delay, country)


@lru_cache(maxsize=1024)
def country_of(written: str, default: str) -> str:
    """Return a lead's country as a holiday-table code, else the default."""
    code = written.strip().upper()
    usable = len(code) == 2 and code.isascii() and code.isalpha()
    return code if usable and known_country(code) else default


class MailboxRoom:
    """Slots left per mailbox and day, and where the week's steps went."""

    def __init__(self, inputs: CadenceInputs, days: list[PlanDay]):
        self.inputs = inputs
        self.days = {d.day: d for d in days}
        self.week_end = days[-1].day
        self.room: dict[tuple[str, dt.date], int] = {}
        self.boxes: dict[tuple[str, dt.date], MailboxDay] = {}
        self.order = {m.address: n for n, m in enumerate(inputs.mailboxes)}
        for plan_day in days:
            for box in plan_day.mailboxes:
                self.room[box.address, plan_day.day] = box.cap
                self.boxes[box.address, plan_day.day] = box
        self.by_address = {m.address: m for m in inputs.mailboxes}
        self.slipped = 0

    def send_day(self, mailbox: str, due: dt.date) -> dt.date | None:
        """Return the mailbox's first open day on or after `due` within the week."""
        day = due
        while day <= self.week_end:
            if (mailbox, day) in self.room:
                return day
            day += dt.timedelta(days=1)
        return None

    def follow_ups(
        self, start: dt.date, steps: Sequence[SequenceStep], country: str, mailbox: str
    ) -> list[tuple[int, SequenceStep, dt.date]] | None:
        """Return the steps after the first that fall in the week, or None if an email's day
        has no room left in the mailbox."""
        planned, previous = [], start
        for number, step in enumerate(steps[1:], start=2):
            due = business_day_after(previous, step.delay_business_days, country)
            if due > self.week_end:
                break
            if step.channel is StepChannel.EMAIL:
                sent = self.send_day(mailbox, due)
                if sent is None:
                    break
                if self.room[mailbox, sent] < 1:
                    return None
                due = sent
            planned.append((number, step, due))
            previous = due
        return planned

    def place_due(self, step: DueStep) -> None:
        """Put a stored step on its day (an email on the next day with room, in its mailbox if
        ours), then the sequence's steps after it that fall in the week."""
        if step.channel != StepChannel.EMAIL.value:
            self._add(step.day, step, None)
            self._project(step, step.day, None)
            return
        boxes = [step.mailbox] if step.mailbox in self.by_address else list(self.by_address)
        found = self._room_from(boxes, step.day)
        if found is None:
            self.slipped += 1
            return
        box, day = found
        self.room[box, day] -= 1
        self.boxes[box, day].follow_ups += 1
        self._add(day, step, box)
        self._project(step, day, box)

    def _project(self, step: DueStep, day: dt.date, box: str | None) -> None:
        """Add the later steps of a stored enrolment's sequence (its own preset, else the
        campaign's) that fall in the week (the scheduler stores a step only once the one before
        is done)."""
        steps = PRESETS.get(step.sequence or "")
        if steps is None and self.inputs.sequence is not None:
            steps = self.inputs.sequence.steps
        if steps is None:
            return
        country = country_of(step.country or "", self.inputs.default_country)
        previous = day
        for number, later in enumerate(steps[step.step :], start=step.step + 1):
            due = business_day_after(previous, later.delay_business_days, country)
            if due > self.week_end:
                return
            sender = None
            if later.channel is StepChannel.EMAIL:
                found = self._room_from([box] if box else list(self.by_address), due)
                if found is None:
                    self.slipped += 1
                    return
                sender, due = found
                box = sender
                self.room[sender, due] -= 1
                self.boxes[sender, due].follow_ups += 1
            projected = DueStep(
                step.lead_id, step.lead, number, later.channel.value, later.kind.value, due
            )
            self._add(due, projected, sender)
            previous = due

    def _room_from(self, boxes: list[str], due: dt.date) -> tuple[str, dt.date] | None:
        """Return the first day from `due` in the week where one of the mailboxes has room."""
        day = due
        while day <= self.week_end:
            open_boxes = [b for b in boxes if self.room.get((b, day), 0) > 0]
            if open_boxes:
                return max(open_boxes, key=lambda b: (self.room[b, day], -self.order[b])), day
            day += dt.timedelta(days=1)
        return None

    def _add(self, day: dt.date, step: DueStep, box: str | None) -> None:
        planned = PlannedStep(
            day,
            step.lead,
            step.lead_id,
            step.step,
            step.channel,
            step.kind,
            box,
            "",
            source="enrolled",
        )
        plan_day = self.days[day]
        (plan_day.tasks if step.channel in _TASKS else plan_day.follow_ups).append(planned)


_TASKS = frozenset(c.value for c in TASK_CHANNELS)
