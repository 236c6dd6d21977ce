"""How a sequence step's email differs from a single message's: its own send window, business
days in the recipient's country (public holidays skipped), a place in the thread, and the
mailbox a weekly plan gave the lead (every step from it, within its ramped cap and its window).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from agent.delivery.planned_mailbox import planned_mailbox
from agent.delivery.send_schedule import SendLimits, weekdays
from agent.sequences.business_days import is_business_day
from agent.sequences.thread import step_hours
from storage.messages import thread_header_ids
from storage.models import CampaignRow, MessageRow
from storage.sequences import step_of_message


@dataclass(frozen=True)
class StepSending:
    """The limits a message goes under and the thread it continues."""

    limits: SendLimits
    is_workday: Callable[[dt.date], bool] = weekdays
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    paused: bool = False
    """The lead's sequence is paused (or stopped): the message waits."""
    mailbox: str | None = None
    """The planned mailbox it goes out from (None: the campaign's sender); `limits` carry its
    cap for the day."""


async def step_sending(
    session: AsyncSession,
    message: MessageRow,
    campaign: CampaignRow,
    limits: SendLimits,
    default_country: str,
    today: dt.date | None = None,
) -> StepSending:
    """Return how this message is sent: as the mailbox's limits say, within its step's window
    on the recipient's business days, threaded on the lead's earlier emails, from the mailbox
    the plan gave the lead with its cap on `today` (the UTC day sends are counted in) and
    within the window it names."""
    found = await step_of_message(session, message.id)
    if found is None:
        return StepSending(limits=limits)
    step, enrollment = found
    # A step the sequence no longer has (edited since) keeps the mailbox's window.
    hours = step_hours(campaign, step.step, enrollment.sequence_preset)
    start, end = hours or (limits.window_start, limits.window_end)
    country = enrollment.country or default_country
    earlier = await thread_header_ids(
        session,
        campaign_id=message.campaign_id,
        lead_id=message.lead_id,
        before_step=message.sequence_step,
    )
    planned = None
    if enrollment.mailbox and today is not None:
        planned = planned_mailbox(
            campaign,
            enrollment.mailbox,
            day=today,
            default_country=default_country,
        )
    if planned is not None:
        limits = replace(limits, daily_cap=planned.daily_cap)
        if planned.window is not None:
            start, end = within(planned.window, (start, end))
    return StepSending(
        paused=enrollment.status != "active",
        mailbox=planned.address if planned is not None else None,
        limits=replace(limits, window_start=start, window_end=end),
        is_workday=partial(_business_day, country=country),
        in_reply_to=earlier[-1] if earlier else None,
        references=tuple(earlier),
    )


def within(
    mailbox: tuple[dt.time, dt.time], step: tuple[dt.time, dt.time]
) -> tuple[dt.time, dt.time]:
    """Return the hours a step's email may go from a mailbox: where the step's window and the
    mailbox's overlap, else the mailbox's (it sends in no other hours)."""
    start, end = max(mailbox[0], step[0]), min(mailbox[1], step[1])
    return (start, end) if start < end else mailbox


def _business_day(day: dt.date, *, country: str) -> bool:
    return is_business_day(day, country)
