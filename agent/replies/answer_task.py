"""A hot reply becomes a task for a person: a grounded draft answer to review, edit and send.

Interested replies, meeting requests and questions get one task each (kind `reply`), due at
once. A meeting request or an interested reply carries the sender's booking link, or two or
three free slots from the availability file inside the sender's working hours, labelled in the
recipient's timezone; `outreach tasks book TASK SLOT` (or POST /tasks/{id}/book) turns an
accepted slot into an ICS invite. Nothing here sends anything.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.stored import spec_of
from agent.replies.answer_draft import AnswerDraft, draft_answer
from agent.sequences.business_days import is_business_day
from agent.sequences.enrollment import lead_place
from agent.sequences.thread import fact_of
from agent.settings import Settings
from graphs.lead import SenderProfile
from storage.leads import lead_facts
from storage.models import CampaignRow, LeadRow, MessageRow
from storage.tasks import create_task
from tools.calendar import Slot, propose_slots, read_busy
from tools.facts import utc_now
from tools.replies import Intent, ReplyVerdict

log = logging.getLogger("outreach.replies")

SCHEDULING = (Intent.MEETING_REQUEST, Intent.INTERESTED)
"""Intents whose answer proposes a meeting."""


def sender_of(campaign: CampaignRow, settings: Settings) -> SenderProfile:
    """The campaign's sender (the default sender when the campaign names none), with the
    mailbox the dispatcher sends from (OUTREACH_SENDER_EMAIL) when the campaign has none."""
    try:
        sender = spec_of(campaign).sender or SenderProfile()
    except (LookupError, ValueError):
        sender = SenderProfile()
    if not sender.email and settings.sender_email:
        sender = sender.model_copy(update={"email": settings.sender_email})
    return sender


def free_slots(
    settings: Settings, *, recipient_tz: str, now: dt.datetime
) -> tuple[list[Slot] | None, str | None]:
    """Slots from the availability file (None without one), and why there are none if the
    file could not be read."""
    if settings.availability_file is None:
        return None, None
    sender_tz = settings.sender_timezone or settings.default_timezone
    country = settings.default_country
    try:
        busy = read_busy(settings.availability_file, sender_tz=sender_tz, now=now)
        return propose_slots(
            busy,
            now=now,
            sender_tz=sender_tz,
            working_hours=settings.working_hours,
            is_workday=lambda day: is_business_day(day, country),
            minutes=settings.meeting_minutes,
            recipient_tz=recipient_tz,
        ), None
    except ValueError as exc:  # a bad file, timezone or working hours: said on the task
        log.warning("availability: %s", exc)
        return None, f"the availability file could not be used: {exc}"


async def draft_answer_task(
    session: AsyncSession,
    message: MessageRow,
    verdict: ReplyVerdict,
    *,
    settings: Settings,
    now: dt.datetime,
) -> str:
    """Create the task with the draft answer; return the sentence for the lead's timeline."""
    lead = await session.get(LeadRow, message.lead_id)
    campaign = await session.get(CampaignRow, message.campaign_id)
    assert lead is not None and campaign is not None
    sender = sender_of(campaign, settings)
    zone, _ = lead_place(lead, settings)
    slots: list[Slot] | None = None
    problem = None
    if verdict.intent in SCHEDULING and not sender.booking_url:
        # From the later of the reply's time and this moment: a late reply gets future slots.
        # Reading a calendar is CPU work on an untrusted file: a worker thread.
        later = max(now, utc_now())
        slots, problem = await asyncio.to_thread(free_slots, settings, recipient_tz=zone, now=later)
    facts = [fact_of(row) for row in await lead_facts(session, lead_id=lead.id)]
    draft = draft_answer(
        verdict,
        lead_name=lead.name,
        lead_first_name=lead.name.split()[0] if lead.name.split() else "",
        sender=sender,
        # Unsure verdicts carry our own diagnostics as evidence, never words to quote back.
        reply_evidence="" if verdict.needs_person else verdict.evidence,
        facts=facts,
        slots=slots,
        booking_url=sender.booking_url,
        recipient_tz=zone,
    )
    task = await create_task(
        session,
        campaign_id=campaign.id,
        lead_id=lead.id,
        step_id=None,
        kind="reply",
        title=f"Answer {lead.name} ({str(verdict.intent).replace('_', ' ')})",
        body=draft.body,
        script=_script(verdict, draft, slots or [], zone, problem),
        link=sender.booking_url,
        due_at=now,
    )
    return f"a draft answer waits for a person: task {task.id}"


def _script(
    verdict: ReplyVerdict, draft: AnswerDraft, slots: list[Slot], zone: str, problem: str | None
) -> dict[str, Any]:
    return {
        "intent": str(verdict.intent),
        "evidence": verdict.evidence,
        "slots": [
            {"start": s.start.isoformat(), "end": s.end.isoformat(), "label": s.label(zone)}
            for s in slots
        ],
        "recipient_timezone": zone,
        "needs": [*draft.needs, *([problem] if problem else [])],
        "fact_ids": draft.fact_ids,
    }
