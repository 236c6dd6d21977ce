"""The mailbox a weekly plan gave a lead's sequence, and how many emails it may send today.

A plan spreads a campaign's first touches over its `mailboxes:`, each within its ramped daily
cap, and the enrolment keeps the mailbox it gave the lead (storage: sequence_enrollments.mailbox).
At send time the cap is recomputed the way the plan computed it: the mailbox's warm-up ramp on
the day (a ramp without `since` starts on that week's Monday, as it did in the plan), nothing on
a day the mailbox does not send (its weekdays, its country's holidays). A mailbox the campaign
no longer lists, or one it can no longer read, sends nothing more: the lead's next emails go out
from the campaign's sender instead.

The mailbox's `window` (the recipient's local hours, as the campaign's send window) holds at
send time too: a step's email goes out where the step's window and the mailbox's overlap, and
in the mailbox's window when they do not (agent/delivery/sequence_sending.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent.campaigns.stored import spec_of
from agent.planning.cadence_config import read_mailboxes
from agent.sequences.definition import parse_window
from storage.models import CampaignRow

NO_WINDOW = "00:00-24:00"
"""Read in place of a window the mailbox does not name (it is told apart by the written key)."""


@dataclass(frozen=True)
class PlannedMailbox:
    """A campaign mailbox a sequence sends from, and its cap on one day."""

    address: str
    daily_cap: int
    window: tuple[dt.time, dt.time] | None = None
    """The hours it sends in, the recipient's local time; None: it names none (the step's
    window holds)."""


def planned_mailbox(
    campaign: CampaignRow, address: str, *, day: dt.date, default_country: str
) -> PlannedMailbox | None:
    """Return the campaign's mailbox `address` with its cap on `day` (the UTC day the
    dispatcher counts sends in) and the window it names; None when the campaign no longer has
    it."""
    try:
        written = spec_of(campaign).mailboxes
    except ValueError:  # a campaign row that no longer reads: its sender sends
        return None
    setup = read_mailboxes(
        written,
        default_address=None,
        default_cap=1,
        default_window=NO_WINDOW,
        default_country=default_country,
    )
    if setup.from_settings:
        return None
    wanted = address.strip().lower()
    mailbox = next((m for m in setup.mailboxes if m.address == wanted), None)
    if mailbox is None:
        return None
    named = any(
        isinstance(m, Mapping) and m.get("window") is not None and _address(m) == wanted
        for m in written
    )
    # read_mailboxes left out a mailbox whose window does not parse
    window = parse_window(mailbox.window) if named else None
    if not mailbox.sends_on(day):
        return PlannedMailbox(mailbox.address, 0, window)
    monday = day - dt.timedelta(days=day.weekday())
    return PlannedMailbox(mailbox.address, mailbox.cap_on(day, monday), window)


def _address(written: Mapping[str, Any]) -> str:
    address = written.get("address")
    return address.strip().lower() if isinstance(address, str) else ""
