"""Tasks for a person, as the CLI, the API and the scheduler use them.

The scheduler builds a task's text with linkedin_task_fields or call_task_fields and stores it
with storage.tasks.create_task; a person lists the tasks (`outreach tasks`, GET /tasks), reads
one, and marks it done or skipped, which finishes its sequence step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.stored import find_campaign
from agent.settings import Settings
from graphs.call_scripts import CallScript
from storage.database import Database
from storage.leads import lead_facts, lead_rows
from storage.lock_order import lock_lead_rows
from storage.models import MAX_ROW_ID, CampaignRow, LeadRow
from storage.sequence_models import TaskRow
from storage.stage_changes import set_stage
from storage.tasks import (
    NOTE_LIMIT,
    TaskOutcome,
    as_utc,
    count_tasks,
    finish_task,
    get_task,
    list_tasks,
)

LINKEDIN_KINDS = ("linkedin_connect", "linkedin_message")
_PHONE = re.compile(r"\+?[0-9(][0-9 ()./-]{3,38}[0-9]")
_WEB_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def profile_link(url: str | None) -> str | None:
    """Return a lead's profile URL if it is a plain web link, else None (never javascript:)."""
    url = (url or "").strip()
    return url if len(url) <= 2048 and _WEB_LINK.fullmatch(url) else None


def phone_link(phone: str | None) -> str | None:
    """Return a lead's phone number if it reads as one (digits, +, spaces, dashes), else None."""
    phone = _one_line(phone)
    return phone if _PHONE.fullmatch(phone) and sum(c.isdigit() for c in phone) >= 5 else None


def _who(lead_name: str, company: str) -> str:
    name, company = _one_line(lead_name) or "the lead", _one_line(company)
    return f"{name} ({company})" if company else name


def linkedin_task_fields(
    lead_name: str, company: str, linkedin_url: str | None, text: str, kind: str
) -> tuple[str, str, str | None]:
    """Return (title, body, link) of a LinkedIn task: the text to paste, and the profile."""
    if kind not in LINKEDIN_KINDS:
        raise ValueError(f"a LinkedIn task is one of {', '.join(LINKEDIN_KINDS)}, not {kind!r}")
    what = "a connection request" if kind == "linkedin_connect" else "a message"
    link = profile_link(linkedin_url)
    title = f"Send {_who(lead_name, company)} {what} on LinkedIn"
    if link is None:
        title += " (no profile link on file: find them by name)"
    return title, text.strip(), link


def call_task_fields(
    lead_name: str,
    company: str,
    phone: str | None,
    script: CallScript | None,
    *,
    issues: Sequence[str] = (),
) -> tuple[str, str, dict[str, Any], str | None]:
    """Return (title, body, script_json, link) of a call task.

    The body is the voicemail (what to leave if nobody answers); script_json is the whole
    script, with the checks' issues when it failed them (`outreach tasks show` flags them).
    With no script (CallScriptResult.script is None: no model could write one) the task
    still goes to the person, flagged with the issues.
    """
    link = phone_link(phone)
    title = f"Call {_who(lead_name, company)}"
    if link is None:
        title += " (no phone number on file)"
    script_json = script.model_dump(mode="json") if script is not None else {}
    if issues:
        script_json["issues"] = list(issues)
    return title, script.voicemail if script is not None else "", script_json, link


@dataclass(frozen=True)
class TaskView:
    """A task as a person reads it: with the lead, the campaign and the facts behind a call."""

    id: int
    kind: str
    status: str
    title: str
    body: str
    script: dict[str, Any]
    link: str | None
    due_at: dt.datetime
    created_at: dt.datetime | None
    completed_at: dt.datetime | None
    note: str | None
    campaign_id: int
    campaign: str
    lead_id: int
    lead: str
    company: str
    step_id: int | None
    reason_facts: list[dict[str, str]] = field(default_factory=list)
    """The facts a call's reason is built on: id, text and source."""

    @property
    def issues(self) -> list[str]:
        """What the call script's checks found wrong (the person checks it before calling)."""
        return [str(issue) for issue in self.script.get("issues") or []]

    def as_dict(self) -> dict[str, Any]:
        """Return the view as JSON-ready values."""
        data = asdict(self)
        for name in ("due_at", "created_at", "completed_at"):
            data[name] = data[name].isoformat() if data[name] is not None else None
        return data


def _view(
    task: TaskRow, lead: LeadRow | None, campaign: str, facts: list[dict[str, str]]
) -> TaskView:
    return TaskView(
        id=task.id,
        kind=task.kind,
        status=task.status,
        title=task.title,
        body=task.body,
        script=dict(task.script or {}),
        link=task.link,
        due_at=as_utc(task.due_at),
        created_at=as_utc(task.created_at) if task.created_at else None,
        completed_at=as_utc(task.completed_at) if task.completed_at else None,
        note=task.note,
        campaign_id=task.campaign_id,
        campaign=campaign,
        lead_id=task.lead_id,
        lead=lead.name if lead else "?",
        company=lead.company if lead else "",
        step_id=task.step_id,
        reason_facts=facts,
    )


async def _views(db: Database, tasks: list[TaskRow], *, with_facts: bool) -> list[TaskView]:
    async with db.sessions() as session:
        leads = {row.id: row for row in await lead_rows(session, ids=[t.lead_id for t in tasks])}
        campaign_ids = list({t.campaign_id for t in tasks})
        found = await session.execute(
            select(CampaignRow.id, CampaignRow.name).where(CampaignRow.id.in_(campaign_ids))
        )
        names = {campaign_id: name for campaign_id, name in found}
        views = []
        for task in tasks:
            facts: list[dict[str, str]] = []
            cited = [str(i) for i in (task.script or {}).get("reason_fact_ids") or []]
            if with_facts and cited:
                rows = await lead_facts(session, lead_id=task.lead_id, fact_ids=cited)
                facts = [
                    {"id": f.fact_id, "text": f.text, "source_url": f.source_url} for f in rows
                ]
            campaign = names.get(task.campaign_id, str(task.campaign_id))
            views.append(_view(task, leads.get(task.lead_id), campaign, facts))
    return views


def _check_id(task_id: int) -> None:
    """Refuse a number no row can have (a larger one would overflow PostgreSQL's integer)."""
    if not 0 < task_id <= MAX_ROW_ID:
        raise LookupError(f"there is no task {task_id} (task ids are positive numbers)")


async def campaign_id_of(db: Database, ref: str | int) -> int:
    """Return the id of the campaign named or numbered ref; LookupError if there is none."""
    async with db.sessions() as session:
        row = await find_campaign(session, ref)
    if row is None:
        raise LookupError(f"there is no campaign {str(ref)!r}")
    return row.id


async def task_page(
    db: Database,
    *,
    status: str | None = "open",
    campaign_id: int | None = None,
    due_before: dt.datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[TaskView], int]:
    """Return a page of tasks, the earliest due first, and how many match in all."""
    filters: dict[str, Any] = {
        "status": status,
        "campaign_id": campaign_id,
        "due_before": due_before,
    }
    async with db.sessions() as session:
        rows = await list_tasks(session, **filters, limit=limit, offset=offset)
        total = await count_tasks(session, **filters)
    return await _views(db, rows, with_facts=False), total


async def task_view(db: Database, task_id: int) -> TaskView:
    """Return one task with the facts behind its call script; LookupError if there is none."""
    _check_id(task_id)
    async with db.sessions() as session:
        row = await get_task(session, task_id)
    if row is None:
        raise LookupError(f"there is no task {task_id}")
    [view] = await _views(db, [row], with_facts=True)
    return view


class FinishRefused(ValueError):
    """A finish that cannot be recorded as asked: a note over NOTE_LIMIT characters, or a
    meeting booked on a task that is not a call marked done."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


async def finish(
    db: Database,
    task_id: int,
    *,
    outcome: TaskOutcome,
    note: str | None = None,
    meeting_booked: bool = False,
    now: dt.datetime,
) -> TaskView:
    """Mark a task done or skipped (and its step); LookupError or TaskNotOpen if it cannot be.

    meeting_booked, for a call marked done: the lead is marked meeting_booked in the same
    transaction, as a reply's booked slot marks it (its sequences stop, its campaign counts a
    meeting), and the note says so. FinishRefused for an over-long note or a meeting on
    another task; StageConflict (nothing recorded) for a lead that opted out or bounced.
    """
    _check_id(task_id)
    note = (note.strip() or None) if note is not None else None
    if note is not None and len(note) > NOTE_LIMIT:
        raise FinishRefused(
            f"a task's note is at most {NOTE_LIMIT} characters, not {len(note)}", field="note"
        )
    if note is not None and "\x00" in note:  # PostgreSQL cannot store it (the CLI's way in)
        raise FinishRefused("a task's note may not contain NUL characters (U+0000)", field="note")
    async with db.write_lock, db.sessions.begin() as session:
        lead_id = await _meeting_lead(session, task_id, outcome) if meeting_booked else None
        if lead_id is not None:
            # All the lead's rows first, in lock order: the stage change below ends its steps.
            await lock_lead_rows(session, lead_ids={lead_id})
            note = "meeting booked" + (f": {note}" if note else "")
        await finish_task(session, task_id, outcome=outcome, note=note, now=now)
        if lead_id is not None:
            await set_stage(session, lead_id, "meeting_booked", now=now)
    return await task_view(db, task_id)


async def _meeting_lead(session: AsyncSession, task_id: int, outcome: TaskOutcome) -> int:
    """Return the lead a call task books a meeting with; refuse any other task or a skip."""
    task = await get_task(session, task_id)
    if task is None:
        raise LookupError(f"there is no task {task_id}")
    if task.kind != "call" or outcome != "done":
        what = f"a {task.kind.replace('_', ' ')} task" if task.kind != "call" else "a skipped call"
        raise FinishRefused(
            f"a meeting is booked by marking a call done, not by {what} (task {task_id})",
            field="meeting_booked",
        )
    return task.lead_id


async def open_tasks(
    settings: Settings,
    *,
    status: str | None = "open",
    campaign: str | None = None,
    due_before: dt.datetime | None = None,
    limit: int = 500,
) -> tuple[list[TaskView], int]:
    """Open the configured database and return a page of its tasks (see task_page)."""
    async with await Database.connect(settings.database) as db:
        campaign_id = await campaign_id_of(db, campaign) if campaign is not None else None
        return await task_page(
            db, status=status, campaign_id=campaign_id, due_before=due_before, limit=limit
        )


async def show_task(settings: Settings, task_id: int) -> TaskView:
    """Open the configured database and return one task (see task_view)."""
    async with await Database.connect(settings.database) as db:
        return await task_view(db, task_id)


async def finish_in(
    settings: Settings,
    task_id: int,
    *,
    outcome: TaskOutcome,
    note: str | None,
    meeting_booked: bool = False,
    now: dt.datetime,
) -> TaskView:
    """Open the configured database and finish one task (see finish)."""
    async with await Database.connect(settings.database) as db:
        return await finish(
            db, task_id, outcome=outcome, note=note, meeting_booked=meeting_booked, now=now
        )
