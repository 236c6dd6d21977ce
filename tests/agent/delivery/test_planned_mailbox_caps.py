"""A planned mailbox's cap at send time is the one its plan used: the warm-up ramp on the day
(from the week's Monday when the ramp names no start), nothing on a day it does not send, and
no mailbox at all once the campaign no longer lists it (its leads go out from the sender)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import write_spec
from agent.delivery.planned_mailbox import PlannedMailbox, planned_mailbox
from agent.planning.cadence_config import read_mailboxes
from agent.planning.week_days import week_days
from storage.models import CampaignRow

MONDAY = dt.date(2027, 1, 11)
MAILBOXES: list[dict[str, Any]] = [
    {"address": "Ann@Seller.example", "daily_cap": 6, "warmup": {"start": 2, "step": 2}},
    {"address": "bob@seller.example", "daily_cap": 5, "days": ["mon", "wed"]},
    {"address": "old@seller.example", "daily_cap": 0},  # cannot be read: sends nothing
]


def campaign(mailboxes: list[dict[str, Any]]) -> CampaignRow:
    row = CampaignRow(name="c", channel="email", value_proposition="x", settings={})
    write_spec(row, CampaignSpec(name="c", mailboxes=mailboxes))
    return row


def test_the_cap_at_send_time_is_the_plans_cap_on_that_day() -> None:
    row = campaign(MAILBOXES)
    setup = read_mailboxes(
        MAILBOXES, default_address=None, default_cap=1, default_window="09:00-17:00",
        default_country="US",
    )  # fmt: skip
    plan = {
        (box.address, day.day): box.cap
        for day in week_days(MONDAY, setup.mailboxes, "US")
        for box in day.mailboxes
    }
    for offset in range(7):
        day = MONDAY + dt.timedelta(days=offset)
        for address in ("ann@seller.example", "bob@seller.example"):
            found = planned_mailbox(row, address, day=day, default_country="US")
            assert found == PlannedMailbox(address, plan.get((address, day), 0)), (address, day)
    assert planned_mailbox(row, "ANN@seller.example", day=MONDAY, default_country="US") == (
        PlannedMailbox("ann@seller.example", 2)
    )
    assert plan["ann@seller.example", MONDAY + dt.timedelta(days=2)] == 6  # 2, 4, 6: capped


def test_a_mailbox_the_campaign_no_longer_has_sends_nothing_more() -> None:
    row = campaign(MAILBOXES)
    for gone in ("old@seller.example", "nobody@seller.example"):
        assert planned_mailbox(row, gone, day=MONDAY, default_country="US") is None
    assert (
        planned_mailbox(campaign([]), "ann@seller.example", day=MONDAY, default_country="US")
        is None
    )
