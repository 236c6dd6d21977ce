"""Proposing meeting slots: free, in working hours, on working days, readable for the recipient."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent.sequences.business_days import is_business_day
from tools.calendar import BusyInterval, Slot, UnknownTimezone, propose_slots, read_busy

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "calendar" / "availability.ics"
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.UTC)  # Sunday noon in New York
THANKSGIVING = dt.date(2026, 11, 26)


def us_workday(day: dt.date) -> bool:
    return is_business_day(day, "US")


def slots_for(
    busy: list[BusyInterval],
    recipient_tz: str = "America/New_York",
    *,
    now: dt.datetime = NOW,
    working_hours: str = "09:00-17:00",
    minutes: int = 30,
    count: int = 3,
    is_workday: Callable[[dt.date], bool] = us_workday,
) -> list[Slot]:
    return propose_slots(
        busy,
        now=now,
        sender_tz="America/New_York",
        working_hours=working_hours,
        is_workday=is_workday,
        minutes=minutes,
        count=count,
        recipient_tz=recipient_tz,
    )


def in_new_york(slot: Slot) -> tuple[dt.datetime, dt.datetime]:
    return slot.start.astimezone(NEW_YORK), slot.end.astimezone(NEW_YORK)


@pytest.fixture
def busy() -> list[BusyInterval]:
    return read_busy(FIXTURE, sender_tz="America/New_York", now=NOW)


def test_slots_avoid_busy_blocks_weekends_and_holidays(busy: list[BusyInterval]) -> None:
    slots = slots_for(busy)
    assert len(slots) == 3
    for slot in slots:
        start, end = in_new_york(slot)
        assert not any(b.overlaps(slot.start, slot.end) for b in busy), slot.label(NEW_YORK)
        assert start.weekday() < 5 and start.date() != THANKSGIVING
        assert dt.time(9) <= start.time() and end.time() <= dt.time(17)
        assert end - start == dt.timedelta(minutes=30)
    assert len({in_new_york(s)[0].date() for s in slots}) == 3  # one a day
    assert slots == sorted(slots)


def test_an_open_calendar_gives_one_slot_a_day_morning_and_afternoon_in_turn() -> None:
    labels = [slot.label("America/New_York") for slot in slots_for([])]
    assert labels == [
        "Monday 23 November, 10:00–10:30 (America/New_York)",
        "Tuesday 24 November, 14:00–14:30 (America/New_York)",
        "Wednesday 25 November, 10:00–10:30 (America/New_York)",
    ]


def test_labels_read_in_the_recipients_timezone() -> None:
    slot = slots_for([])[0]
    assert slot.label("Europe/Berlin") == "Monday 23 November, 16:00–16:30 (Europe/Berlin)"
    assert slot.label("Asia/Kolkata") == "Monday 23 November, 20:30–21:00 (Asia/Kolkata)"


def test_slots_fall_in_the_recipients_daytime_when_the_hours_overlap(
    busy: list[BusyInterval],
) -> None:
    slots = slots_for(busy, "Europe/Berlin")
    assert len(slots) == 3
    for slot in slots:
        start, end = slot.start.astimezone(BERLIN), slot.end.astimezone(BERLIN)
        assert dt.time(8) <= start.time() and end.time() <= dt.time(18), slot.label(BERLIN)
        ny_start, ny_end = in_new_york(slot)
        assert dt.time(9) <= ny_start.time() and ny_end.time() <= dt.time(17)


def test_without_any_overlap_slots_stay_in_the_senders_working_hours() -> None:
    slots = slots_for([], "Asia/Tokyo")
    assert len(slots) == 3
    for slot in slots:
        start, end = in_new_york(slot)
        assert dt.time(9) <= start.time() and end.time() <= dt.time(17)


def test_no_slot_today_or_within_two_hours() -> None:
    monday_morning = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)  # 09:00 in New York
    slots = slots_for([], now=monday_morning)
    assert min(in_new_york(s)[0].date() for s in slots) == dt.date(2026, 11, 24)
    late_sunday = dt.datetime(2026, 11, 23, 4, 30, tzinfo=dt.UTC)  # Sunday 23:30 in New York
    around_the_clock = slots_for([], now=late_sunday, working_hours="00:00-24:00")
    assert min(s.start for s in around_the_clock) >= late_sunday + dt.timedelta(hours=2)


def test_fully_booked_days_are_skipped() -> None:
    booked = [
        BusyInterval(
            dt.datetime(2026, 11, 23, tzinfo=NEW_YORK).astimezone(dt.UTC),
            dt.datetime(2026, 11, 25, tzinfo=NEW_YORK).astimezone(dt.UTC),
        )
    ]
    slots = slots_for(booked)
    days = [in_new_york(s)[0].date() for s in slots]
    assert days == [dt.date(2026, 11, 25), dt.date(2026, 11, 27), dt.date(2026, 11, 30)]


def test_a_single_open_day_gives_choices_hours_apart() -> None:
    only = dt.date(2026, 11, 24)
    slots = slots_for([], is_workday=lambda day: day == only)
    assert len(slots) == 3
    assert {in_new_york(s)[0].date() for s in slots} == {only}
    starts = [s.start for s in slots]
    assert all(b - a >= dt.timedelta(hours=2) for a, b in itertools.pairwise(starts))


def test_no_free_time_means_no_slots() -> None:
    always = [BusyInterval(NOW, NOW + dt.timedelta(days=60))]
    assert slots_for(always) == []


def test_the_meeting_length_and_count_are_honoured() -> None:
    slots = slots_for([], minutes=45, count=2)
    assert len(slots) == 2
    assert (
        slots[0].label("America/New_York") == "Monday 23 November, 10:00–10:45 (America/New_York)"
    )


@pytest.mark.parametrize("hours", ["17:00-09:00", "9-5", "09:00-25:00", "09:75-17:00"])
def test_working_hours_that_make_no_sense_are_refused(hours: str) -> None:
    with pytest.raises(ValueError, match="working hours"):
        slots_for([], working_hours=hours)


def test_an_unknown_timezone_is_refused_by_name() -> None:
    with pytest.raises(UnknownTimezone, match="Mars/Olympus"):
        slots_for([], "Mars/Olympus")
