"""A slot the lead accepted becomes a meeting: an ICS invite, the lead marked meeting_booked,
and the reply task done.

The invite (METHOD:REQUEST, from the campaign's sender to the lead) is returned and saved under
the data directory (`invites/`), for the person to send from their own mail client or calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from agent.replies.answer_task import sender_of
from agent.sequences.tasks import TaskView, task_view
from agent.settings import Settings
from storage.database import Database
from storage.models import CampaignRow, LeadRow
from storage.sequence_models import TaskRow
from storage.stage_changes import set_stage
from storage.tasks import TaskNotOpen, finish_task
from tools.calendar import Slot, meeting_invite


class NotBookable(ValueError):
    """The task is not a reply task with that slot, or the lead or sender lacks an address."""


@dataclass(frozen=True)
class Booked:
    """What booking did."""

    task: TaskView
    lead_stage: str
    invite: bytes
    invite_file: Path


def _slot(task: TaskRow, number: int, now: dt.datetime) -> Slot:
    if task.kind != "reply":
        raise NotBookable(f"task {task.id} is a {task.kind} task, not a reply with slots")
    slots = (task.script or {}).get("slots") or []
    if not isinstance(slots, list) or not 1 <= number <= len(slots):
        offered = f"slots 1-{len(slots)}" if slots else "no slots (a booking link, or none)"
        raise NotBookable(f"task {task.id} offered {offered}, not slot {number}")
    chosen = slots[number - 1]
    try:
        slot = Slot(
            start=dt.datetime.fromisoformat(chosen["start"]),
            end=dt.datetime.fromisoformat(chosen["end"]),
        )
    except (KeyError, TypeError, ValueError):
        raise NotBookable(f"task {task.id}'s slot {number} cannot be read") from None
    if slot.start <= now:
        raise NotBookable(f"slot {number} of task {task.id} has passed: propose new times")
    return slot


async def book_slot(
    db: Database, settings: Settings, task_id: int, number: int, *, now: dt.datetime
) -> Booked:
    """Book slot `number` of a reply task (LookupError: no task; TaskNotOpen: finished
    already; NotBookable: no such slot or no addresses; StageConflict: the lead opted out)."""
    async with db.write_lock, db.sessions.begin() as session:
        task = await session.get(TaskRow, task_id)
        if task is None:
            raise LookupError(f"there is no task {task_id}")
        if task.status != "open":
            raise TaskNotOpen(task_id, task.status)
        slot = _slot(task, number, now)
        lead = await session.get(LeadRow, task.lead_id)
        campaign = await session.get(CampaignRow, task.campaign_id)
        assert lead is not None and campaign is not None
        sender = sender_of(campaign, settings)
        if not lead.email or not sender.email:
            who = "the lead" if not lead.email else "the campaign's sender"
            raise NotBookable(f"{who} has no email address for the invite")
        try:
            invite = meeting_invite(
                slot,
                organizer_name=sender.name,
                organizer_email=sender.email,
                attendee_name=lead.name,
                attendee_email=lead.email,
                summary=f"{sender.company} / {lead.company}",
                description=f"{sender.name} and {lead.name}, as agreed by email.",
                uid_seed=f"task-{task_id}",
                stamp=now,
            )
        except ValueError as exc:  # an address the invite cannot carry
            raise NotBookable(f"no invite can be made: {exc}") from None
        await set_stage(session, lead.id, "meeting_booked", now=now)
        label = str(slot.label(zone_of(task)))
        await finish_task(session, task_id, outcome="done", note=f"booked {label}", now=now)
        # Written before the commit: a file that cannot be written leaves nothing booked.
        path = _save(settings.data_dir / "invites", task_id, invite)
    return Booked(await task_view(db, task_id), "meeting_booked", invite, path)


def zone_of(task: TaskRow) -> str:
    """The recipient's timezone the task's slots were labelled in."""
    return str((task.script or {}).get("recipient_timezone") or "UTC")


def _save(folder: Path, task_id: int, invite: bytes) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"task-{task_id}.ics"
        path.write_bytes(invite)
    except OSError as exc:
        raise NotBookable(f"the invite could not be saved in {folder}: {exc.strerror}") from None
    return path
