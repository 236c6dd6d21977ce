"""Free meeting slots to propose: inside the sender's working hours, clear of busy time,
spread over the coming working days, and at a civil hour for the recipient when possible."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from tools.calendar.availability import BusyInterval
from tools.calendar.zones import zone_named

LEAD_TIME = dt.timedelta(hours=2)
"""No slot starts sooner than this after now, whatever the day."""
GRID_MINUTES = 30
"""Slots start on the sender's hour and half hour."""
SEARCH_DAYS = 21
"""Calendar days ahead searched for free time."""
OPEN_DAYS = 10
"""Working days with free time considered: about two weeks, so slots stay near."""
CIVIL_HOURS = (dt.time(8), dt.time(18))
"""The recipient's local hours a meeting should fall in, when the sender's hours allow."""
SAME_DAY_GAP = dt.timedelta(hours=2)
"""Two slots on the same day start at least this far apart (a real choice, not a shift)."""
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, order=True)
class Slot:
    """A meeting time that can be proposed, in UTC (end excluded)."""

    start: dt.datetime
    end: dt.datetime

    def label(self, tz: str | ZoneInfo) -> str:
        """Return the slot as a reader in `tz` sees it.

        For example "Tuesday 15 December, 10:00–10:30 (Europe/Berlin)".
        """
        zone = zone_named(tz)
        start, end = self.start.astimezone(zone), self.end.astimezone(zone)
        day = f"{_WEEKDAYS[start.weekday()]} {start.day} {_MONTHS[start.month - 1]}"
        return f"{day}, {start:%H:%M}–{end:%H:%M} ({zone.key})"


@dataclass(frozen=True)
class _Candidate:
    slot: Slot
    day: dt.date
    civil: bool


def parse_working_hours(text: str) -> tuple[int, int]:
    """Return working hours "HH:MM-HH:MM" as minutes after midnight (24:00 ends the day)."""
    match = _HOURS.match(text)
    if match is None:
        raise ValueError(f"working hours {text!r} are not HH:MM-HH:MM (for example 09:00-17:00)")
    sh, sm, eh, em = (int(part) for part in match.groups())
    start, end = sh * 60 + sm, eh * 60 + em
    if sm > 59 or em > 59 or start >= 24 * 60 or end > 24 * 60 or start >= end:
        raise ValueError(
            f"working hours {text!r} must start before they end on the same day "
            "(for example 09:00-17:00)"
        )
    return start, end


def propose_slots(
    busy: Sequence[BusyInterval],
    *,
    now: dt.datetime,
    sender_tz: str | ZoneInfo,
    working_hours: str,
    is_workday: Callable[[dt.date], bool],
    minutes: int,
    count: int = 3,
    recipient_tz: str | ZoneInfo,
) -> list[Slot]:
    """Return up to `count` free slots from the next working day on, one a day where possible.

    Slots fall inside the sender's working hours on days `is_workday` accepts (sender's local
    dates), avoid every busy interval, alternate morning and afternoon, and sit between 08:00
    and 18:00 on a weekday for the recipient whenever the sender's hours allow it.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if minutes <= 0 or count <= 0:
        return []
    sender, recipient = zone_named(sender_tz), zone_named(recipient_tz)
    hours = parse_working_hours(working_hours)
    busy = sorted(busy)
    earliest = now.astimezone(dt.UTC) + LEAD_TIME
    today = now.astimezone(sender).date()
    days: list[tuple[dt.date, list[_Candidate]]] = []
    for offset in range(1, SEARCH_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        if not is_workday(day):
            continue
        found = _candidates(day, hours, minutes, sender, recipient, busy, earliest)
        if found:
            days.append((day, found))
        if len(days) >= OPEN_DAYS:
            break
    targets = {day: _targets(day, hours, minutes, sender, recipient) for day, _ in days}
    return _spread(days, targets, count)


def _local(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime | None:
    """Return the UTC instant of a wall-clock minute of a day, or None if the clock skips it."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    instant = naive.replace(tzinfo=zone).astimezone(dt.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        return None  # inside a spring-forward gap
    return instant


def _candidates(
    day: dt.date,
    hours: tuple[int, int],
    minutes: int,
    sender: ZoneInfo,
    recipient: ZoneInfo,
    busy: list[BusyInterval],
    earliest: dt.datetime,
) -> list[_Candidate]:
    found: list[_Candidate] = []
    first, last = hours
    for minute in range(first, last - minutes + 1, GRID_MINUTES):
        start = _local(day, minute, sender)
        end = _local(day, minute + minutes, sender)
        if start is None or end is None or start < earliest:
            continue
        if any(interval.overlaps(start, end) for interval in busy):
            continue
        found.append(_Candidate(Slot(start, end), day, _civil(start, end, recipient)))
    return found


def _civil(start: dt.datetime, end: dt.datetime, recipient: ZoneInfo) -> bool:
    """Return whether the recipient would meet on a weekday between 08:00 and 18:00."""
    local_start, local_end = start.astimezone(recipient), end.astimezone(recipient)
    opens, closes = CIVIL_HOURS
    return (
        local_start.weekday() < 5
        and local_start.date() == local_end.date()
        and local_start.time() >= opens
        and local_end.time() <= closes
    )


def _targets(
    day: dt.date, hours: tuple[int, int], minutes: int, sender: ZoneInfo, recipient: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """Return the morning and afternoon times to aim for on a day.

    They sit an hour into each half of the usable window: the working hours, narrowed to the
    recipient's civil hours when they overlap (so 10:00 and 14:00 for 09:00-17:00 alone).
    Busy time does not move them: the free slot nearest the aim is taken.
    """
    first, last = hours
    window = [
        (start, end)
        for minute in range(first, last - minutes + 1, GRID_MINUTES)
        if (start := _local(day, minute, sender)) and (end := _local(day, minute + minutes, sender))
    ]
    civil = [(start, end) for start, end in window if _civil(start, end, recipient)]
    usable = civil or window
    opens, closes = usable[0][0], usable[-1][1]
    step = min(dt.timedelta(hours=1), (closes - opens) / 4)
    middle = opens + (closes - opens) / 2
    return opens + step, middle + step


def _spread(
    days: list[tuple[dt.date, list[_Candidate]]],
    targets: dict[dt.date, tuple[dt.datetime, dt.datetime]],
    count: int,
) -> list[Slot]:
    """Pick slots greedily: civil first, then an unused day, the earliest day, then the time
    nearest the morning or afternoon target (alternating)."""
    rank = {day: index for index, (day, _) in enumerate(days)}
    pool = [candidate for _, found in days for candidate in found]
    chosen: list[_Candidate] = []
    for turn in range(count):
        used = {c.day for c in chosen}
        free = [c for c in pool if all(_apart(c, other) for other in chosen)]
        if not free:
            break
        prefer = partial(_preference, used=used, half=turn % 2, targets=targets, rank=rank)
        chosen.append(min(free, key=prefer))
    return sorted(c.slot for c in chosen)


def _preference(
    candidate: _Candidate,
    *,
    used: set[dt.date],
    half: int,
    targets: dict[dt.date, tuple[dt.datetime, dt.datetime]],
    rank: dict[dt.date, int],
) -> tuple[bool, bool, int, float]:
    """Rank a candidate: civil first, then an unused day, an earlier day, nearer the aim."""
    aim = targets[candidate.day][half]
    distance = abs((candidate.slot.start - aim).total_seconds())
    return (not candidate.civil, candidate.day in used, rank[candidate.day], distance)


def _apart(candidate: _Candidate, other: _Candidate) -> bool:
    if candidate.day != other.day:
        return True
    return abs(candidate.slot.start - other.slot.start) >= max(
        SAME_DAY_GAP, other.slot.end - other.slot.start
    )
