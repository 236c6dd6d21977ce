"""Business days in the recipient's country: weekends and public holidays are skipped.

Public holidays come from the `holidays` package (maintained tables for about 200 countries
and their subdivisions), never from a hand-made list. A country it does not know counts
weekends only, and says so once in the log.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

log = logging.getLogger("outreach.sequences")

MAX_SEARCH_DAYS = 60
"""The longest run of closed days a calendar can have (a holiday season plus weekends)."""


@lru_cache(maxsize=256)
def _calendar(country: str) -> holidays.HolidayBase | None:
    code = country.strip().upper()
    try:
        return holidays.country_holidays(code)
    except NotImplementedError:
        log.warning("no public holiday table for country %r: only weekends are skipped", country)
        return None


def known_country(country: str) -> bool:
    """Return whether the holidays package has a table for this ISO 3166 country code."""
    return _calendar(country) is not None


def is_business_day(day: dt.date, country: str) -> bool:
    """Return whether `day` is a weekday and not a public holiday in `country`."""
    if day.weekday() >= 5:
        return False
    calendar = _calendar(country)
    return calendar is None or day not in calendar


def add_business_days(start: dt.date, days: int, country: str) -> dt.date:
    """Return the date `days` business days after `start` (start itself when days is 0 and it
    is a business day, else the next business day)."""
    day = start
    if days == 0:
        while not is_business_day(day, country):
            day += dt.timedelta(days=1)
        return day
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_business_day(day, country):
            left -= 1
    return day


def next_open_moment(
    moment: dt.datetime,
    *,
    tz: ZoneInfo,
    country: str,
    window: tuple[dt.time, dt.time],
) -> dt.datetime:
    """Return the first moment at or after `moment` inside the window of a business day in the
    recipient's zone, in UTC."""
    start, end = window
    local = moment.astimezone(tz)
    for _ in range(MAX_SEARCH_DAYS):
        opens = dt.datetime.combine(local.date(), start, tzinfo=tz)
        closes = dt.datetime.combine(local.date(), end, tzinfo=tz)
        if is_business_day(local.date(), country) and local < closes:
            return max(local, opens).astimezone(dt.UTC)
        next_day = local.date() + dt.timedelta(days=1)
        local = dt.datetime.combine(next_day, dt.time(0), tzinfo=tz)
    return local.astimezone(dt.UTC)


def due_after(
    moment: dt.datetime,
    days: int,
    *,
    tz: ZoneInfo,
    country: str,
    window: tuple[dt.time, dt.time],
) -> dt.datetime:
    """Return when a step `days` business days after `moment` is due: the window's opening on
    that business day in the recipient's zone (at once, in the window, when days is 0)."""
    if days == 0:
        return next_open_moment(moment, tz=tz, country=country, window=window)
    day = add_business_days(moment.astimezone(tz).date(), days, country)
    opens = dt.datetime.combine(day, window[0], tzinfo=tz)
    return next_open_moment(opens, tz=tz, country=country, window=window)


def holiday_name(day: dt.date, country: str) -> str | None:
    """Return the name of the public holiday on `day` in `country`, or None."""
    calendar = _calendar(country)
    return calendar.get(day) if calendar is not None else None
