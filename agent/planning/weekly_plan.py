"""Next week's plan: first touches per day per mailbox and segment, follow-ups due, tasks.

Day by day (closed days skipped), follow-ups already due come first; the room left in each
mailbox's ramped cap goes to first touches. Each first touch is the best remaining lead of the
segment furthest behind its share of the week so far, so the shares hold however the week
fills. A first touch is planned only where its own email follow-ups that fall inside the week
fit too (the same mailbox keeps the thread), so the plan never exceeds a cap. Two contacts of
one account never get a first touch on the same day. Every lead that is not planned is
counted under one reason (`Leftover`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from agent.planning.accounts import group_accounts, is_company_account
from agent.planning.cadence_config import Mailbox
from agent.planning.leftovers import count_leftovers
from agent.planning.priority import Priority
from agent.planning.segment_config import UNSEGMENTED, SegmentSetup
from agent.planning.week_days import (
    DueStep,
    MailboxDay,
    PlanDay,
    PlannedStep,
    WeekPlan,
    week_days,
)
from agent.sequences.business_days import add_business_days, known_country
from agent.sequences.definition import PRESETS, SequenceDefinition, SequenceStep
from graphs.sequence_turn import StepChannel

TASK_CHANNELS = frozenset(
    {StepChannel.LINKEDIN_CONNECT, StepChannel.LINKEDIN_MESSAGE, StepChannel.CALL}
)
MAX_FAILED_FITS = 200
"""Leads in a row whose follow-ups find no room before a day is taken as full."""


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


@lru_cache(maxsize=65_536)
def _after(day: dt.date, delay: int, country: str) -> dt.date:
    return add_business_days(day, delay, country)


@lru_cache(maxsize=1024)
def _country(written: str, default: str) -> str:
    code = written.strip().upper()
    return code if len(code) == 2 and code.isalpha() and known_country(code) else default


def _sequence_for(setup: SegmentSetup, base: SequenceDefinition | None) -> dict[str, tuple]:
    steps = {UNSEGMENTED: (base.preset if base else None, base.steps if base else ())}
    for segment in setup.segments:
        preset = segment.angle.sequence
        steps[segment.name] = (preset, PRESETS[preset]) if preset in PRESETS else steps[UNSEGMENTED]
    return steps


class _Planner:
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
            due = _after(previous, step.delay_business_days, country)
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
        """Add the campaign sequence's later steps of a stored enrolment that fall in the week
        (the scheduler stores a step only once the one before is done)."""
        sequence = self.inputs.sequence
        if sequence is None:
            return
        country = _country(step.country or "", self.inputs.default_country)
        previous = day
        for number, later in enumerate(sequence.steps[step.step :], start=step.step + 1):
            due = _after(previous, later.delay_business_days, country)
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


def build_week_plan(ranked: Sequence[Priority], inputs: CadenceInputs) -> WeekPlan:
    """Plan the week from leads ranked best first; never exceed a mailbox's cap.

    First touches are spread evenly over the open days when the leads allow; when that leaves
    leads waiting that filling each day to its cap would have planned (the days late in the
    week are taken by follow-ups), each day is filled instead."""
    setup = inputs.setup
    shares = {s.name: s.target_share for s in setup.segments}
    shares[UNSEGMENTED] = setup.unsegmented_share
    groups = group_accounts([p.prospect for p in ranked], inputs.max_contacts)
    skipped: Counter[tuple[str, str]] = Counter()
    order: dict[str, list[int]] = {name: [] for name in shares}
    for index, item in enumerate(ranked):
        p, segment = item.prospect, item.placement.segment
        reason = (
            "suppressed" if p.suppressed
            else "no_address" if inputs.needs not in p.channels
            else "invalid_email" if inputs.needs == "email" and p.email_status == "invalid"
            else "enrolled" if p.lead_id is not None and p.lead_id in inputs.enrolled
            else "held_back" if shares.get(segment, 0) <= 0
            else "account_limit" if index in groups.over_limit
            else None
        )  # fmt: skip
        if reason is not None:
            skipped[reason, segment] += 1
        else:
            order[segment].append(index)
    week = _Week(ranked, inputs, shares, _sequence_for(setup, inputs.sequence), groups.account)
    days, slipped, waiting = week.fill(order, spread=True)
    if waiting:
        packed = week.fill(order, spread=False)
        if sum(packed[2].values()) < sum(waiting.values()):
            days, slipped, waiting = packed
    leftovers = count_leftovers(skipped, waiting, slipped, inputs.max_contacts)
    eligible = Counter({name: len(indexes) for name, indexes in order.items() if indexes})
    return WeekPlan(
        inputs.week_start, days, leftovers, eligible, shares, groups.cuts, groups.multi_contact
    )


@dataclass
class _Week:
    """One filling of the week: the leads, what the campaign asks, and each lead's account."""

    ranked: Sequence[Priority]
    inputs: CadenceInputs
    shares: Mapping[str, float]
    sequences: Mapping[str, tuple]
    accounts: list[str]

    def fill(
        self, order: Mapping[str, list[int]], *, spread: bool
    ) -> tuple[list[PlanDay], int, Counter[tuple[str, str]]]:
        """Return the filled days, follow-ups slipped past the week, and leads left waiting
        (by reason and segment)."""
        inputs = self.inputs
        days = week_days(inputs.week_start, inputs.mailboxes, inputs.default_country)
        planner = _Planner(inputs, days)
        for due in sorted(inputs.due, key=lambda s: (s.day, s.lead_id, s.step)):
            planner.place_due(due)
        queues = {name: deque(indexes) for name, indexes in order.items()}
        placed: Counter[str] = Counter()
        last_reason: dict[int, str] = {}
        open_days = [d for d in days if d.closed is None]
        for number, plan_day in enumerate(open_days):
            left = sum(len(q) for name, q in queues.items() if self.shares[name] > 0)
            budget = -(-left // (len(open_days) - number)) if spread else left
            _fill_day(plan_day, self, planner, queues, placed, last_reason, budget)
        waiting: Counter[tuple[str, str]] = Counter()
        for segment, queue in queues.items():
            for index in queue:
                waiting[last_reason.get(index, "mailbox_caps"), segment] += 1
        return days, planner.slipped, waiting


def _fill_day(
    plan_day: PlanDay,
    week: _Week,
    planner: _Planner,
    queues: dict[str, deque[int]],
    placed: Counter[str],
    last_reason: dict[int, str],
    budget: int,
) -> None:
    """Give the day's room left after follow-ups to first touches (at most `budget`), segment
    by share."""
    day = plan_day.day
    ranked, inputs, shares, sequences, accounts = (
        week.ranked, week.inputs, week.shares, week.sequences, week.accounts
    )  # fmt: skip
    active = {name for name, queue in queues.items() if queue and shares[name] > 0}
    held: dict[str, list[int]] = {name: [] for name in queues}
    touched: set[str] = set()
    failed = today = 0
    while active and today < budget:
        total = sum(placed.values()) + 1
        segment = max(active, key=lambda s: (shares[s] * total - placed[s], shares[s], s))
        queue = queues[segment]
        index = None
        while queue:
            candidate = queue.popleft()
            if accounts[candidate] in touched:
                held[segment].append(candidate)
                last_reason[candidate] = "account_same_day"
                continue
            index = candidate
            break
        if index is None:
            active.discard(segment)
            continue
        item = ranked[index]
        preset, steps = sequences[segment]
        country = _country(item.prospect.country, inputs.default_country)
        fit = _mailbox_for(planner, day, steps, country)
        if fit is None:
            last_reason[index] = "mailbox_caps"
            if not any(planner.room[b.address, day] > 0 for b in plan_day.mailboxes):
                queue.appendleft(index)
                break
            held[segment].append(index)
            failed += 1
            if failed >= MAX_FAILED_FITS:
                break
            continue
        box, later = fit
        account = accounts[index]
        if is_company_account(account):
            touched.add(account)
        placed[segment] += 1
        today += 1
        last_reason.pop(index, None)
        _place(plan_day, planner, item, segment, account, box, preset, steps, later)
    for segment, indexes in held.items():
        queues[segment].extendleft(reversed(indexes))


def _mailbox_for(
    planner: _Planner, day: dt.date, steps: Sequence[SequenceStep], country: str
) -> tuple[str, list[tuple[int, SequenceStep, dt.date]]] | None:
    """Return the mailbox with most room today whose days ahead fit the lead's follow-ups."""
    candidates = sorted(
        (b for b in planner.by_address if planner.room.get((b, day), 0) > 0),
        key=lambda b: (-planner.room[b, day], planner.order[b]),
    )
    for box in candidates:
        later = planner.follow_ups(day, steps, country, box) if steps else []
        if later is not None:
            return box, later
    return None


def _place(
    plan_day: PlanDay,
    planner: _Planner,
    item: Priority,
    segment: str,
    account: str,
    box: str,
    preset: str | None,
    steps: Sequence[SequenceStep],
    later: list[tuple[int, SequenceStep, dt.date]],
) -> None:
    p = item.prospect
    first = steps[0] if steps else None
    day = plan_day.day
    planner.room[box, day] -= 1
    planner.boxes[box, day].first_touches[segment] += 1
    plan_day.first_touches.append(
        PlannedStep(
            day,
            p.label,
            p.lead_id,
            1,
            first.channel.value if first else "email",
            "first_touch",
            box,
            segment,
            account=account,
            score=item.score,
            sequence=preset or ("custom" if steps else None),
        )
    )
    for number, step, due in later:
        email = step.channel is StepChannel.EMAIL
        planned = PlannedStep(
            due,
            p.label,
            p.lead_id,
            number,
            step.channel.value,
            step.kind.value,
            box if email else None,
            segment,
        )
        target = planner.days[due]
        if email:
            planner.room[box, due] -= 1
            planner.boxes[box, due].follow_ups += 1
            target.follow_ups.append(planned)
        elif step.channel in TASK_CHANNELS:
            target.tasks.append(planned)
        else:
            target.follow_ups.append(planned)
