"""What the agent does about a classified reply, beyond recording it.

- out of office with a return date: the lead's next step (and any written, unsent message)
  waits until the window opens on the first business day after the day they are back, in the
  lead's timezone and country; without a date the sequence goes on as planned;
- a referral ("talk to Priya instead"): a new lead for the named person at the referrer's
  company, with the referral as a fact ("Ana Ruiz suggested I reach out"), enrolled in the
  campaign's sequence, whose first step researches it; the same person is never created twice;
- interested, a meeting request or a question: the lead is marked `interested` (the reply
  event already stopped its sequence), for a person to answer.

Each action returns the sentence that goes on the reply event, so the lead's timeline says
what was done and why. Nothing here sends anything.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agent.delivery.send_schedule import timezone_named
from agent.sequences.business_days import add_business_days, next_open_moment
from agent.sequences.enrollment import enroll_leads, lead_place
from agent.sequences.thread import sequence_of
from agent.settings import Settings
from storage.engagement import FURTHER_THAN_A_REPLY
from storage.leads import lock_person, normalize_email
from storage.lock_order import lock_lead_rows
from storage.models import CampaignRow, FactRow, LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.suppressions import suppression_reason
from tools.facts import FactKind, make_fact
from tools.replies import Intent, ReplyVerdict

REPLY_TOOL = "reply"
"""The tool a fact learnt from a reply is credited to."""
WAITING_MESSAGES = ("approved", "scheduled")
"""Written messages that have not gone out: an out-of-office holds them too."""


async def act_on_reply(
    session: AsyncSession,
    message: MessageRow,
    verdict: ReplyVerdict,
    *,
    settings: Settings,
    now: dt.datetime,
) -> list[str]:
    """Carry out what the reply asks for; return what was done, a sentence each."""
    if verdict.intent is Intent.OUT_OF_OFFICE:
        done = await _wait_for_return(session, message, verdict, settings)
        if verdict.referral is not None and verdict.referral.name:
            done.append(
                f"the out-of-office names {verdict.referral.name} as cover: offered as a "
                "referral for a person to accept (not contacted automatically)"
            )
        return done
    if verdict.intent is Intent.REFERRAL:
        return await _follow_referral(session, message, verdict, settings=settings, now=now)
    return []


async def mark_interested(session: AsyncSession, message: MessageRow, verdict: ReplyVerdict) -> str:
    """After the reply is recorded (it sets `replied`): mark the lead interested."""
    lead = await session.get(LeadRow, message.lead_id)
    if lead is None or lead.status in ("unsubscribed", "complained", "bounced"):
        return "the lead can no longer be contacted"
    if lead.status in FURTHER_THAN_A_REPLY and lead.status != "interested":
        return f"the lead stays {lead.status.replace('_', ' ')}: a person answers"
    lead.status = "interested"
    return f"the lead is marked interested ({verdict.intent}): a person should answer"


async def _wait_for_return(
    session: AsyncSession, message: MessageRow, verdict: ReplyVerdict, settings: Settings
) -> list[str]:
    back = verdict.return_date
    if back is None:
        return ["no return date found: the sequence goes on as planned"]
    await lock_lead_rows(
        session,
        campaign_ids={message.campaign_id},
        lead_ids={message.lead_id},
        message_ids={message.id},
    )
    lead = await session.get(LeadRow, message.lead_id)
    assert lead is not None
    zone, country = lead_place(lead, settings)
    tz = timezone_named(zone, settings.default_timezone)
    day = add_business_days(back, 1, country)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    moved = 0
    steps = await session.scalars(
        select(SequenceStepRow).where(
            SequenceStepRow.lead_id == lead.id,
            SequenceStepRow.status.in_(("scheduled", "paused")),
        )
    )
    for step in steps:
        enrolled = await session.get(SequenceEnrollmentRow, step.enrollment_id)
        window = _step_window(
            await session.get(CampaignRow, step.campaign_id),
            step.step,
            enrolled.sequence_preset if enrolled is not None else None,
        )
        resume = next_open_moment(start, tz=tz, country=country, window=window)
        if _aware(step.due_at) < resume:
            step.due_at = resume
            moved += 1
    opens = start.astimezone(dt.UTC)
    held = await session.execute(
        update(MessageRow)
        .where(
            MessageRow.lead_id == lead.id,
            MessageRow.status.in_(WAITING_MESSAGES),
            MessageRow.sent_at.is_(None),
            or_(MessageRow.scheduled_for.is_(None), MessageRow.scheduled_for < opens),
        )
        .values(scheduled_for=opens)  # the status stays: every sender honours scheduled_for
        .execution_options(synchronize_session=False)
    )
    held_count = int(getattr(held, "rowcount", 0) or 0)
    what = f"{moved} step(s)" + (f" and {held_count} written message(s)" if held_count else "")
    return [f"out of office until {back.isoformat()}: {what} wait until {day.isoformat()}"]


def _step_window(
    campaign: CampaignRow | None, number: int, preset: str | None
) -> tuple[dt.time, dt.time]:
    """The step's sending window in the lead's sequence (its enrolment's `preset`, else the
    campaign's; all day when the campaign or its sequence is gone)."""
    try:
        assert campaign is not None
        return sequence_of(campaign, preset).step(number).hours
    except (AssertionError, LookupError, IndexError, ValueError):
        return dt.time(0), dt.time(23, 59)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def _follow_referral(
    session: AsyncSession,
    message: MessageRow,
    verdict: ReplyVerdict,
    *,
    settings: Settings,
    now: dt.datetime,
) -> list[str]:
    referral = verdict.referral
    if referral is None or not (referral.name or referral.email):
        return ["a referral without a name or address: left for a person"]
    referrer = await session.get(LeadRow, message.lead_id)
    campaign = await session.get(CampaignRow, message.campaign_id)
    assert referrer is not None and campaign is not None
    if referral.email:
        reason = await suppression_reason(session, referral.email)
        if reason is not None:  # erased, opted out or bounced: never created again
            return [f"the referral's address is suppressed ({reason}): not created"]
    # Two replies naming the same person at once create one lead (a transaction lock on the
    # person's key: no row lock taken out of storage/lock_order.py's order).
    await lock_person(
        session, normalize_email(referral.email) or _person_key(referral.name, referrer)
    )
    existing = await _same_person(session, referral.name, referral.email, referrer)
    if existing is not None:
        return [f"referral to {_who(existing)}: already lead {existing.id}, not created again"]
    name = referral.name or (referral.email or "").split("@", 1)[0]
    lead = LeadRow(
        name=name[:200],
        email=referral.email,
        email_normalized=normalize_email(referral.email),
        company=referrer.company,
        company_url=referrer.company_url,
        industry=referrer.industry,
        source=f"referral by lead {referrer.id} (message {message.id})"[:300],
        extra=_place_of(referrer),
    )
    session.add(lead)
    await session.flush()
    fact = make_fact(
        kind=FactKind.REFERRAL,
        text=f"{referrer.name} suggested I reach out to {lead.name}.",
        source_url=f"reply:message/{message.id}",
        tool=REPLY_TOOL,
        retrieved_at=now,
        attributes={"referrer": referrer.name},
    )
    session.add(
        FactRow(
            lead_id=lead.id,
            fact_id=fact.id,
            kind=str(fact.kind),
            text=fact.text,
            source_url=fact.source_url,
            tool=fact.tool,
            retrieved_at=fact.retrieved_at,
            attributes=dict(fact.attributes),
        )
    )
    done = [f"referral: new lead {lead.id} ({_who(lead)}), referred by {referrer.name}"]
    done.append(await _start_sequence(session, campaign, lead, settings=settings, now=now))
    return done


async def _start_sequence(
    session: AsyncSession,
    campaign: CampaignRow,
    lead: LeadRow,
    *,
    settings: Settings,
    now: dt.datetime,
) -> str:
    try:
        sequence = sequence_of(campaign)
    except LookupError:
        return "the campaign has no sequence: a person starts the referral"
    channel = sequence.step(1).channel.value
    if channel == "email" and not lead.email:
        return "no email address for the referral yet: a person adds it, then enrols the lead"
    if campaign.status != "active":  # enrolling would switch a paused campaign back on
        return f"the campaign is {campaign.status}: a person enrols the referral"
    await enroll_leads(session, campaign, [lead.id], settings=settings, now=now)
    enrollment = await session.scalar(
        select(SequenceEnrollmentRow).where(
            SequenceEnrollmentRow.campaign_id == campaign.id,
            SequenceEnrollmentRow.lead_id == lead.id,
        )
    )
    state = "enrolled" if enrollment is not None else "not enrolled"
    return f"lead {lead.id} {state} in the campaign's sequence (its first step researches it)"


async def _same_person(
    session: AsyncSession, name: str | None, email: str | None, referrer: LeadRow
) -> LeadRow | None:
    normalized = normalize_email(email)
    if normalized:
        found = await session.scalar(select(LeadRow).where(LeadRow.email_normalized == normalized))
        if found is not None:
            return found
    if not name:
        return None
    # Referral leads take the referrer's company as written; names compare case-folded in
    # Python (SQLite's lower() folds ASCII only).
    wanted = _person_key(name, referrer)
    rows = await session.scalars(select(LeadRow).where(LeadRow.company == referrer.company))
    return next((row for row in rows if _person_key(row.name, referrer) == wanted), None)


def _person_key(name: str | None, referrer: LeadRow) -> str:
    return f"{' '.join((name or '').casefold().split())}@{referrer.company.casefold()}"


def _who(lead: LeadRow) -> str:
    return f"{lead.name} <{lead.email}>" if lead.email else lead.name


def _place_of(referrer: LeadRow) -> dict[str, str]:
    """The referral works where the referrer does: same timezone and country if known."""
    extra = referrer.extra or {}
    return {key: str(extra[key]) for key in ("timezone", "country") if extra.get(key)}
