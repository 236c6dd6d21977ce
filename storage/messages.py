"""Message rows: as the API lists them, as a run streams them, as sending and webhooks find them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CampaignRow, LeadRow, MessageRow, RunRow
from storage.sequence_models import SequenceStepRow


async def list_messages(
    session: AsyncSession,
    *,
    campaign_id: int | None = None,
    statuses: Sequence[str] = (),
    run_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[MessageRow], int]:
    """Return a page of messages (oldest first) and how many match in all."""
    conditions = []
    if campaign_id is not None:
        conditions.append(MessageRow.campaign_id == campaign_id)
    if statuses:
        conditions.append(MessageRow.status.in_(statuses))
    if run_id is not None:
        conditions.append(MessageRow.run_id == run_id)
    total = await session.scalar(select(func.count(MessageRow.id)).where(*conditions)) or 0
    rows = await session.scalars(
        select(MessageRow).where(*conditions).order_by(MessageRow.id).limit(limit).offset(offset)
    )
    return list(rows), total


FIRST_STEP = 0
"""The sequence step of a campaign's first message (follow-ups, when they come, are 1, 2, ...)."""
REWRITABLE = ("queued", "rejected")
"""Statuses whose drafts a re-run may replace: waiting for a person, or not to be sent."""


def is_rewritable(message: MessageRow) -> bool:
    """Tell whether a re-run may replace this message's drafts: nobody approved, sent or is
    reviewing it (a queued or rejected message that never went out)."""
    return message.status in REWRITABLE and message.sent_at is None


async def current_messages(
    session: AsyncSession,
    *,
    campaign_id: int,
    lead_ids: Sequence[int],
    step: int = FIRST_STEP,
) -> dict[int, MessageRow]:
    """Return each lead's current message in the campaign at this step, by lead id."""
    found: dict[int, MessageRow] = {}
    ids = list(dict.fromkeys(lead_ids))
    for start in range(0, len(ids), 1000):
        rows = await session.scalars(
            select(MessageRow).where(
                MessageRow.campaign_id == campaign_id,
                MessageRow.lead_id.in_(ids[start : start + 1000]),
                MessageRow.sequence_step == step,
                MessageRow.superseded_by.is_(None),
            )
        )
        found.update({row.lead_id: row for row in rows})
    return found


async def current_message(
    session: AsyncSession, *, campaign_id: int, lead_id: int, step: int = FIRST_STEP
) -> MessageRow | None:
    """Return the lead's current message in the campaign at this step, if it has one."""
    found = await current_messages(session, campaign_id=campaign_id, lead_ids=[lead_id], step=step)
    return found.get(lead_id)


UNFINISHED_RUNS = ("running", "interrupted")


@dataclass(frozen=True)
class TakenLead:
    """A lead a new run must not write to: its message is settled, or a run is writing it."""

    lead_id: int
    message_id: int | None = None
    """Its current message, which a re-run may not replace (approved, sent, reviewing...)."""
    status: str | None = None
    """That message's status."""
    run_id: str | None = None
    """An unfinished run of the campaign that has this lead and has not stored it yet."""


async def taken_leads(
    session: AsyncSession,
    *,
    campaign_id: int,
    lead_ids: Sequence[int],
    step: int = FIRST_STEP,
) -> list[TakenLead]:
    """Return the leads (in the order given) a new run of the campaign may not write to."""
    current = await current_messages(session, campaign_id=campaign_id, lead_ids=lead_ids, step=step)
    wanted = set(lead_ids)
    writing: dict[int, str] = {}
    runs = await session.scalars(
        select(RunRow)
        .where(RunRow.campaign_id == campaign_id, RunRow.status.in_(UNFINISHED_RUNS))
        .order_by(RunRow.started_at, RunRow.id)
    )
    for run in runs:
        for lead_id in (run.options or {}).get("lead_ids") or []:
            if lead_id not in wanted or lead_id in writing:
                continue
            stored = current.get(lead_id)
            if stored is None or stored.run_id != run.id:
                writing[lead_id] = run.id
    taken: list[TakenLead] = []
    for lead_id in dict.fromkeys(lead_ids):
        message = current.get(lead_id)
        if lead_id in writing:
            taken.append(TakenLead(lead_id, run_id=writing[lead_id]))
        elif message is not None and not is_rewritable(message):
            taken.append(TakenLead(lead_id, message_id=message.id, status=message.status))
    return taken


async def run_messages_after(session: AsyncSession, *, run_id: str, after: int) -> list[MessageRow]:
    """Return the run's messages with ids above `after`, oldest first."""
    return list(
        await session.scalars(
            select(MessageRow)
            .where(MessageRow.run_id == run_id, MessageRow.id > after)
            .order_by(MessageRow.id)
        )
    )


DUE_STATUSES = ("approved", "scheduled")
"""Statuses of messages waiting to be sent (scheduled ones once their time has come)."""


async def due_message_ids(
    session: AsyncSession, *, now: dt.datetime, limit: int, campaign_id: int | None = None
) -> list[int]:
    """Return the ids of active campaigns' messages due by now (of one campaign if given)."""
    query = (
        select(MessageRow.id)
        .join(CampaignRow, CampaignRow.id == MessageRow.campaign_id)
        .where(
            CampaignRow.status == "active",
            MessageRow.status.in_(DUE_STATUSES),
            or_(MessageRow.scheduled_for.is_(None), MessageRow.scheduled_for <= now),
            or_(MessageRow.sending_until.is_(None), MessageRow.sending_until <= now),
            ~exists().where(  # an SMS or LinkedIn step's message is not emailed
                SequenceStepRow.message_id == MessageRow.id, SequenceStepRow.channel != "email"
            ),
        )
        .order_by(MessageRow.id)
        .limit(limit)
    )
    if campaign_id is not None:
        query = query.where(MessageRow.campaign_id == campaign_id)
    return list(await session.scalars(query))


async def sent_since(session: AsyncSession, *, mailbox: str, since: dt.datetime) -> int | None:
    """Return how many messages the mailbox has sent since the given moment."""
    return await session.scalar(
        select(func.count(MessageRow.id)).where(
            MessageRow.mailbox == mailbox,
            MessageRow.sent_at.is_not(None),
            MessageRow.sent_at >= since,
        )
    )


async def last_send_from(session: AsyncSession, *, mailbox: str) -> dt.datetime | None:
    """Return when the mailbox last sent a message."""
    return await session.scalar(
        select(func.max(MessageRow.sent_at)).where(
            MessageRow.mailbox == mailbox, MessageRow.sent_at.is_not(None)
        )
    )


async def last_send_to_domain(session: AsyncSession, *, domain: str) -> dt.datetime | None:
    """Return when a message was last sent to an address at this domain."""
    return await session.scalar(
        select(func.max(MessageRow.sent_at)).where(
            MessageRow.recipient_domain == domain, MessageRow.sent_at.is_not(None)
        )
    )


async def messages_by_ids(
    session: AsyncSession, *, ids: Sequence[int], provider_ids: Sequence[str]
) -> list[MessageRow]:
    """Return, in id order, the messages with these row or provider message ids (not locked:
    recording events about them locks them, in storage/lock_order.py's order)."""
    return list(
        await session.scalars(
            select(MessageRow)
            .where(
                or_(
                    MessageRow.id.in_(ids),
                    MessageRow.provider_message_id.in_(provider_ids),
                )
            )
            .order_by(MessageRow.id)
        )
    )


async def messages_by_header_ids(
    session: AsyncSession, *, header_ids: Sequence[str]
) -> list[MessageRow]:
    """Return the messages sent with these Message-ID headers."""
    return list(
        await session.scalars(select(MessageRow).where(MessageRow.email_message_id.in_(header_ids)))
    )


async def thread_header_ids(
    session: AsyncSession, *, campaign_id: int, lead_id: int, before_step: int
) -> list[str]:
    """Return the Message-IDs of the lead's earlier emails in the campaign, oldest first."""
    rows = await session.scalars(
        select(MessageRow.email_message_id)
        .where(
            MessageRow.campaign_id == campaign_id,
            MessageRow.lead_id == lead_id,
            MessageRow.sequence_step < before_step,
            MessageRow.superseded_by.is_(None),
            MessageRow.email_message_id.is_not(None),
        )
        .order_by(MessageRow.sequence_step)
    )
    return [row for row in rows if row]


async def recipient_of(session: AsyncSession, message_id: int) -> str | None:
    """Return the email address of the lead a message is for (None without one)."""
    return await session.scalar(
        select(LeadRow.email)
        .join(MessageRow, MessageRow.lead_id == LeadRow.id)
        .where(MessageRow.id == message_id)
    )
