"""Runs as the console lists them, and each lead's decision in one run."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.leads import lead_rows
from storage.messages import list_messages
from storage.models import CampaignRow, RunRow

RECENT_RUNS = 50
MAX_LEADS_SHOWN = 1000


@dataclass(frozen=True)
class RunLine:
    """One run with its campaign's name."""

    run: RunRow
    campaign: str


async def recent_runs(session: AsyncSession) -> list[RunLine]:
    """Return the newest runs, with the names of their campaigns."""
    rows = (
        await session.execute(
            select(RunRow, CampaignRow.name)
            .join(CampaignRow, CampaignRow.id == RunRow.campaign_id)
            .order_by(RunRow.started_at.desc(), RunRow.id)
            .limit(RECENT_RUNS)
        )
    ).all()
    return [RunLine(run, name) for run, name in rows]


@dataclass(frozen=True)
class LeadDecision:
    """What a run decided for one lead: its message's status, the reason and the score."""

    message_id: int
    lead: str
    company: str
    status: str
    reason: str
    quality: float | None


async def run_decisions(session: AsyncSession, run_id: str) -> list[LeadDecision]:
    """Return the run's messages so far, oldest first, with their leads' names."""
    messages, _ = await list_messages(session, run_id=run_id, limit=MAX_LEADS_SHOWN)
    leads = {row.id: row for row in await lead_rows(session, ids=[m.lead_id for m in messages])}
    decisions = []
    for message in messages:
        lead = leads.get(message.lead_id)
        decisions.append(
            LeadDecision(
                message_id=message.id,
                lead=lead.name if lead else f"lead {message.lead_id} (erased)",
                company=(lead.company or "") if lead else "",
                status=message.status,
                reason=message.reason or "",
                quality=message.quality_score,
            )
        )
    return decisions
