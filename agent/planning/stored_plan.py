"""A week's plan over a stored campaign and its stored leads, with the steps its sequences
already have due that week: what the API's cadence endpoints and `outreach sequence
enroll-week` share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from agent.campaigns.spec import CampaignSpec
from agent.planning.operations import WeekPlanReport, plan_week
from agent.planning.plan_enrollment import DayEnrolment, enroll_plan
from agent.planning.priority import ReplyChance
from agent.planning.stored_facts import stored_prospects
from agent.planning.stored_sequences import stored_cadence
from agent.settings import Settings
from storage.database import Database

MAX_STORED_LEADS = 100_000


async def plan_stored_week(
    db: Database,
    settings: Settings,
    spec: CampaignSpec,
    campaign_id: int,
    *,
    today: dt.date,
    week_start: dt.date,
    lead_ids: Sequence[int] | None = None,
    limit: int = MAX_STORED_LEADS,
    reply_chance: ReplyChance | None = None,
) -> WeekPlanReport:
    """Plan the week over the stored leads (these ids, else the first `limit`), the steps the
    campaign's sequences have due in it taking their room first."""
    prospects = await stored_prospects(db, today=today, lead_ids=lead_ids, limit=limit)
    stored = await stored_cadence(db, campaign_id=campaign_id, week_start=week_start)
    return plan_week(
        spec,
        prospects,
        settings=settings,
        today=today,
        week_start=week_start,
        due=stored.due,
        enrolled=stored.enrolled,
        reply_chance=reply_chance,
    )


async def enroll_stored_week(
    db: Database,
    settings: Settings,
    spec: CampaignSpec,
    campaign_id: int,
    *,
    now: dt.datetime,
    week_start: dt.date,
    lead_ids: Sequence[int] | None = None,
    limit: int = MAX_STORED_LEADS,
    reply_chance: ReplyChance | None = None,
) -> tuple[WeekPlanReport, list[DayEnrolment]]:
    """Plan the week over the stored leads and enrol its first touches on their planned days
    (PlanNotFollowable when the sending path would not follow the plan)."""
    report = await plan_stored_week(
        db, settings, spec, campaign_id, today=now.date(), week_start=week_start,
        lead_ids=lead_ids, limit=limit, reply_chance=reply_chance,
    )  # fmt: skip
    days = await enroll_plan(db, settings, campaign_id, report, now=now)
    return report, days
