"""Whatever a campaign's `mailboxes:` holds, reading it names what is wrong and never fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from agent.planning.cadence_config import read_mailboxes

WEIRD: list[Any] = [
    None, 0, -1, 1.5, True, "40", "", "x" * 5000, [], {}, [1], {"a": 1}, dt.date(2026, 1, 1),
    dt.datetime(2026, 1, 1), float("nan"), 10**30, "2026-02-30", "ZZ", "de", "-", "\x00",
    "09:00-08:00", "25:00-26:00", ["mon", 3], "mon", "MON",
]  # fmt: skip
MONDAY = dt.date(2026, 12, 7)


def read(raw: Any) -> Any:
    return read_mailboxes(raw, default_address=None, default_cap=5, default_window="09:00-17:00",
                          default_country="US")  # fmt: skip


@pytest.mark.parametrize("field", ["address", "daily_cap", "warmup", "window", "days", "country"])
def test_any_value_of_a_mailbox_field_is_read_or_named(field: str) -> None:
    for value in WEIRD:
        setup = read([{"address": "a@b.example", "daily_cap": 10, field: value}])
        if not setup.mailboxes:
            assert any(p.level == "error" and p.field for p in setup.problems), value
        for mailbox in setup.mailboxes:
            caps = [mailbox.cap_on(MONDAY + dt.timedelta(days=n), MONDAY) for n in range(7)]
            assert all(0 <= cap <= mailbox.daily_cap for cap in caps)


@pytest.mark.parametrize("field", ["start", "step", "every", "since", "bogus"])
def test_any_warmup_value_is_read_or_named(field: str) -> None:
    for value in WEIRD:
        setup = read([{"address": "a@b.example", "daily_cap": 10,
                       "warmup": {"start": 2, field: value}}])  # fmt: skip
        for mailbox in setup.mailboxes:
            caps = [mailbox.cap_on(MONDAY + dt.timedelta(days=n), MONDAY) for n in range(7)]
            assert caps == sorted(caps) and caps[-1] <= 10  # a ramp only rises, to the cap


def test_a_mailboxes_section_that_is_no_list_is_named() -> None:
    for raw in WEIRD:
        setup = read(raw)
        assert setup.mailboxes or any(p.field == "mailboxes" for p in setup.problems), raw


def test_a_ramp_rises_by_sending_day_to_its_cap() -> None:
    setup = read([{"address": "a@b.example", "daily_cap": 12,
                   "warmup": {"start": 4, "step": 3, "since": "2026-12-04"}}])  # fmt: skip
    mailbox = setup.mailboxes[0]
    # Friday 4 December 4, weekend none, Monday 7, Tuesday 10, then the cap.
    assert [mailbox.cap_on(MONDAY + dt.timedelta(days=n), MONDAY) for n in range(4)] == [
        7, 10, 12, 12,
    ]  # fmt: skip
    weekly = read([{"address": "a@b.example", "daily_cap": 30,
                    "warmup": {"start": 10, "step": 5, "every": "week"}}]).mailboxes[0]  # fmt: skip
    assert [weekly.cap_on(MONDAY + dt.timedelta(days=n), MONDAY) for n in (0, 6, 7, 14)] == [
        10, 10, 15, 20,
    ]  # fmt: skip
