"""Enrol leads in a campaign's sequence, and pause or resume a campaign or one lead.

Enrolling activates the campaign and schedules each lead's first step after its delay: at once
when its window is open on a business day, else at the window's next opening, in the lead's
country and timezone (the lead's `timezone` and `country` custom fields, else the server's
defaults).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agent.delivery.send_schedule import timezone_named
from agent.sequences.business_days import due_after, known_country
from agent.sequences.definition import PRESETS
from agent.sequences.thread import sequence_of
from agent.settings import Settings
from storage.campaigns import check_transition
from storage.database import Database
from storage.lock_order import lock_where
from storage.models import CampaignRow, LeadRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.sequence_pauses import set_paused
from storage.sequences import StepPlan, enroll


@dataclass(frozen=True)
class Enrolled:
    """What an enrolment did."""

    enrolled: list[int]
    """Lead ids enrolled now."""
    already: list[int]
    """Lead ids that were enrolled before (left as they are)."""


def lead_place(lead: LeadRow, settings: Settings) -> tuple[str, str]:
    """Return the lead's timezone and country (its custom fields, else the defaults)."""
    extra = lead.extra or {}
    zone = timezone_named(extra.get("timezone"), settings.default_timezone).key
    given = str(extra.get("country") or "").strip().upper()
    # An ISO 3166 code the holidays tables know ("DE", "GB"); a name such as "United Kingdom"
    # or an unknown code falls back to the default rather than to weekends only.
    country = given if len(given) == 2 and given.isalpha() and known_country(given) else ""
    return zone, country or settings.default_country.strip().upper()


async def enroll_leads(
    session: AsyncSession,
    campaign: CampaignRow,
    lead_ids: Sequence[int],
    *,
    settings: Settings,
    now: dt.datetime,
    mailbox: str | None = None,
    preset: str | None = None,
) -> Enrolled:
    """Enrol leads in the campaign's sequence, or in the `preset` a weekly plan gave their
    segment (LookupError: neither; ValueError: no such preset; CampaignConflict: a completed or
    cancelled campaign) and activate the campaign; their emails go out from `mailbox` (a weekly
    plan's), else from the campaign's sender."""
    if preset is not None and preset not in PRESETS:
        raise ValueError(f"sequence {preset!r} is no preset; presets: {', '.join(PRESETS)}")
    sequence = sequence_of(campaign, preset)
    if campaign.status != "active":
        check_transition(campaign.status, "active")
        campaign.status = "active"
    first = sequence.step(1)
    plan = StepPlan(step=1, kind=first.kind.value, channel=first.channel.value)
    done = Enrolled(enrolled=[], already=[])
    for lead_id in dict.fromkeys(lead_ids):
        lead = await session.get(LeadRow, lead_id)
        if lead is None:
            raise LookupError(f"there is no lead {lead_id}")
        zone, country = lead_place(lead, settings)
        due = due_after(
            now,
            first.delay_business_days,
            tz=timezone_named(zone, settings.default_timezone),
            country=country,
            window=first.hours,
        )
        row = await enroll(
            session,
            campaign_id=campaign.id,
            lead_id=lead_id,
            first=plan,
            due_at=due,
            timezone=zone,
            country=country,
            mailbox=mailbox,
            sequence_preset=preset,
        )
        (done.enrolled if row is not None else done.already).append(lead_id)
    return done


async def pause(
    db: Database, campaign_id: int, *, lead_id: int | None = None, now: dt.datetime
) -> int:
    """Pause a campaign (its status and every scheduled step) or one lead's steps."""
    return await _set_paused(db, campaign_id, lead_id=lead_id, paused=True, now=now)


async def resume(
    db: Database, campaign_id: int, *, lead_id: int | None = None, now: dt.datetime
) -> int:
    """Resume a paused campaign or lead; steps that fell due meanwhile are due now."""
    return await _set_paused(db, campaign_id, lead_id=lead_id, paused=False, now=now)


async def _set_paused(
    db: Database, campaign_id: int, *, lead_id: int | None, paused: bool, now: dt.datetime
) -> int:
    status = "paused" if paused else "active"
    async with db.write_lock, db.sessions.begin() as session:
        campaign = await session.get(CampaignRow, campaign_id, with_for_update=True)
        if campaign is None:
            raise LookupError(f"there is no campaign {campaign_id}")
        if lead_id is None and campaign.status != status:
            check_transition(campaign.status, status)
            campaign.status = status
        # The steps before the enrolment, as every writer takes them (storage/lock_order.py).
        steps = [
            SequenceStepRow.campaign_id == campaign_id,
            SequenceStepRow.status.in_(("scheduled", "paused")),
        ]
        if lead_id is not None:
            steps.append(SequenceStepRow.lead_id == lead_id)
        await lock_where(session, SequenceStepRow, *steps)
        if lead_id is not None:
            await lock_where(
                session,
                SequenceEnrollmentRow,
                SequenceEnrollmentRow.campaign_id == campaign_id,
                SequenceEnrollmentRow.lead_id == lead_id,
            )
        return await set_paused(
            session, paused=paused, campaign_id=campaign_id, lead_id=lead_id, resume_at=now
        )
