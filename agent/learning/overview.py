"""What a campaign has learned, as `outreach learning show` and the API show it, and its reset.

The overview lists the examples (edited messages), the phrasings avoided and preferred, and
each segment's posterior per hook kind and tone with its data and prior, so an operator sees
what shapes the next drafts and priorities before deciding to reset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.learning.campaign_learning import StoredLearning, campaign_learning
from agent.planning.earlier_outreach import StoredOutreachHistory
from agent.planning.lead_placement import StoredSegmenter
from agent.runs.pipeline_factory import Pipeline
from graphs.hook_choice import posterior
from graphs.learned import Learning
from storage.database import Database
from storage.learning import ResetMarker, reset_learning, undo_reset
from storage.models import CampaignRow


def with_learning(pipeline: Pipeline, db: Database) -> Pipeline:
    """Return the pipeline writing with its campaigns' learning, segments (each lead's angle)
    and sent messages (an earlier outreach to a colleague) from this database."""
    context = replace(
        pipeline.context,
        learning=StoredLearning(db.sessions),
        segmenter=StoredSegmenter(db.sessions),
        outreach_history=StoredOutreachHistory(db.sessions),
    )
    return replace(pipeline, context=context)


def learning_view(campaign: CampaignRow, learning: Learning) -> dict[str, Any]:
    """Return a campaign's learning as JSON shows it."""
    segments: dict[str, list[dict[str, Any]]] = {}
    for row in learning.odds:
        belief = posterior([row], learning.prior, segment=row.segment)
        segments.setdefault(row.segment, []).append(
            {
                "hook_kind": row.hook_kind,
                "tone": row.tone,
                "sent": row.sent,
                "positive": row.positive,
                "mean": round(belief.mean, 4),
                "text": belief.text(),
            }
        )
    return {
        "campaign_id": campaign.id,
        "campaign": campaign.name,
        "since": learning.since,
        "prior": {"alpha": learning.prior[0], "beta": learning.prior[1]},
        "examples": [
            {"message_id": e.message_id, "tone": e.tone, "segment": e.segment}
            for e in learning.examples
        ],
        "avoid": learning.style.avoid,
        "prefer": learning.style.prefer,
        "segments": {
            name: {
                "posterior": posterior(learning.odds, learning.prior, segment=name).text(),
                "angles": rows,
            }
            for name, rows in sorted(segments.items())
        },
    }


async def show_learning(session: AsyncSession, campaign: CampaignRow) -> dict[str, Any]:
    """Return what the campaign has learned since its last reset."""
    return learning_view(campaign, await campaign_learning(session, campaign))


async def reset_campaign_learning(
    session: AsyncSession, campaign: CampaignRow, *, now: dt.datetime | None = None
) -> ResetMarker:
    """Reset the campaign's learning: its edits and outcomes so far stop shaping it."""
    return await reset_learning(session, campaign=campaign, at=now or dt.datetime.now(dt.UTC))


async def undo_campaign_reset(session: AsyncSession, campaign: CampaignRow) -> bool:
    """Undo the last reset: everything learned before it counts again."""
    return await undo_reset(session, campaign=campaign)
