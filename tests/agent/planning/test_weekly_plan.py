"""The weekly plan over 1,000 generated leads: caps, warm-up ramps, segment shares, follow-up
spacing, account staggering, holidays, and every lead that did not fit counted by reason."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from typing import Any

import pytest

from agent.campaigns.spec import CampaignSpec
from agent.planning.accounts import account_of
from agent.planning.operations import WeekPlanReport, plan_week
from agent.planning.prospects import Prospect
from agent.planning.week_days import DueStep
from agent.sequences.business_days import add_business_days, is_business_day
from agent.sequences.definition import PRESETS
from agent.settings import Settings
from tests.agent.planning.accounts_for_planning import CAMPAIGN, account_leads
from tests.agent.planning.leads_for_planning import TODAY

CHRISTMAS_WEEK = dt.date(2026, 12, 21)  # Friday 25 December is a holiday in every lead's country
PLAIN_WEEK = dt.date(2027, 1, 11)
LEAD_COUNTRY = {p.lead_id: p.country.upper() for p in account_leads()}


def planned(
    week: dt.date = PLAIN_WEEK,
    prospects: list[Prospect] | None = None,
    **changes: Any,
) -> WeekPlanReport:
    spec = CampaignSpec.model_validate({**CAMPAIGN, **changes})
    return plan_week(
        spec,
        account_leads() if prospects is None else prospects,
        settings=Settings(),
        today=TODAY,
        week_start=week,
    )


def ramped_cap(mailbox: dict[str, Any], day: dt.date, week: dt.date) -> int:
    """The cap written in the campaign, raised day by day from the week's Monday."""
    if day.weekday() >= 5 or not is_business_day(day, "US"):
        return 0
    if day.strftime("%a").lower() not in mailbox.get("days", ["mon", "tue", "wed", "thu", "fri"]):
        return 0
    ramp = mailbox.get("warmup")
    if ramp is None:
        return int(mailbox["daily_cap"])
    sending_days = sum(
        1 for n in range((day - week).days) if is_business_day(week + dt.timedelta(days=n), "US")
    )
    return min(mailbox["daily_cap"], ramp["start"] + ramp["step"] * sending_days)


@pytest.mark.parametrize("week", [PLAIN_WEEK, CHRISTMAS_WEEK])
def test_no_mailbox_sends_more_than_its_ramped_cap_on_any_day(week: dt.date) -> None:
    report = planned(week)
    sends: Counter[tuple[str, dt.date]] = Counter()
    for plan_day in report.plan.days:
        for step in (*plan_day.first_touches, *plan_day.follow_ups):
            if step.channel == "email":
                sends[step.mailbox or "", plan_day.day] += 1
    assert sends, "the plan sends something"
    for mailbox in CAMPAIGN["mailboxes"]:
        for offset in range(7):
            day = week + dt.timedelta(days=offset)
            assert sends[mailbox["address"], day] <= ramped_cap(mailbox, day, week)
    # The leads outnumber the room: every mailbox-day is used to its cap.
    capacity = sum(ramped_cap(m, week + dt.timedelta(days=n), week)
                   for m in CAMPAIGN["mailboxes"] for n in range(7))  # fmt: skip
    assert sum(sends.values()) == capacity


def test_first_touches_follow_the_segment_shares_and_priority() -> None:
    report = planned()
    touches = [t for day in report.plan.days for t in day.first_touches]
    by_segment = Counter(t.segment for t in touches)
    assert set(by_segment) == {"leaders", "platform", "unsegmented"}
    for segment, share in {"leaders": 0.4, "platform": 0.3, "unsegmented": 0.3}.items():
        assert abs(by_segment[segment] - share * len(touches)) <= 1
    # Within a segment the best leads go first: a planned lead outscores every lead left
    # waiting for the caps alone (other than a contact staggered behind its account).
    scores = {t.lead: t.score for t in touches}
    assert len(scores) == len(touches)  # nobody twice
    first_day = report.plan.days[0].first_touches
    assert first_day[0].score == max(
        t.score or 0 for t in first_day if t.segment == first_day[0].segment
    )


def test_follow_ups_keep_the_sequence_spacing_and_the_thread_mailbox() -> None:
    report = planned(sequence="3-step", segments=[])
    steps: dict[int | None, list[Any]] = defaultdict(list)
    for day in report.plan.days:
        for step in (*day.first_touches, *day.follow_ups, *day.tasks):
            steps[step.lead_id].append(step)
    follow_ups = [s for found in steps.values() for s in found if s.step > 1]
    assert follow_ups, "Monday's and Tuesday's first touches are followed up in the week"
    delays = [step.delay_business_days for step in PRESETS["3-step"]]
    for found in steps.values():
        found.sort(key=lambda s: s.step)
        assert [s.step for s in found] == list(range(1, len(found) + 1))
        for earlier, later in itertools.pairwise(found):
            country = LEAD_COUNTRY[earlier.lead_id]
            assert later.day == add_business_days(earlier.day, delays[later.step - 1], country)
            gap = sum(1 for n in range(1, (later.day - earlier.day).days + 1)
                      if is_business_day(earlier.day + dt.timedelta(days=n), country))  # fmt: skip
            assert 3 <= gap <= 5
            assert later.mailbox == earlier.mailbox  # the thread stays in its mailbox


def test_tasks_for_people_come_from_linkedin_and_call_steps() -> None:
    report = planned(sequence="5-step", segments=[])
    tasks = [t for day in report.plan.days for t in day.tasks]
    assert tasks and {t.channel for t in tasks} <= {"linkedin_connect", "call"}
    assert all(t.mailbox is None for t in tasks)
    firsts = {t.lead_id: t.day for day in report.plan.days for t in day.first_touches}
    for task in tasks:  # LinkedIn connect: one business day after the first touch
        assert task.day == add_business_days(firsts[task.lead_id], 1, LEAD_COUNTRY[task.lead_id])


def test_never_two_first_touches_at_one_account_on_one_day() -> None:
    report = planned()
    per_day = Counter((day.day, t.account) for day in report.plan.days for t in day.first_touches)
    assert max(per_day.values()) == 1
    # 200 accounts of three contacts are staggered over the week; of the 100 contacts at
    # bigco.example at most the campaign's three are planned.
    accounts = Counter(t.account for day in report.plan.days for t in day.first_touches)
    assert max(accounts.values()) == 3
    assert accounts["bigco.example"] <= 3
    staggered = [a for a, n in accounts.items() if n > 1]
    assert staggered
    # Free-mail addresses are accounts of their own, never grouped under gmail.com.
    free_mail = planned(prospects=account_leads()[800:900])
    monday = free_mail.plan.days[0].first_touches
    assert len(monday) > 1 and all((t.account or "").startswith("lead:") for t in monday)


def test_the_contact_limit_per_account_is_the_campaigns() -> None:
    report = planned(max_contacts_per_account=1)
    accounts = Counter(t.account for day in report.plan.days for t in day.first_touches)
    assert max(accounts.values()) == 1
    left = {x.reason: x.count for x in report.plan.leftovers}
    # 200 accounts of three keep one each (400 wait), bigco keeps one of 100 (99 wait).
    assert left["account_limit"] == 400 + 99


def test_holidays_and_weekends_are_closed() -> None:
    report = planned(CHRISTMAS_WEEK)
    closed = {day.day: day.closed for day in report.plan.days if day.closed}
    assert closed[dt.date(2026, 12, 25)] == "holiday: Christmas Day"
    assert closed[dt.date(2026, 12, 26)] == closed[dt.date(2026, 12, 27)] == "weekend"
    for day in report.plan.days:
        if day.closed:
            assert not (day.first_touches or day.follow_ups or day.mailboxes)


def test_every_lead_is_planned_or_counted_under_one_reason() -> None:
    prospects = account_leads()
    prospects[5] = prospects[5].__class__(**{**_fields(prospects[5]), "suppressed": "bounced"})
    prospects[6] = prospects[6].__class__(**{**_fields(prospects[6]), "email": None,
                                             "channels": frozenset()})  # fmt: skip
    report = planned(prospects=prospects)
    touches = sum(len(day.first_touches) for day in report.plan.days)
    left = {x.reason: x.count for x in report.plan.leftovers}
    assert touches + sum(left.values()) == len(prospects)
    assert left["suppressed"] == 1 and left["no_address"] == 1
    assert left["mailbox_caps"] > 0
    waiting = next(x for x in report.plan.leftovers if x.reason == "mailbox_caps")
    assert str(left["mailbox_caps"]) in waiting.message and "next week" in waiting.message


def test_a_small_list_is_planned_whole_without_leftovers() -> None:
    report = planned(prospects=account_leads()[600:700])  # 100 companies of one contact
    touches = sum(len(day.first_touches) for day in report.plan.days)
    assert touches == 100
    assert report.plan.leftovers == []
    per_day = [len(day.first_touches) for day in report.plan.days if not day.closed]
    assert per_day == [20] * 5  # spread over the week, not all on Monday


def test_follow_ups_already_due_take_their_room_first() -> None:
    spec = CampaignSpec.model_validate(
        {**CAMPAIGN, "mailboxes": [{"address": "alex@seller.example", "daily_cap": 5}]}
    )
    due = [DueStep(9000 + n, f"old{n}@x.example", 2, "email", "soft_nudge", PLAIN_WEEK,
                   "alex@seller.example") for n in range(7)]  # fmt: skip
    report = plan_week(spec, account_leads()[:50], settings=Settings(), today=TODAY,
                       week_start=PLAIN_WEEK, due=due)  # fmt: skip
    monday, tuesday = report.plan.days[:2]
    assert len(monday.follow_ups) == 5 and not monday.first_touches
    assert {s.source for s in monday.follow_ups} == {"enrolled"}
    assert sum(1 for s in tuesday.follow_ups if s.source == "enrolled") == 2
    # Their next step (soft_nudge: 4 business days on) is projected, holding Friday's room.
    friday = report.plan.days[4]
    assert [s.step for s in friday.follow_ups if s.source == "enrolled"] == [3] * 5
    for day in report.plan.days:
        for box in day.mailboxes:
            assert box.sends <= box.cap
    assert sum(len(day.first_touches) for day in report.plan.days) > 0


def test_bad_mailboxes_and_a_huge_account_are_named_and_the_rest_is_planned() -> None:
    domains = ["giant.example"] * 500 + [f"c{n}.example" for n in range(500)]
    prospects = account_leads(domain_of=lambda n: domains[n])
    mailboxes = [
        {"address": "zero@seller.example", "daily_cap": 0},
        {"address": "typo@seller.example", "daily_cpa": 40},
        {"address": "ramp@seller.example", "daily_cap": 20, "warmup": {"start": 50}},
        {"address": "good@seller.example", "daily_cap": 30},
    ]
    report = planned(prospects=prospects, mailboxes=mailboxes)
    problems = {(p.mailbox, p.field): p for p in report.problems if p.mailbox}
    assert problems["zero@seller.example", "daily_cap"].level == "error"
    assert "daily_cap" in problems["typo@seller.example", "daily_cpa"].message
    assert problems["ramp@seller.example", "warmup.start"].level == "error"
    giant = next(p for p in report.problems if p.account == "giant.example")
    assert giant.level == "warning" and "500" in giant.message
    boxes = {box.address for day in report.plan.days for box in day.mailboxes}
    assert boxes == {"good@seller.example"}
    assert sum(box.sends for day in report.plan.days for box in day.mailboxes) == 5 * 30
    touches = [t for day in report.plan.days for t in day.first_touches]
    assert sum(1 for t in touches if t.account == "giant.example") == 3


def test_without_a_mailbox_that_can_send_every_lead_waits() -> None:
    report = planned(mailboxes=[{"address": "zero@seller.example", "daily_cap": 0}])
    assert sum(len(day.first_touches) for day in report.plan.days) == 0
    assert any(p.field == "mailboxes" and p.level == "error" for p in report.problems)
    left = {x.reason: x.count for x in report.plan.leftovers}
    assert left["mailbox_caps"] > 0


def test_without_mailboxes_the_sender_sends_with_the_servers_cap() -> None:
    report = plan_week(
        CampaignSpec.model_validate({**CAMPAIGN, "mailboxes": []}),
        account_leads()[:500],
        settings=Settings(send_daily_cap=12, sender_email="me@seller.example"),
        today=TODAY,
        week_start=PLAIN_WEEK,
    )
    assert report.mailboxes.from_settings
    assert {(b.address, b.cap) for d in report.plan.days for b in d.mailboxes} == {
        ("me@seller.example", 12)
    }


def test_the_json_names_days_mailboxes_segments_and_what_did_not_fit() -> None:
    found = planned(CHRISTMAS_WEEK).as_json()
    assert found["week"] == "2026-12-21"
    assert [d["weekday"] for d in found["days"]][:5] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    monday = found["days"][0]
    assert {b["mailbox"] for b in monday["mailboxes"]} == {
        m["address"] for m in CAMPAIGN["mailboxes"]
    }
    assert sum(b["sends"] for b in monday["mailboxes"]) == len(monday["first_touches"])
    assert {s["name"] for s in found["segments"]} == {"leaders", "platform", "unsegmented"}
    assert found["did_not_fit"][0]["reason"] == "mailbox_caps"
    assert found["totals"]["sends"] <= found["totals"]["capacity"]


def test_account_of_groups_by_company_domain_only() -> None:
    prospects = account_leads(4, domain_of=lambda n: ["acme.example", "ACME.example", "gmail.com",
                                                   "gmail.com"][n])  # fmt: skip
    accounts = [account_of(p) for p in prospects]
    assert accounts[0] == accounts[1] == "acme.example"
    assert accounts[2] != accounts[3]


def _fields(prospect: Prospect) -> dict[str, Any]:
    return {name: getattr(prospect, name) for name in prospect.__slots__}
