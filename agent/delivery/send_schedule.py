"""When a message may go: the mailbox's daily cap and gap, domain pacing, recipient's hours.

Cold email reputation is a mailbox's to lose: vendors advise 30-50 new conversations per
mailbox per day, minutes between sends, no bursts into one company's mail server, and sending
in the recipient's business hours. A message that cannot go now is given the earliest time it
can, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.settings import Settings


class ScheduleError(ValueError):
    """A sending limit that cannot be read; the message says which."""


def _clock_time(text: str, what: str) -> dt.time:
    try:
        hours, minutes = text.strip().split(":")
        if hours == "24" and minutes == "00":
            return dt.time.max
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ScheduleError(f"{what} {text!r} is not a time like 09:00") from None


def timezone_named(name: str | None, default: str) -> ZoneInfo:
    """Return the IANA timezone, or the default when the name is empty or unknown."""
    for candidate in (name, default):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


@dataclass(frozen=True)
class SendLimits:
    """How fast one mailbox may send."""

    daily_cap: int = 50
    min_gap: dt.timedelta = dt.timedelta(minutes=2)
    domain_gap: dt.timedelta = dt.timedelta(minutes=10)
    window_start: dt.time = dt.time(9, 0)
    window_end: dt.time = dt.time(17, 0)
    weekdays_only: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> SendLimits:
        """Read the limits from settings; raise ScheduleError naming a bad value."""
        start, sep, end = settings.send_window.partition("-")
        if not sep:
            raise ScheduleError(
                f"send_window {settings.send_window!r} is not a range like 09:00-17:00"
            )
        limits = cls(
            daily_cap=settings.send_daily_cap,
            min_gap=dt.timedelta(seconds=settings.send_min_gap_s),
            domain_gap=dt.timedelta(seconds=settings.send_domain_gap_s),
            window_start=_clock_time(start, "send_window start"),
            window_end=_clock_time(end, "send_window end"),
            weekdays_only=settings.send_weekdays_only,
        )
        if limits.window_end <= limits.window_start:
            raise ScheduleError(f"send_window {settings.send_window!r} ends before it starts")
        return limits


@dataclass(frozen=True)
class MailboxHistory:
    """What the mailbox already sent, as far as the limits care."""

    sent_today: int = 0
    last_sent: dt.datetime | None = None
    last_sent_to_domain: dt.datetime | None = None


def weekdays(day: dt.date) -> bool:
    """Count Monday to Friday as working days."""
    return day.weekday() < 5


def _in_window(
    moment: dt.datetime,
    tz: ZoneInfo,
    limits: SendLimits,
    is_workday: Callable[[dt.date], bool] = weekdays,
) -> dt.datetime:
    """Return the moment, or the next opening of the send window in the recipient's zone."""
    local = moment.astimezone(tz)
    for _ in range(60):  # a weekend, or a holiday season
        open_at = local.replace(
            hour=limits.window_start.hour, minute=limits.window_start.minute, second=0,
            microsecond=0,
        )  # fmt: skip
        closes = dt.datetime.combine(local.date(), limits.window_end, tzinfo=tz)
        workday = not limits.weekdays_only or is_workday(local.date())
        if workday and local < closes:
            return max(local, open_at).astimezone(dt.UTC)
        local = (open_at + dt.timedelta(days=1)).replace(hour=0, minute=0)
    return local.astimezone(dt.UTC)


def next_send_time(
    now: dt.datetime,
    *,
    tz: ZoneInfo,
    limits: SendLimits,
    history: MailboxHistory,
    is_workday: Callable[[dt.date], bool] = weekdays,
) -> dt.datetime:
    """Return the earliest moment the message may go (`now` when it may go at once).

    is_workday says which days sends may go on (a sequence step: business days in the
    recipient's country, public holidays skipped)."""
    candidate = now
    if history.sent_today >= limits.daily_cap:
        tomorrow = (now.astimezone(dt.UTC) + dt.timedelta(days=1)).date()
        candidate = dt.datetime.combine(tomorrow, dt.time(0), tzinfo=dt.UTC)
    if history.last_sent is not None:
        candidate = max(candidate, history.last_sent + limits.min_gap)
    if history.last_sent_to_domain is not None:
        candidate = max(candidate, history.last_sent_to_domain + limits.domain_gap)
    return _in_window(candidate, tz, limits, is_workday)
