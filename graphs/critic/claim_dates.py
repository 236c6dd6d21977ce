"""Dates in messages and facts, and the windows relative times name.

"October 28", "28 de octubre", "28 octobre 2026", "28. Oktober", "2026-10-28": a date a
message gives must be one a fact gives. "last week", "la semaine dernière", "vor drei Wochen"
name a window of days counted back from the send date; a fact dated inside it supports them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from graphs.critic.claim_lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    SEASON_MONTHS,
    SEASONS,
    SMALL_NUMBERS,
)
from graphs.critic.pattern_prefix import starts_with

RECENT_DAYS = 180
"""How old a fact may be (before the send date) and still be called recent."""

MONTH_NUMBERS: dict[str, int] = {
    name: index + 1 for names in MONTHS.values() for index, name in enumerate(names)
}
"""Every month name of the four languages, lower-case, to its number."""
CAPITALIZED_MONTHS = (frozenset(MONTHS["en"]) | frozenset(MONTHS["de"])) - (
    frozenset(MONTHS["es"]) | frozenset(MONTHS["fr"])
)
"""Month names only read as months when capitalized ("may", "march" are verbs); a name French
or Spanish also writes in lower case ("7 mai") is a month either way."""
_ANY_MONTH = "|".join(sorted({*MONTH_NUMBERS, *MONTH_ABBREVIATIONS}, key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_START = starts_with({*MONTH_NUMBERS, *MONTH_ABBREVIATIONS}, also=r"\d")
DATE_PATTERN = re.compile(
    # Every date starts with a digit or a month's first letter: the lookahead fails at once
    # at every other position (graphs/critic/pattern_prefix.py).
    rf"{_DATE_START}(?<![\w-])(?:"
    rf"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"
    rf"|(?P<m1>{_ANY_MONTH})\.?\s+{_DAY.replace('day', 'd1')}(?:st|nd|rd|th)?(?!\d|:\d)"
    rf"(?:,?\s+{_YEAR.replace('year', 'y1')})?"
    rf"|{_DAY.replace('day', 'd2')}(?:st|nd|rd|th|er|ᵉʳ|\.|º)?\s+(?:de\s+)?"
    rf"(?P<m2>{_ANY_MONTH})\.?(?:,?\s+(?:de\s+)?{_YEAR.replace('year', 'y2')})?"
    # "17.09.2026" (day first, with its year: "17.09" alone may be a decimal) ...
    rf"|(?P<dd>[0-3]?\d)\.(?P<dm>[01]?\d)\.(?P<dy>(?:19|20)\d\d)"
    # ... and "9/17", "17/09/2026": month first unless the first number cannot be a month;
    # without a year, only when one number is past 12 ("1/3" is a fraction).
    rf"|(?P<sa>[0-3]?\d)/(?P<sb>[0-3]?\d)(?:/(?P<sy>(?:19|20)\d\d))?(?!/)"
    rf")(?![\w-])",
    re.IGNORECASE,
)
"""A day of a month, with or without its year, in any of the four languages' orders."""
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class DayOfYear:
    """A date as a message gives it: the year may be left out."""

    month: int
    day: int
    year: int | None = None

    def matches(self, day: date) -> bool:
        """Whether a full date is this one."""
        return (day.month, day.day) == (self.month, self.day) and self.year in (None, day.year)


def _month_number(word: str) -> int | None:
    lowered = word.lower().rstrip(".")
    return MONTH_NUMBERS.get(lowered) or MONTH_ABBREVIATIONS.get(lowered)


_VERSION_BEFORE = re.compile(r"\b(?:version|release|build|ver|v)\.?\s*$")
_DATE_BEFORE = re.compile(r"\b(?:on|from|since|el|del|le|du|am|vom|seit)\s+$")
_DAY_FIRST_BEFORE = re.compile(r"\b(?:el|del|le|du|am|vom|seit)\s+$")


def _numeric_date(match: re.Match[str]) -> DayOfYear | None:
    """Read "17.09.2026" (day first) or "9/17", "17/09/2026" (month first unless the first
    number is past 12); a year-less slash date only when one number is past 12."""
    before = match.string[max(0, match.start() - 12) : match.start()].lower()
    if _VERSION_BEFORE.search(before):
        return None  # "version 2.1.2026", "release 3/4": a version, not a date
    if match.group("sa") and match.group(0).startswith("24/7"):
        return None  # "24/7": around the clock
    if match.group("dd"):
        day, month, year = int(match.group("dd")), int(match.group("dm")), match.group("dy")
    else:
        first, second, year = int(match.group("sa")), int(match.group("sb")), match.group("sy")
        # "on 11/12" is a date in English (month first), "le 11/12" in French (day first);
        # a bare "1/3" is a fraction.
        before = before[-5:]
        day_first = first > 12 or _DAY_FIRST_BEFORE.search(before) is not None
        if year is None and max(first, second) <= 12 and not _DATE_BEFORE.search(before):
            return None
        month, day = (second, first) if day_first else (first, second)
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(int(year) if year else 2024, month)[1]:
        return None
    return DayOfYear(month, day, int(year) if year else None)


def parse_date(match: re.Match[str]) -> DayOfYear | None:
    """Read one DATE_PATTERN match; None for an impossible date ("February 31")."""
    if match.group("dd") or match.group("sa"):
        return _numeric_date(match)
    if match.group("iso"):
        try:
            day = date.fromisoformat(match.group("iso"))
        except ValueError:
            return None
        return DayOfYear(day.month, day.day, day.year)
    word = match.group("m1") or match.group("m2")
    number = match.group("d1") or match.group("d2")
    year = match.group("y1") or match.group("y2")
    month = _month_number(word)
    if month is None or (word.lower() in CAPITALIZED_MONTHS and not word[0].isupper()):
        return None
    day_number = int(number)
    if not 1 <= day_number <= monthrange(int(year) if year else 2024, month)[1]:
        return None
    return DayOfYear(month, day_number, int(year) if year else None)


def dates_in(text: str) -> list[tuple[DayOfYear, int, int]]:
    """Return the dates written in text, with their spans."""
    found: list[tuple[DayOfYear, int, int]] = []
    if _DIGIT.search(text) is None:
        return found  # every date has a digit; most facts have none to search for
    for match in DATE_PATTERN.finditer(text):
        parsed = parse_date(match)
        if parsed is not None:
            # A full stop after a month that ends the match ends the sentence ("18 septembre.").
            end = match.end() - 1 if match.group(0).endswith(".") else match.end()
            found.append((parsed, match.start(), end))
    return found


def full_dates_in(text: str, anchor: date | None) -> list[date]:
    """Return the dates written in a fact, a year-less one placed in the year before anchor."""
    days: list[date] = []
    for parsed, _, _ in dates_in(text):
        year = parsed.year
        if year is None:
            if anchor is None:
                continue
            year = anchor.year if (parsed.month, parsed.day) <= (anchor.month, anchor.day) else (
                anchor.year - 1
            )  # fmt: skip
        try:
            days.append(date(year, parsed.month, parsed.day))
        except ValueError:
            continue
    return days


@dataclass(frozen=True)
class Window:
    """The days a relative time names, inclusive."""

    start: date
    end: date

    def holds(self, day: date) -> bool:
        """Whether a date falls in the window."""
        return self.start <= day <= self.end

    def describe(self) -> str:
        """The window for a reason: '2026-11-09 to 2026-11-15'."""
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def _count(word: str | None) -> int:
    if not word:
        return 1
    if word.isdigit():
        return int(word)
    return SMALL_NUMBERS.get(" ".join(word.lower().split()), 1)


def _month_start(day: date, back: int = 0) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def _season(word: str | None, today: date, last: bool) -> Window | None:
    season = SEASONS.get((word or "").lower())
    if season is None:
        return None
    first, final = SEASON_MONTHS[season]
    year = today.year
    start = date(year - 1 if first > final and today.month <= final else year, first, 1)
    if last or start > today:
        # "last summer" in November is this year's; "this spring" said in February is next
        # year's plan, so it names nothing yet.
        if not last:
            return None
        if start + timedelta(days=92) > today:
            start = start.replace(year=start.year - 1)
    end_year = start.year + (1 if first > final else 0)
    end = _month_end(date(end_year, final, 1))
    return Window(start - timedelta(days=14), min(end + timedelta(days=14), today))


def window(kind: str, today: date, count: str | None = None, season: str | None = None) -> (
    Window | None
):  # fmt: skip
    """Return the days a relative time names, counted back from today (None: not a claim)."""
    days = timedelta
    if kind == "yesterday":
        return Window(today - days(2), today)
    if kind == "this_week":
        return Window(today - days(today.weekday() + 3), today)
    if kind == "last_week":
        monday = today - days(today.weekday() + 7)  # a day either side of that week
        return Window(monday - days(1), min(monday + days(7), today))
    if kind == "this_month":
        return Window(_month_start(today) - days(7), today)
    if kind == "last_month":
        start = _month_start(today, 1)
        return Window(start - days(7), min(_month_end(start) + days(7), today))
    if kind == "this_year":
        return Window(date(today.year, 1, 1) - days(7), today)
    if kind == "last_year":
        return Window(date(today.year - 1, 1, 1) - days(15), min(date(today.year, 1, 15), today))
    if kind == "recent":
        return Window(today - days(RECENT_DAYS), today)
    if kind in ("days_ago", "weeks_ago", "months_ago", "years_ago"):
        unit = {"days_ago": 1, "weeks_ago": 7, "months_ago": 30, "years_ago": 365}[kind]
        span = _count(count) * unit
        slack = max(2, span // 4)
        return Window(today - days(span + slack), today - days(max(0, span - slack)))
    if kind in ("this_season", "last_season"):
        return _season(season, today, kind == "last_season")
    if kind in ("this_quarter", "last_quarter"):
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        if kind == "this_quarter":
            return Window(start - days(7), today)
        start = _month_start(start, 3)
        end = _month_end(_month_start(start, -2))
        return Window(start - days(7), min(end + days(7), today))
    return None
