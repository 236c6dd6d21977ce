"""Sequences as people work them, for the command line and the API alike: enrol leads, read a
lead's sequence step by step, pause and resume a campaign or one lead, and read the metrics.

What goes wrong is one of three errors, each with a message that says what to do:
LookupError (no such campaign, lead or enrolment), NoSequence (the campaign has none) and
SequenceConflict (a campaign or lead whose state does not allow it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.report import compare_sequences, sequence_report
from agent.campaigns.spec import CampaignNeedsPitch
from agent.campaigns.stored import find_campaign, spec_of
from agent.leads.files import LeadFile, read_leads
from agent.leads.store import store_leads
from agent.sequences import enrollment
from agent.sequences.definition import SequenceDefinition
from agent.sequences.enrollment import enroll_leads
from agent.sequences.thread import sequence_of
from agent.settings import Settings
from storage.campaigns import CampaignConflict
from storage.database import Database
from storage.engagement import in_lists
from storage.leads import missing_lead_ids, normalize_email
from storage.models import MAX_ROW_ID, CampaignRow, LeadRow
from storage.sequence_models import TaskRow
from storage.sequences import lead_steps
from storage.tasks import as_utc

FINAL_CAMPAIGN = ("completed", "cancelled")
ENDED = ("stopped", "finished")


class NoSequence(Exception):
    """The campaign has no sequence, so there is nothing to enrol in, preview or measure."""


class SequenceConflict(Exception):
    """The campaign or the lead is in a state that does not allow this."""


def sequence_of_campaign(campaign: CampaignRow) -> SequenceDefinition:
    """Return the campaign's sequence; NoSequence (saying how to add one) when it has none."""
    sequence = spec_of(campaign).sequence
    if sequence is None:
        raise NoSequence(
            f"campaign {campaign.name!r} has no sequence: set `sequence:` to a preset (3-step, "
            "5-step, 7-step, soft_nudge, direct_cta) or a list of steps first"
        )
    return sequence


async def campaign_row(session: AsyncSession, campaign_id: int) -> CampaignRow:
    """Return the campaign by id; LookupError if there is none."""
    row = await session.get(CampaignRow, campaign_id) if 0 < campaign_id <= MAX_ROW_ID else None
    if row is None:
        raise LookupError(f"there is no campaign {campaign_id}")
    return row


async def campaign_ref(db: Database, ref: str) -> int:
    """Return the id of the campaign named or numbered ref; LookupError if there is none."""
    async with db.sessions() as session:
        row = await find_campaign(session, ref)
    if row is None:
        raise LookupError(f"there is no campaign {ref!r}")
    return row.id


async def lead_ref(db: Database, ref: str) -> int:
    """Return the id of the lead with this email address or id; LookupError if there is none."""
    text = ref.strip()
    async with db.sessions() as session:
        if text.isascii() and text.isdigit():
            row = await session.get(LeadRow, int(text)) if 0 < int(text) <= MAX_ROW_ID else None
        else:
            row = await session.scalar(
                select(LeadRow).where(LeadRow.email_normalized == normalize_email(text))
            )
    if row is None:
        raise LookupError(f"there is no lead {ref!r} (give its email address or id)")
    return row.id


def check_enrollable(campaign: CampaignRow, preset: str | None = None) -> SequenceDefinition:
    """Return the sequence leads would follow (`preset`, a segment's own, else the campaign's)
    if they may be enrolled; NoSequence or SequenceConflict (a finished campaign, or one without
    a pitch to write from) otherwise."""
    sequence = sequence_of(campaign, preset) if preset else sequence_of_campaign(campaign)
    if campaign.status in FINAL_CAMPAIGN:
        raise SequenceConflict(
            f"campaign {campaign.name!r} is {campaign.status}: it enrols no one any more"
        )
    try:
        spec_of(campaign).pipeline_campaign()
    except CampaignNeedsPitch as exc:
        raise SequenceConflict(str(exc)) from None
    return sequence


@dataclass(frozen=True)
class Enrolment:
    """What an enrolment did, and the campaign's status after it (enrolling activates it)."""

    campaign_id: int
    campaign_status: str
    enrolled: list[int]
    """Lead ids enrolled now."""
    already: list[int]
    """Lead ids enrolled before (left as they are)."""


async def enroll(
    db: Database,
    settings: Settings,
    campaign_id: int,
    lead_ids: Sequence[int],
    *,
    now: dt.datetime,
    mailbox: str | None = None,
    preset: str | None = None,
) -> Enrolment:
    """Enrol stored leads in the campaign's sequence, or in `preset` (a segment's own), and
    activate the campaign, their emails from `mailbox` if given; an unknown lead id refuses
    the whole request, naming the ids."""
    ids = list(dict.fromkeys(lead_ids))
    if not ids:
        raise ValueError("name at least one lead to enrol")
    async with db.write_lock, db.sessions.begin() as session:
        campaign = await campaign_row(session, campaign_id)
        check_enrollable(campaign, preset)
        missing = [i for i in ids if not 0 < i <= MAX_ROW_ID]
        for chunk in in_lists([i for i in ids if 0 < i <= MAX_ROW_ID]):
            missing += await missing_lead_ids(session, list(chunk))
        if missing:
            shown = ", ".join(str(i) for i in missing[:10])
            more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            noun = "lead" if len(missing) == 1 else "leads"
            raise LookupError(f"there is no {noun} {shown}{more}; nobody was enrolled")
        try:
            done = await enroll_leads(
                session, campaign, ids, settings=settings, now=now, mailbox=mailbox, preset=preset
            )
        except CampaignConflict as exc:
            raise SequenceConflict(str(exc)) from None
        return Enrolment(campaign.id, campaign.status, done.enrolled, done.already)


async def enroll_lead_file(
    db: Database, settings: Settings, campaign_id: int, path: Path, *, now: dt.datetime
) -> tuple[LeadFile, Enrolment | None]:
    """Read a lead file, keep its valid leads and enrol them; its bad rows are in the LeadFile.

    The campaign is checked before anything is stored, so a refused enrolment stores nothing;
    a file without a valid lead enrols nobody (None).
    """
    async with db.sessions() as session:
        campaign = await campaign_row(session, campaign_id)
        check_enrollable(campaign)
        channel = spec_of(campaign).channel
    lead_file = read_leads(path, channel)
    if not lead_file.leads:
        return lead_file, None
    ids = await store_leads(db, [lead for _, lead in lead_file.leads])
    return lead_file, await enroll(db, settings, campaign_id, ids, now=now)


@dataclass(frozen=True)
class StepState:
    """One step of a lead's sequence that exists: where it stands."""

    step: int
    kind: str
    channel: str
    status: str
    due_at: dt.datetime
    finished_at: dt.datetime | None
    message_id: int | None
    detail: str
    task_id: int | None
    task_status: str | None


@dataclass(frozen=True)
class PlannedStep:
    """A step still to come: scheduled when the one before it is done."""

    step: int
    kind: str
    channel: str
    delay_business_days: int
    window: str


@dataclass(frozen=True)
class LeadSequence:
    """A lead's place in a campaign's sequence, each step so far and the steps to come."""

    campaign_id: int
    campaign: str
    lead_id: int
    lead: str
    email: str | None
    status: str
    current_step: int
    total_steps: int
    stop_reason: str | None
    timezone: str | None
    country: str | None
    started_at: dt.datetime | None
    steps: list[StepState]
    upcoming: list[PlannedStep]

    def as_dict(self) -> dict[str, Any]:
        """Return the view as JSON-ready values."""
        data = asdict(self)
        data["started_at"] = _iso(self.started_at)
        for step in data["steps"]:
            step["due_at"], step["finished_at"] = _iso(step["due_at"]), _iso(step["finished_at"])
        return data


def _iso(moment: dt.datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


async def lead_sequence(db: Database, campaign_id: int, lead_id: int) -> LeadSequence:
    """Return a lead's sequence in a campaign; LookupError if the lead is not enrolled."""
    async with db.sessions() as session:
        campaign = await campaign_row(session, campaign_id)
        lead = await session.get(LeadRow, lead_id) if 0 < lead_id <= MAX_ROW_ID else None
        if lead is None:
            raise LookupError(f"there is no lead {lead_id}")
        enrolled, rows = await lead_steps(session, campaign_id=campaign.id, lead_id=lead.id)
        # The lead's own sequence: its segment's preset when a weekly plan gave it one.
        preset = enrolled.sequence_preset if enrolled is not None else None
        sequence = sequence_of(campaign, preset) if preset else sequence_of_campaign(campaign)
        if enrolled is None:
            raise LookupError(
                f"lead {lead_id} is not enrolled in campaign {campaign.name!r}'s sequence"
            )
        tasks = {
            step_id: (task_id, status)
            for step_id, task_id, status in await session.execute(
                select(TaskRow.step_id, TaskRow.id, TaskRow.status).where(
                    TaskRow.step_id.in_([row.id for row in rows])
                )
            )
        }
    steps = [
        StepState(
            step=row.step,
            kind=row.kind,
            channel=row.channel,
            status=row.status,
            due_at=as_utc(row.due_at),
            finished_at=as_utc(row.finished_at) if row.finished_at else None,
            message_id=row.message_id,
            detail=row.detail,
            task_id=tasks.get(row.id, (None, None))[0],
            task_status=tasks.get(row.id, (None, None))[1],
        )
        for row in rows
    ]
    last = max((row.step for row in rows), default=0)
    upcoming = [
        PlannedStep(number, s.kind.value, s.channel.value, s.delay_business_days, s.window)
        for number, s in enumerate(sequence.steps, start=1)
        if number > last and enrolled.status not in ENDED
    ]
    return LeadSequence(
        campaign_id=campaign.id,
        campaign=campaign.name,
        lead_id=lead.id,
        lead=lead.name,
        email=lead.email,
        status=enrolled.status,
        current_step=enrolled.current_step,
        total_steps=len(sequence.steps),
        stop_reason=enrolled.stop_reason,
        timezone=enrolled.timezone,
        country=enrolled.country,
        started_at=as_utc(enrolled.started_at) if enrolled.started_at else None,
        steps=steps,
        upcoming=upcoming,
    )


@dataclass(frozen=True)
class PauseOutcome:
    """What a pause or resume did."""

    campaign_id: int
    campaign_status: str
    lead_id: int | None
    lead_status: str | None
    steps_changed: int
    """Scheduled steps paused, or paused steps scheduled again."""
    note: str | None = None


async def set_paused(
    db: Database, campaign_id: int, *, paused: bool, lead_id: int | None = None, now: dt.datetime
) -> PauseOutcome:
    """Pause or resume a campaign's sequence (its status and every scheduled step) or one
    lead's; doing it twice changes nothing. A stopped or finished lead, or a campaign whose
    status cannot move (a draft, completed or cancelled one), is a SequenceConflict."""
    if lead_id is not None:
        view = await lead_sequence(db, campaign_id, lead_id)
        if view.status in ENDED:
            why = f" ({view.stop_reason})" if view.stop_reason else ""
            raise SequenceConflict(
                f"lead {lead_id}'s sequence is {view.status}{why}: it cannot be paused or resumed"
            )
    else:
        async with db.sessions() as session:
            sequence_of_campaign(await campaign_row(session, campaign_id))
    change = enrollment.pause if paused else enrollment.resume
    try:
        changed = await change(db, campaign_id, lead_id=lead_id, now=now)
    except CampaignConflict as exc:
        raise SequenceConflict(str(exc)) from None
    async with db.sessions() as session:
        campaign = await campaign_row(session, campaign_id)
        enrolled, _ = (
            await lead_steps(session, campaign_id=campaign_id, lead_id=lead_id)
            if lead_id is not None
            else (None, [])
        )
    note = None
    if lead_id is not None and not paused and campaign.status != "active":
        note = f"the campaign is {campaign.status}: the lead's steps go once it is resumed"
    return PauseOutcome(
        campaign_id=campaign.id,
        campaign_status=campaign.status,
        lead_id=lead_id,
        lead_status=enrolled.status if enrolled is not None else None,
        steps_changed=changed,
        note=note,
    )


async def sequence_metrics(db: Database, campaign_id: int) -> dict[str, Any]:
    """Return the campaign's sequence metrics (the report's sequence section, with its name)."""
    async with db.sessions() as session:
        campaign = await campaign_row(session, campaign_id)
        sequence_of_campaign(campaign)
        report = await sequence_report(session, campaign)
    assert report is not None
    return {"campaign_id": campaign.id, "name": campaign.name, "status": campaign.status, **report}


async def compare(db: Database, campaign_ids: Sequence[int]) -> dict[str, Any]:
    """Compare campaigns' whole sequences (leads enrolled, replied at any step)."""
    async with db.sessions() as session:
        campaigns = [await campaign_row(session, i) for i in dict.fromkeys(campaign_ids)]
        for campaign in campaigns:
            sequence_of_campaign(campaign)
        return await compare_sequences(session, campaigns)
