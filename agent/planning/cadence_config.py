"""A campaign's mailboxes as written (`mailboxes:` in a campaign file or the API), read into
sending limits for the weekly plan, with every problem named by mailbox and field.

    mailboxes:
      - address: alex@acme.example
        daily_cap: 40                 # emails a day once warmed up (first touches + follow-ups)
        warmup: {start: 10, step: 2, every: day, since: 2026-12-01}
        window: "09:00-17:00"         # the recipient's local hours, as OUTREACH_SEND_WINDOW
        days: [mon, tue, wed, thu, fri]
        country: US                   # whose public holidays the mailbox does not send on
      - {address: sam@acme.example, daily_cap: 30}

A warm-up ramp starts at `start` emails a day on `since` (default: the plan's first day, a
mailbox new this week) and adds `step` every sending day (`every: day`) or every seven days
(`every: week`), up to `daily_cap`. A mailbox that cannot be read (a cap of 0, an unknown
field, a ramp that starts above its cap) is left out and named; the others are planned. Without
`mailboxes:`, the campaign's sender (or OUTREACH_SENDER_EMAIL) sends with OUTREACH_SEND_DAILY_CAP
and OUTREACH_SEND_WINDOW, without a ramp.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from agent.planning.problems import PlanningProblem
from agent.planning.segment_rules import shown
from agent.sequences.business_days import is_business_day, known_country
from agent.sequences.definition import parse_window

MAX_MAILBOXES = 50
MAX_DAILY_CAP = 2_000
MAILBOX_KEYS = ("address", "daily_cap", "warmup", "window", "days", "country")
WARMUP_KEYS = ("start", "step", "every", "since")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKWEEK = WEEKDAYS[:5]
DEFAULT_MAILBOX = "the campaign's mailbox"
LEFT_OUT = "the mailbox is left out; the others are planned"


@dataclass(frozen=True, slots=True)
class WarmupRamp:
    """A new mailbox's daily cap rising from `start` by `step` a day (or a week)."""

    start: int
    step: int
    every: Literal["day", "week"] = "day"
    since: dt.date | None = None
    """The ramp's first day; None: the plan's first day."""


@dataclass(frozen=True, slots=True)
class Mailbox:
    """One sending mailbox: its cap, ramp, window, days and holiday calendar."""

    address: str
    daily_cap: int
    window: str
    days: tuple[str, ...] = WORKWEEK
    country: str = "US"
    warmup: WarmupRamp | None = None

    def sends_on(self, day: dt.date) -> bool:
        """Return whether the mailbox sends on this day (its weekdays, not a holiday)."""
        name = WEEKDAYS[day.weekday()]
        if name not in self.days:
            return False
        # Weekend days are open when listed; weekdays skip the country's public holidays.
        return day.weekday() >= 5 or is_business_day(day, self.country)

    def cap_on(self, day: dt.date, first_day: dt.date) -> int:
        """Return how many emails the mailbox may send on `day`, after its warm-up ramp."""
        ramp = self.warmup
        if ramp is None:
            return self.daily_cap
        since = ramp.since or first_day
        if day < since:
            return 0
        if ramp.step == 0:
            return min(self.daily_cap, ramp.start)
        if ramp.every == "week":
            periods = (day - since).days // 7
            return min(self.daily_cap, ramp.start + ramp.step * periods)
        cap, moment = ramp.start, since
        while moment < day and cap < self.daily_cap:  # the ramp rises on the days it sends
            cap += ramp.step if self.sends_on(moment) else 0
            moment += dt.timedelta(days=1)
        return min(self.daily_cap, cap)


@dataclass(frozen=True, slots=True)
class CadenceProblem(PlanningProblem):
    """What is wrong with a mailbox (or the accounts setting), and what the plan does about it."""

    mailbox: str | None = None
    account: str | None = None

    def where(self) -> dict[str, Any]:
        """Return the mailbox or account the problem is about."""
        return {"mailbox": self.mailbox, "account": self.account}


@dataclass
class MailboxSetup:
    """The mailboxes that can send, in order, and what was wrong with the others."""

    mailboxes: list[Mailbox] = field(default_factory=list)
    problems: list[CadenceProblem] = field(default_factory=list)
    from_settings: bool = False
    """True when the campaign names no mailboxes and the server's sender is planned."""


class _Refused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _suggest(name: str, names: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _count(where: str, name: str, raw: Any, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise _Refused(f"{where}: {name} {shown(raw)} is not a whole number from {low} to {high}")
    return raw


def _warmup(where: str, raw: Any, cap: int) -> WarmupRamp | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise _Refused(f"{where}: warmup must be a mapping of {', '.join(WARMUP_KEYS)}", "warmup")
    unknown = [str(k) for k in raw if k not in WARMUP_KEYS]
    if unknown:
        name = unknown[0][:80]
        raise _Refused(
            f"{where}: warmup has no field {shown(name)}{_suggest(name, WARMUP_KEYS)}; it takes "
            f"{', '.join(WARMUP_KEYS)}",
            f"warmup.{name}",
        )
    try:
        start = _count(where, "warmup.start", raw.get("start"), 1, MAX_DAILY_CAP)
        step = _count(where, "warmup.step", raw.get("step", 2), 0, MAX_DAILY_CAP)
    except _Refused as exc:
        raise _Refused(str(exc), "warmup") from None
    if start > cap:
        raise _Refused(
            f"{where}: warmup.start {start} is above daily_cap {cap} (a ramp rises to the cap)",
            "warmup.start",
        )
    every = raw.get("every", "day")
    if every not in ("day", "week"):
        raise _Refused(f"{where}: warmup.every {shown(every)} is neither day nor week", "warmup")
    since = raw.get("since")
    if isinstance(since, str):
        try:
            since = dt.date.fromisoformat(since)
        except ValueError:
            since = None if not since else "bad"
    if since is not None and (isinstance(since, dt.datetime) or not isinstance(since, dt.date)):
        raise _Refused(
            f"{where}: warmup.since {shown(raw.get('since'))} is not a date like 2026-12-01",
            "warmup.since",
        )
    return WarmupRamp(start, step, every, since)


def _days(where: str, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return WORKWEEK
    if isinstance(raw, str):
        raw = [raw]
    names = [str(d).strip().lower()[:3] for d in raw] if isinstance(raw, list) else []
    if not names or any(n not in WEEKDAYS for n in names):
        raise _Refused(f"{where}: days {shown(raw)} must list weekdays (mon, tue, ... sun)", "days")
    return tuple(d for d in WEEKDAYS if d in names)


def _mailbox(index: int, raw: Any, seen: set[str], default_window: str, country: str) -> Mailbox:
    if not isinstance(raw, Mapping):
        raise _Refused(f"mailbox {index}: must be a mapping with address and daily_cap")
    address = raw.get("address")
    if not isinstance(address, str) or "@" not in address or not 3 <= len(address) <= 254:
        raise _Refused(f"mailbox {index}: needs an address (an email address)", "address")
    address = address.strip().lower()
    where = f"mailbox {address}"
    if address in seen:
        raise _Refused(f"{where}: listed twice", "address")
    unknown = [str(k) for k in raw if k not in MAILBOX_KEYS]
    if unknown:
        name = unknown[0][:80]
        raise _Refused(
            f"{where}: has no field {shown(name)}{_suggest(name, MAILBOX_KEYS)}; a mailbox takes "
            f"{', '.join(MAILBOX_KEYS)}",
            name,
        )
    if "daily_cap" not in raw:
        raise _Refused(
            f"{where}: needs a daily_cap (emails a day, 30-50 for cold email)", "daily_cap"
        )
    cap = raw["daily_cap"]
    if cap == 0 and not isinstance(cap, bool):
        raise _Refused(f"{where}: daily_cap 0 lets it send nothing", "daily_cap")
    try:
        cap = _count(where, "daily_cap", cap, 1, MAX_DAILY_CAP)
    except _Refused as exc:
        raise _Refused(str(exc), "daily_cap") from None
    window = raw.get("window", default_window)
    try:
        if not isinstance(window, str):
            raise ValueError(f"{shown(window)} is not text like 09:00-17:00")
        parse_window(window)
    except ValueError as exc:
        raise _Refused(f"{where}: window {exc}", "window") from None
    named = raw.get("country", country)
    code = named.strip().upper() if isinstance(named, str) else ""
    # Only a two-letter code reaches the holidays package: it answers some other strings with
    # a TypeError rather than "not implemented".
    if not (len(code) == 2 and code.isascii() and code.isalpha() and known_country(code)):
        raise _Refused(
            f"{where}: country {shown(named)} is no ISO 3166 code with a holiday table (US, DE, "
            "GB, ...)",
            "country",
        )
    return Mailbox(
        address=address,
        daily_cap=cap,
        window=window,
        days=_days(where, raw.get("days")),
        country=code,
        warmup=_warmup(where, raw.get("warmup"), cap),
    )


def read_mailboxes(
    raw: Any,
    *,
    default_address: str | None,
    default_cap: int,
    default_window: str,
    default_country: str,
) -> MailboxSetup:
    """Read a campaign's mailboxes; each one that cannot be read is left out and named."""
    country = default_country.strip().upper()
    setup = MailboxSetup()
    if raw is None or raw == []:
        setup.from_settings = True
        setup.mailboxes.append(
            Mailbox(
                address=default_address or DEFAULT_MAILBOX,
                daily_cap=default_cap,
                window=default_window,
                country=country,
            )
        )
        return setup
    if not isinstance(raw, list):
        setup.problems.append(
            CadenceProblem(
                "error",
                "mailboxes must be a list of mailboxes",
                field="mailboxes",
                effect="no mailbox can send, so no lead is planned",
            )
        )
        return setup
    if len(raw) > MAX_MAILBOXES:
        setup.problems.append(
            CadenceProblem(
                "error",
                f"{len(raw)} mailboxes; the first {MAX_MAILBOXES} are read",
                field="mailboxes",
            )
        )
    seen: set[str] = set()
    for index, item in enumerate(raw[:MAX_MAILBOXES], start=1):
        try:
            mailbox = _mailbox(index, item, seen, default_window, country)
        except _Refused as exc:
            address = item.get("address") if isinstance(item, Mapping) else None
            setup.problems.append(
                CadenceProblem(
                    "error",
                    str(exc),
                    mailbox=address[:254] if isinstance(address, str) else None,
                    field=exc.field,
                    effect=LEFT_OUT,
                )
            )
            continue
        seen.add(mailbox.address)
        setup.mailboxes.append(mailbox)
    if not setup.mailboxes:
        setup.problems.append(
            CadenceProblem(
                "error",
                "no mailbox can send",
                field="mailboxes",
                effect="every lead waits; fix the mailboxes above",
            )
        )
    return setup
