"""The sender's busy time, read from an ICS calendar (free/busy periods and events), in UTC.

What blocks time: VFREEBUSY periods typed BUSY, BUSY-TENTATIVE or BUSY-UNAVAILABLE (BUSY when
untyped), and events that are neither transparent (TRANSP:TRANSPARENT) nor cancelled. An
all-day event blocks its whole days in the sender's timezone, and floating times (no zone, or
a zone nobody knows) are read in the sender's timezone too. Repeating events are expanded
inside the window, with EXDATEs and moved or cancelled instances (RECURRENCE-ID) honoured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vPeriod

from tools.calendar.recurrence import occurrence_starts, repeats
from tools.calendar.zones import zone_named

HORIZON_DAYS = 28
"""How far ahead busy time is read; slots are proposed well inside it."""
MAX_FILE_BYTES = 20_000_000
BUSY_TYPES = frozenset({"BUSY", "BUSY-TENTATIVE", "BUSY-UNAVAILABLE"})
_EXPORT_HINT = "export your calendar (or its free/busy) as an .ics file and set availability_file"


class AvailabilityError(ValueError):
    """The availability file cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True, order=True)
class BusyInterval:
    """A stretch of time the sender is not free, in UTC (end excluded)."""

    start: dt.datetime
    end: dt.datetime

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Return whether [start, end) shares any time with this interval."""
        return self.start < end and start < self.end


def read_busy(
    path: Path,
    *,
    sender_tz: str | ZoneInfo,
    now: dt.datetime,
    horizon_days: int = HORIZON_DAYS,
) -> list[BusyInterval]:
    """Return the busy intervals of an ICS file from now to the horizon, merged, in UTC."""
    return busy_from_ics(
        _read(path),
        sender_tz=sender_tz,
        now=now,
        horizon_days=horizon_days,
        source=f"availability file {path}",
    )


def busy_from_ics(
    data: bytes | str,
    *,
    sender_tz: str | ZoneInfo,
    now: dt.datetime,
    horizon_days: int = HORIZON_DAYS,
    source: str = "availability file",
) -> list[BusyInterval]:
    """Return the busy intervals of ICS text from now to the horizon, merged, in UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = zone_named(sender_tz)
    since = now.astimezone(dt.UTC)
    until = since + dt.timedelta(days=horizon_days)
    found: list[BusyInterval] = []
    for calendar in _parse(data, source):
        try:
            found += _free_busy(calendar, zone, source)
            found += _event_busy(calendar, zone, since, until, source)
        except AvailabilityError:
            raise
        except Exception as exc:  # the parser reads lazily: its errors can surface here too
            raise AvailabilityError(f"{source} could not be read: {_short(exc)}") from exc
    return _merged([busy for busy in found if busy.overlaps(since, until)])


def _read(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise AvailabilityError(f"availability file {path} is a folder: {_EXPORT_HINT}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AvailabilityError(
                f"availability file {path} is {size // 1_000_000} MB: export only the coming "
                "weeks (or the free/busy) instead of the whole calendar history"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise AvailabilityError(
            f"availability file {path} does not exist: {_EXPORT_HINT} to its path"
        ) from None
    except OSError as exc:
        raise AvailabilityError(
            f"availability file {path} cannot be read ({exc.strerror or exc})"
        ) from exc


def _parse(data: bytes | str, source: str) -> list[Calendar]:
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if not text.strip():
        raise AvailabilityError(f"{source} is empty: {_EXPORT_HINT}")
    if "BEGIN:VCALENDAR" not in text.upper():
        raise AvailabilityError(
            f"{source} is not an iCalendar file (no BEGIN:VCALENDAR line): {_EXPORT_HINT}"
        )
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # the parser raises many kinds; the reader needs one sentence
        raise AvailabilityError(f"{source} is not valid iCalendar: {_short(exc)}") from exc
    if not calendars:
        raise AvailabilityError(
            f"{source} holds no complete calendar (BEGIN:VCALENDAR to END:VCALENDAR): "
            f"{_EXPORT_HINT}"
        )
    return calendars


def _free_busy(calendar: Calendar, zone: ZoneInfo, source: str) -> list[BusyInterval]:
    found: list[BusyInterval] = []
    for component in calendar.walk("VFREEBUSY"):
        values = component.get("FREEBUSY")
        periods = values if isinstance(values, list) else [] if values is None else [values]
        for period in periods:
            if not isinstance(period, vPeriod):
                raise AvailabilityError(
                    f"{source}: a FREEBUSY line is not a start/end period "
                    f"({_short(period.to_ical() if hasattr(period, 'to_ical') else period)})"
                )
            if str(period.params.get("FBTYPE", "BUSY")).upper() not in BUSY_TYPES:
                continue
            first, last = period.dt
            start = _to_utc(first, zone)
            end = start + last if isinstance(last, dt.timedelta) else _to_utc(last, zone)
            if end > start:
                found.append(BusyInterval(start, end))
    return found


def _event_busy(
    calendar: Calendar, zone: ZoneInfo, since: dt.datetime, until: dt.datetime, source: str
) -> list[BusyInterval]:
    events = calendar.events
    moved: set[tuple[str, dt.datetime]] = set()
    for event in events:
        try:
            instance = event.RECURRENCE_ID
        except (ValueError, TypeError) as exc:
            raise AvailabilityError(f"{source}: event {_name(event)}: {_short(exc)}") from exc
        if instance is not None:
            moved.add((str(event.get("UID", "")), _to_utc(instance, zone)))
    found: list[BusyInterval] = []
    for event in events:
        if not _blocks(event):
            continue
        try:
            found += _occurrences(event, zone, since, until, moved)
        except (ValueError, TypeError, KeyError) as exc:
            raise AvailabilityError(f"{source}: event {_name(event)}: {_short(exc)}") from exc
    return found


def _blocks(event: Event) -> bool:
    transparent = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return not (transparent or cancelled)


def _occurrences(
    event: Event,
    zone: ZoneInfo,
    since: dt.datetime,
    until: dt.datetime,
    moved: set[tuple[str, dt.datetime]],
) -> list[BusyInterval]:
    start, end = event.start, event.end
    all_day = not isinstance(start, dt.datetime)
    length = end - start
    if length <= dt.timedelta(0):
        if not all_day:
            return []  # a moment, not a stretch of time: nothing to avoid
        length = dt.timedelta(days=1)
    to_utc = partial(_to_utc, zone=zone)
    starts: list[dt.date | dt.datetime] = [start]
    if "RECURRENCE-ID" not in event and repeats(event):
        uid = str(event.get("UID", ""))
        # Widened by the event's length and a day: an occurrence that began earlier may still
        # be running, and floating times shift with the sender's offset.
        widened = since - length - dt.timedelta(days=1)
        starts = [
            occurrence
            for occurrence in occurrence_starts(
                event, start, since=widened, until=until, floating=zone, to_utc=to_utc
            )
            if (uid, to_utc(occurrence)) not in moved
        ]
    return [BusyInterval(to_utc(first), to_utc(first + length)) for first in starts]


def _to_utc(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Return the instant a calendar value means; dates and floating times are the sender's."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=zone)
        return value.astimezone(dt.UTC)
    return dt.datetime.combine(value, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _merged(intervals: list[BusyInterval]) -> list[BusyInterval]:
    merged: list[BusyInterval] = []
    for busy in sorted(intervals):
        if merged and busy.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = BusyInterval(last.start, max(last.end, busy.end))
        else:
            merged.append(busy)
    return merged


def _name(event: Event) -> str:
    summary, uid = event.get("SUMMARY"), event.get("UID")
    if summary:
        return repr(_short(summary))
    return f"with UID {_short(uid)}" if uid else "without a UID or summary"


def _short(value: object) -> str:
    text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    line = " ".join(text.split())
    return line if len(line) <= 160 else line[:159] + "…"
