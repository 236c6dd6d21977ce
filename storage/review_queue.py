"""The review queue in the database: pending messages, claiming one, and storing the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    CampaignRow,
    EventRow,
    LeadRow,
    MessageRow,
    RunRow,
)
from storage.outcomes import STATUS_OF_DECISION, count_send, generation_of
from storage.runs import RUN_TALLIES


class ReviewConflict(Exception):
    """The message cannot be reviewed as asked (gone, already handled, or changed meanwhile)."""


@dataclass(frozen=True)
class PendingRow:
    """One queued message with what a reviewer scans in a list."""

    message: MessageRow
    lead: LeadRow
    campaign: str


async def pending_messages(
    session: AsyncSession, *, campaign: str | None = None, limit: int = 200
) -> list[PendingRow]:
    """Return queued messages, oldest first."""
    query = (
        select(MessageRow, LeadRow, CampaignRow.name)
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .join(CampaignRow, CampaignRow.id == MessageRow.campaign_id)
        .where(MessageRow.status == "queued")
        .order_by(MessageRow.id)
        .limit(limit)
    )
    if campaign is not None:
        query = query.where(CampaignRow.name == campaign)
    rows = await session.execute(query)
    return [PendingRow(message, lead, name) for message, lead, name in rows]


async def count_pending(session: AsyncSession, *, campaign: str | None = None) -> int:
    """Return how many messages wait for review (of one campaign, by name, if given)."""
    query = select(func.count()).select_from(MessageRow).where(MessageRow.status == "queued")
    if campaign is not None:
        query = query.join(CampaignRow, CampaignRow.id == MessageRow.campaign_id).where(
            CampaignRow.name == campaign
        )
    return int(await session.scalar(query) or 0)


async def claim_for_review(
    session: AsyncSession,
    *,
    message_id: int,
    expected_version: int | None,
    status: str = "queued",
) -> MessageRow:
    """Mark a queued message as being reviewed, refusing a stale or already handled one.

    The conditional UPDATE is the optimistic lock: of two reviewers acting on the same
    version, exactly one matches a row.
    """
    condition = [MessageRow.id == message_id, MessageRow.status == status]
    if expected_version is not None:
        condition.append(MessageRow.version == expected_version)
    result = await session.execute(
        update(MessageRow)
        .where(*condition)
        .values(status="reviewing", version=MessageRow.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        message = await session.get(MessageRow, message_id, populate_existing=True)
        assert message is not None
        return message
    current = await session.get(MessageRow, message_id)
    if current is None:
        raise ReviewConflict(f"there is no message {message_id}")
    if current.status != status:
        raise ReviewConflict(
            f"message {message_id} is {current.status}, not waiting for review "
            f"(version {current.version}); nothing was changed"
        )
    raise ReviewConflict(
        f"message {message_id} changed since you loaded it (you had version "
        f"{expected_version}, it is now {current.version}); reload it and decide again"
    )


async def release(session: AsyncSession, *, message_id: int) -> None:
    """Put a message back in the queue after a review action failed half-way."""
    await session.execute(
        update(MessageRow)
        .where(MessageRow.id == message_id, MessageRow.status == "reviewing")
        .values(status="queued")
    )


async def apply_review_outcome(
    session: AsyncSession,
    *,
    message: MessageRow,
    record: dict[str, Any],
    reviews: list[dict[str, Any]],
    action: str,
    reviewer: str,
) -> MessageRow:
    """Store what the resumed graph produced, and append the review (and send) events."""
    message = await session.merge(message)
    campaign = await session.get(CampaignRow, message.campaign_id)
    lead = await session.get(LeadRow, message.lead_id)
    assert campaign is not None and lead is not None
    status = STATUS_OF_DECISION[record["decision"]]
    previous = "queued" if message.status == "reviewing" else message.status
    usage = record.get("usage") or {}
    cost = usage.get("cost_usd", message.cost_usd)
    campaign.total_cost_usd += cost - message.cost_usd
    message.status = status
    message.reason = record["reason"]
    message.variants = record.get("variants", [])
    message.selected_variant = record.get("selected_variant")
    message.quality_score = (record.get("quality") or {}).get("score")
    message.reviews = reviews
    message.input_tokens = usage.get("input_tokens", message.input_tokens)
    message.output_tokens = usage.get("output_tokens", message.output_tokens)
    message.cost_usd = cost
    message.generation = {**message.generation, **generation_of(record)}
    run = await session.get(RunRow, message.run_id)
    if run is not None and status != previous:
        # The run's tallies follow the message: a queued lead that a reviewer sent or rejected.
        for field, change in ((previous, -1), (status, 1)):
            if field in RUN_TALLIES:
                setattr(run, field, getattr(run, field) + change)
    message.version += 1
    lead.status = status
    last = reviews[-1] if reviews else {}
    session.add(
        EventRow(
            type=f"review.{action}",
            campaign_id=campaign.id,
            message_id=message.id,
            payload={
                "reviewer": reviewer,
                "outcome": last.get("outcome"),
                "status": status,
                "version": message.version,
            },
        )
    )
    delivery = record.get("delivery") or {}
    if status == "sent" and message.sent_at is None and not delivery.get("duplicate"):
        message.sent_at = dt.datetime.now(dt.UTC)
        message.provider_message_id = delivery.get("message_id")
        message.idempotency_key = delivery.get("idempotency_key")
        await count_send(session, message, record["selected_variant"])
        session.add(
            EventRow(
                type="sent",
                campaign_id=campaign.id,
                message_id=message.id,
                payload={"provider": delivery.get("provider"), "tone": delivery.get("tone")},
            )
        )
    return message
