"""How a sequence step's email differs from a single message's: its own send window, business
days in the recipient's country (public holidays skipped), and a place in the thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

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


async def step_sending(
    session: AsyncSession,
    message: MessageRow,
    campaign: CampaignRow,
    limits: SendLimits,
    default_country: str,
) -> StepSending:
    """Return how this message is sent: as the mailbox's limits say, within its step's window
    on the recipient's business days, threaded on the lead's earlier emails."""
    found = await step_of_message(session, message.id)
    if found is None:
        return StepSending(limits=limits)
    step, enrollment = found
    # A step the sequence no longer has (edited since) keeps the mailbox's window.
    start, end = step_hours(campaign, step.step) or (limits.window_start, limits.window_end)
    country = enrollment.country or default_country
    earlier = await thread_header_ids(
        session,
        campaign_id=message.campaign_id,
        lead_id=message.lead_id,
        before_step=message.sequence_step,
    )
    return StepSending(
        paused=enrollment.status != "active",
        limits=replace(limits, window_start=start, window_end=end),
        is_workday=partial(_business_day, country=country),
        in_reply_to=earlier[-1] if earlier else None,
        references=tuple(earlier),
    )


def _business_day(day: dt.date, *, country: str) -> bool:
    return is_business_day(day, country)
