"""Reading the sender's busy time from an ICS file: events, free/busy, repeats, and bad files."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tools.calendar import AvailabilityError, BusyInterval, busy_from_ics, read_busy

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "calendar" / "availability.ics"
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "availability.ics"
NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)  # a Sunday


def at(
    day: int, hour: int, minute: int = 0, *, month: int = 11, zone: ZoneInfo = NEW_YORK
) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=zone)


def busy_at(busy: list[BusyInterval], moment: dt.datetime) -> bool:
    return any(interval.start <= moment < interval.end for interval in busy)


@pytest.fixture
def busy() -> list[BusyInterval]:
    return read_busy(FIXTURE, sender_tz="America/New_York", now=NOW)


def test_events_and_busy_periods_block_their_time(busy: list[BusyInterval]) -> None:
    assert busy_at(busy, at(23, 10))  # Pipeline review, TZID=America/New_York
    assert busy_at(busy, at(24, 15))  # Customer workshop, written in UTC
    assert busy_at(busy, at(25, 0, 30)) and busy_at(busy, at(25, 23, 30))  # all-day offsite
    assert not busy_at(busy, at(26, 0, 30))  # the day after the offsite
    assert busy_at(busy, at(27, 12))  # FREEBUSY;FBTYPE=BUSY-TENTATIVE
    assert busy_at(busy, at(2, 10, 30, month=12))  # untyped FREEBUSY counts as busy
    assert busy_at(busy, at(4, 15, month=12))  # a FREEBUSY period given as start/duration
    assert not busy_at(busy, at(23, 13))  # nothing on Monday afternoon


def test_transparent_cancelled_and_free_time_leave_the_calendar_open(
    busy: list[BusyInterval],
) -> None:
    assert not busy_at(busy, at(30, 10))  # TRANSP:TRANSPARENT reminder
    assert not busy_at(busy, at(1, 12, month=12))  # STATUS:CANCELLED board prep
    assert not busy_at(busy, at(2, 13, month=12))  # FREEBUSY;FBTYPE=FREE


def test_floating_times_are_read_in_the_senders_timezone(busy: list[BusyInterval]) -> None:
    assert busy_at(busy, at(30, 13, 30))  # the dentist, written without a zone
    berlin = read_busy(FIXTURE, sender_tz="Europe/Berlin", now=NOW)
    assert busy_at(berlin, at(30, 13, 30, zone=ZoneInfo("Europe/Berlin")))
    assert not busy_at(berlin, at(30, 13, 30))
    assert busy_at(berlin, at(23, 10))  # zoned events do not move with the sender


def test_a_repeating_event_blocks_every_occurrence_but_its_exceptions(
    busy: list[BusyInterval],
) -> None:
    for day, month in [(24, 11), (26, 11), (30, 11), (7, 12), (11, 12)]:
        assert busy_at(busy, at(day, 9, 15, month=month)), (day, month)
    assert not busy_at(busy, at(14, 9, 15, month=12))  # after UNTIL
    assert not busy_at(busy, at(1, 9, 15, month=12))  # EXDATE
    assert not busy_at(busy, at(3, 9, 15, month=12))  # moved (RECURRENCE-ID) ...
    assert busy_at(busy, at(3, 10, 15, month=12))  # ... to 10:00


def test_busy_time_comes_back_merged_sorted_and_in_utc(busy: list[BusyInterval]) -> None:
    assert all(b.start.utcoffset() == dt.timedelta(0) for b in busy)
    assert all(a.end < b.start for a, b in itertools.pairwise(busy))
    # The 09:00 standup and the 09:00-12:00 review on Monday are one block.
    monday = [b for b in busy if b.start.astimezone(NEW_YORK).date() == dt.date(2026, 11, 23)]
    assert monday == [BusyInterval(at(23, 9).astimezone(dt.UTC), at(23, 12).astimezone(dt.UTC))]


def test_a_weekly_event_keeps_its_local_hour_across_a_clock_change() -> None:
    ics = """BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:weekly@test
DTSTART;TZID=Europe/Berlin:20261019T100000
DTEND;TZID=Europe/Berlin:20261019T110000
RRULE:FREQ=WEEKLY;UNTIL=20261109
END:VEVENT
END:VCALENDAR
"""
    busy = busy_from_ics(ics, sender_tz="UTC", now=dt.datetime(2026, 10, 18, tzinfo=dt.UTC))
    starts = [b.start for b in busy]
    assert dt.datetime(2026, 10, 19, 8, tzinfo=dt.UTC) in starts  # 10:00 summer time
    assert dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC) in starts  # 10:00 winter time
    assert dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC) in starts  # UNTIL as a date includes it
    assert len(starts) == 4


def test_an_unknown_zone_name_is_read_as_the_senders_time() -> None:
    ics = """BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:odd@test
DTSTART;TZID=Company Standard Time:20261201T100000
DTEND;TZID=Company Standard Time:20261201T110000
END:VEVENT
END:VCALENDAR
"""
    busy = busy_from_ics(ics, sender_tz="America/New_York", now=NOW)
    assert busy == [
        BusyInterval(at(1, 10, month=12).astimezone(dt.UTC), at(1, 11, month=12).astimezone(dt.UTC))
    ]


def test_the_example_file_reads_as_a_week_of_busy_blocks() -> None:
    busy = read_busy(EXAMPLE, sender_tz="America/Los_Angeles", now=NOW)
    la = ZoneInfo("America/Los_Angeles")
    assert busy_at(busy, dt.datetime(2026, 11, 23, 10, 30, tzinfo=la))  # Monday review
    assert not busy_at(busy, dt.datetime(2026, 11, 26, 14, 30, tzinfo=la))  # focus is free
    assert not busy_at(busy, dt.datetime(2026, 11, 28, 10, 0, tzinfo=la))  # Saturday


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "is empty"),
        ("name,email\nDana,dana@example.com\n", "is not an iCalendar file"),
        ("BEGIN:VCALENDAR\ngarbage line\nEND:VCALENDAR\n", "is not valid iCalendar"),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nSUMMARY:Broken\nDTSTART:tomorrow\n"
            "END:VEVENT\nEND:VCALENDAR\n",
            "event 'Broken'",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20261201T100000Z\n"
            "DTEND:20261201T101000Z\nRRULE:FREQ=MINUTELY\nEND:VEVENT\nEND:VCALENDAR\n",
            "repeats minutely",
        ),
        (  # every 5 minutes all day, by BYHOUR/BYMINUTE: too many in the window
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20261201T100000Z\n"
            "DTEND:20261201T100100Z\nRRULE:FREQ=DAILY;BYHOUR="
            + ",".join(str(h) for h in range(24))
            + ";BYMINUTE="
            + ",".join(str(m) for m in range(0, 60, 5))
            + "\nEND:VEVENT\nEND:VCALENDAR\n",
            "repeats more than",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_name_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_text(content)
    with pytest.raises(AvailabilityError) as refused:
        read_busy(path, sender_tz="UTC", now=NOW)
    assert str(path) in str(refused.value)
    assert problem in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_a_missing_file_or_a_folder_is_refused_with_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.ics"
    with pytest.raises(AvailabilityError, match="does not exist: export your calendar"):
        read_busy(missing, sender_tz="UTC", now=NOW)
    with pytest.raises(AvailabilityError, match="is a folder"):
        read_busy(tmp_path, sender_tz="UTC", now=NOW)
