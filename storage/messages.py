"""Message rows as the API lists them: filtered by campaign and status, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MessageRow, RunRow


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
