"""Leads contacted and what came back, counted for one group (a segment, an angle, a week),
as rates with Wilson 95% intervals; rankings by the interval's lower bound; and whether a
week's rate moved from the week before or the samples are too small to say."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from agent.experiments.intervals import wilson

MIN_WEEK_LEADS = 30
"""Leads a week needs, in each of two weeks, before their rates are compared."""
MIN_RANKED_LEADS = 10
"""Leads a sequence or angle needs to be ranked among the others (smaller ones come last)."""
RATES = (
    ("reply_rate", "replied"),
    ("positive_reply_rate", "positive_replies"),
    ("meeting_rate", "meetings"),
)
"""Each rate and the count it is taken of (over `sent`)."""


@lru_cache(maxsize=4096)
def _percent_interval(part: int, whole: int) -> tuple[float, float]:
    # A report asks for the same few (part, whole) pairs many times (every empty week is
    # 0 of 0), and each scipy interval costs about 2 ms.
    low, high = wilson(part, whole)
    return (round(100 * low, 2), round(100 * high, 2))


@dataclass
class Tally:
    """One group's leads: first messages sent, replies, positive replies, meetings."""

    sent: int = 0
    replied: int = 0
    positive_replies: int = 0
    meetings: int = 0
    unread: int = 0
    """Replied leads none of whose replies the reply classifier read."""

    def add(
        self, *, replied: bool, positive: bool, read: bool, meeting: bool, leads: int = 1
    ) -> None:
        """Count one lead, or `leads` leads alike."""
        self.sent += leads
        self.replied += leads * replied
        self.positive_replies += leads * positive
        self.unread += leads * (replied and not read)
        self.meetings += leads * meeting

    def row(self) -> dict[str, Any]:
        """Return the counts, each rate (percent of sent) and its Wilson 95% interval."""
        found: dict[str, Any] = {
            "sent": self.sent,
            "replied": self.replied,
            "positive_replies": self.positive_replies,
            "meetings": self.meetings,
        }
        for rate, count in RATES:
            part = found[count]
            found[rate] = round(100 * part / self.sent, 2) if self.sent else 0.0
            found[f"{rate}_ci"] = list(_percent_interval(part, self.sent))
        found["unread_replies"] = self.unread
        return found


def ranked(rows: Iterable[dict[str, Any]], *, top: int) -> list[dict[str, Any]]:
    """Return the rows best first by the lower bound of the positive-reply rate's interval
    (2 of 4 ranks below 30 of 200); ties go to the larger sample. Rows with fewer than
    MIN_RANKED_LEADS leads come after the rest, flagged `small_sample`: even the lower bound
    of 1 of 1 (20.7%) would beat 30 of 200's (10.7%)."""
    ordered = sorted(
        (row for row in rows if row["sent"]),
        key=lambda row: (
            row["sent"] < MIN_RANKED_LEADS,
            -row["positive_reply_rate_ci"][0],
            -row["sent"],
        ),
    )
    return [
        {
            **row,
            "rank": number,
            "lower_bound": row["positive_reply_rate_ci"][0],
            "small_sample": row["sent"] < MIN_RANKED_LEADS,
        }
        for number, row in enumerate(ordered[:top], start=1)
    ]


def change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return how each rate moved from one week to the next (percentage points), and whether
    that is a change at all: `up`/`down` when the two intervals do not overlap, `unclear`
    when they do, `too_few` when either week has fewer than MIN_WEEK_LEADS leads."""
    small = min(before["sent"], after["sent"]) < MIN_WEEK_LEADS
    moved: dict[str, Any] = {}
    for rate, _ in RATES:
        points = round(after[rate] - before[rate], 2)
        (low0, high0), (low1, high1) = before[f"{rate}_ci"], after[f"{rate}_ci"]
        if small:
            call = "too_few"
        elif low1 > high0:
            call = "up"
        elif high1 < low0:
            call = "down"
        else:
            call = "unclear"
        moved[rate] = {"points": points, "call": call}
    note = None
    if small:
        note = (
            f"too few leads to compare ({before['sent']} then {after['sent']}; "
            f"{MIN_WEEK_LEADS} a week needed)"
        )
    elif all(m["call"] == "unclear" for m in moved.values()):
        note = "no clear change: the 95% intervals overlap"
    return {**moved, "note": note}
