"""The runs' segmenter: a lead placed in its campaign's segments once research has found its
facts, with the same rules the plan uses (segmentation.place), for the writer's angle."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.campaign_reads import CampaignReads
from agent.planning.prospects import prospect_of
from agent.planning.segment_config import Segment, read_segments
from agent.planning.segmentation import place
from agent.planning.signals import FactRecord
from graphs.lead import Lead
from graphs.segment_angle import SegmentPlacement
from storage.models import CampaignRow
from tools.facts import Fact


def fact_record(fact: Fact) -> FactRecord:
    """Return a researched fact as planning reads it."""
    return FactRecord(
        kind=str(fact.kind),
        text=fact.text,
        title=fact.title,
        published=fact.published,
        found=fact.retrieved_at.date(),
        attributes=fact.attributes,
        fact_id=fact.id,
    )


def placement_of(
    segments: Sequence[Segment], lead: Lead, facts: Sequence[Fact], today: date
) -> SegmentPlacement:
    """Return where the lead goes among these segments, why, and its segment's angle."""
    prospect = prospect_of(lead, [fact_record(f) for f in facts], today=today)
    placed = place(prospect, segments)
    angle = next((s.angle for s in segments if s.name == placed.segment), None)
    return {
        "segment": placed.segment,
        "rule": placed.rule,
        "matched": placed.reason,
        "angle": {
            "tone": angle.tone if angle else None,
            "emphasis": angle.emphasis if angle else None,
            "sequence": angle.sequence if angle else None,
        },
    }


@dataclass
class StoredSegmenter:
    """Place leads with their campaign's stored segments, read once for the leads of a batch
    (and again once a couple of minutes old: agent/campaigns/campaign_reads.py)."""

    sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]]
    _reads: CampaignReads[list[Segment]] = field(init=False)

    def __post_init__(self) -> None:
        self._reads = CampaignReads(self._read)

    async def _read(self, campaign: str) -> list[Segment]:
        async with self.sessions() as session:
            query = select(CampaignRow.settings).where(CampaignRow.name == campaign)
            settings = await session.scalar(query) or {}
        # Segments that cannot be read are left out, as the plan leaves them out.
        return read_segments(
            settings.get("segments") or None, settings.get("segment_split") or "partial"
        ).segments

    async def place(
        self, campaign: str, lead: Lead, facts: Sequence[Fact], today: date
    ) -> SegmentPlacement | None:
        """Return the lead's placement, or None when the campaign defines no segments."""
        segments = await self._reads.get(campaign)
        return placement_of(segments, lead, facts, today) if segments else None
