"""The mailbox a weekly plan gave a lead's sequence, and how many emails it may send today.

A plan spreads a campaign's first touches over its `mailboxes:`, each within its ramped daily
cap, and the enrolment keeps the mailbox it gave the lead (storage: sequence_enrollments.mailbox).
At send time the cap is recomputed the way the plan computed it: the mailbox's warm-up ramp on
the day (a ramp without `since` starts on that week's Monday, as it did in the plan), nothing on
a day the mailbox does not send (its weekdays, its country's holidays). A mailbox the campaign
no longer lists, or one it can no longer read, sends nothing more: the lead's next emails go out
from the campaign's sender instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from agent.campaigns.stored import spec_of
from agent.planning.cadence_config import read_mailboxes
from storage.models import CampaignRow

UNUSED_WINDOW = "09:00-17:00"
"""The mailbox's window is not read here: a step's window is the sequence's."""


@dataclass(frozen=True)
class PlannedMailbox:
    """A campaign mailbox a sequence sends from, and its cap on one day."""

    address: str
    daily_cap: int


def planned_mailbox(
    campaign: CampaignRow, address: str, *, day: dt.date, default_country: str
) -> PlannedMailbox | None:
    """Return the campaign's mailbox `address` with its cap on `day` (the UTC day the
    dispatcher counts sends in); None when the campaign no longer has it."""
    try:
        written = spec_of(campaign).mailboxes
    except ValueError:  # a campaign row that no longer reads: its sender sends
        return None
    setup = read_mailboxes(
        written,
        default_address=None,
        default_cap=1,
        default_window=UNUSED_WINDOW,
        default_country=default_country,
    )
    if setup.from_settings:
        return None
    wanted = address.strip().lower()
    mailbox = next((m for m in setup.mailboxes if m.address == wanted), None)
    if mailbox is None:
        return None
    if not mailbox.sends_on(day):
        return PlannedMailbox(mailbox.address, 0)
    monday = day - dt.timedelta(days=day.weekday())
    return PlannedMailbox(mailbox.address, mailbox.cap_on(day, monday))
