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

from agent.planning.accounts import group_accounts, is_company_account
from agent.planning.leftovers import count_leftovers
from agent.planning.mailbox_room import TASK_CHANNELS, MailboxRoom, country_of
from agent.planning.priority import Priority
from agent.planning.segment_config import UNSEGMENTED, SegmentSetup
from agent.planning.week_days import CadenceInputs, PlanDay, PlannedStep, WeekPlan, week_days
from agent.sequences.definition import PRESETS, SequenceDefinition, SequenceStep
from graphs.sequence_turn import StepChannel

MAX_FAILED_FITS = 200
"""Leads in a row whose follow-ups find no room before a day is taken as full."""


def _sequence_for(setup: SegmentSetup, base: SequenceDefinition | None) -> dict[str, tuple]:
    steps = {UNSEGMENTED: (base.preset if base else None, base.steps if base else ())}
    for segment in setup.segments:
        preset = segment.angle.sequence
        steps[segment.name] = (preset, PRESETS[preset]) if preset in PRESETS else steps[UNSEGMENTED]
    return steps


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
        planner = MailboxRoom(inputs, days)
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
    planner: MailboxRoom,
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
        country = country_of(item.prospect.country, inputs.default_country)
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
    planner: MailboxRoom, day: dt.date, steps: Sequence[SequenceStep], country: str
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
    planner: MailboxRoom,
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
