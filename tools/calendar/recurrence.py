"""Occurrences of a repeating calendar event inside a window (RRULE, RDATE and EXDATE)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from icalendar import Event, vRecur

MAX_OCCURRENCES = 2000
SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
"""Repeat frequencies refused (an invitation anyone can send could carry one)."""
"""Occurrences of one event inside the window; more means a rule no real calendar has."""

ToUtc = Callable[[dt.date | dt.datetime], dt.datetime]


class RecurrenceError(ValueError):
    """A repeat rule that cannot be expanded."""


def repeats(event: Event) -> bool:
    """Return whether the event has a repeat rule or extra dates."""
    return bool(event.rrules or event.rdates)


def occurrence_starts(
    event: Event,
    first: dt.date | dt.datetime,
    *,
    since: dt.datetime,
    until: dt.datetime,
    floating: ZoneInfo,
    to_utc: ToUtc,
) -> list[dt.date | dt.datetime]:
    """Return the starts of a repeating event between since and until (UTC), minus EXDATEs.

    Starts keep the kind of `first` (a date, a floating or a zoned datetime), so the event's
    length is added in its own wall-clock time, as calendars do across a DST change.
    """
    anchor = _as_datetime(first)
    lo, hi = _native(since, anchor, floating), _native(until, anchor, floating)
    found: list[dt.datetime] = [anchor] if lo <= anchor <= hi else []
    for recur in event.rrules:
        frequency = str(
            recur.get("FREQ", [""])[0]
            if isinstance(recur.get("FREQ"), list)
            else recur.get("FREQ", "")
        ).upper()
        if frequency in SUB_DAILY:  # dateutil walks every one from DTSTART: an old event
            # repeating each second costs minutes; busy time repeats daily at most
            raise RecurrenceError(
                f"repeats {frequency.lower()}, more often than a calendar's busy time"
            )
        rule = _rule(recur, anchor, floating)
        for count, start in enumerate(islice(rule.xafter(lo, inc=True), MAX_OCCURRENCES + 1)):
            if start > hi:
                break
            if count == MAX_OCCURRENCES:
                raise RecurrenceError(f"repeats more than {MAX_OCCURRENCES} times in the window")
            found.append(start)
    for rdate, _end in event.rdates:
        start = _native(to_utc(rdate), anchor, floating)
        if lo <= start <= hi:
            found.append(start)
    excluded = {to_utc(day) for day in event.exdates}
    kept: dict[dt.datetime, dt.date | dt.datetime] = {}
    for start in found:
        native = start.date() if _is_date(first) else start
        instant = to_utc(native)
        if instant not in excluded:
            kept.setdefault(instant, native)
    return [kept[instant] for instant in sorted(kept)]


def _is_date(value: dt.date | dt.datetime) -> bool:
    return not isinstance(value, dt.datetime)


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


def _native(instant: dt.datetime, anchor: dt.datetime, floating: ZoneInfo) -> dt.datetime:
    """Express a UTC instant like the anchor: in its zone, or as floating wall-clock time."""
    if anchor.tzinfo is not None:
        return instant.astimezone(anchor.tzinfo)
    return instant.astimezone(floating).replace(tzinfo=None)


def _rule(recur: vRecur, anchor: dt.datetime, floating: ZoneInfo) -> rrule:
    """Build dateutil's rule, with UNTIL made comparable to DTSTART as dateutil requires."""
    parts = vRecur(recur)
    if "UNTIL" in parts:
        raw = parts["UNTIL"][0]
        if isinstance(raw, dt.datetime):
            until = raw
        else:  # a date: the whole day counts
            until = dt.datetime.combine(raw, dt.time(23, 59, 59))
        if anchor.tzinfo is not None:
            zoned = until if until.tzinfo is not None else until.replace(tzinfo=anchor.tzinfo)
            until = zoned.astimezone(dt.UTC)
        elif until.tzinfo is not None:
            until = until.astimezone(floating).replace(tzinfo=None)
        parts["UNTIL"] = [until]
    text = parts.to_ical().decode()
    try:
        made = rrulestr(f"RRULE:{text}", dtstart=anchor, forceset=False)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"repeat rule {text!r} cannot be read ({exc})") from exc
    if not isinstance(made, rrule):
        raise RecurrenceError(f"repeat rule {text!r} is not a single rule")
    return made
