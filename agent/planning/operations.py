"""Segment and prioritize leads for a campaign: what `outreach segment`, `outreach prioritize`
and the API's segment and prioritize endpoints share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from agent.campaigns.spec import CampaignSpec
from agent.planning.priority import Priority, ReplyChance, Scorer, rank
from agent.planning.prospects import Prospect
from agent.planning.scoring_weights import ScoringWeights, read_scoring
from agent.planning.segment_config import Angle, SegmentProblem, SegmentSetup, read_segments
from agent.planning.segmentation import SegmentSplit, place, split_leads


@dataclass
class CampaignPlanning:
    """A campaign's segments and scoring, read once, with everything wrong with them."""

    setup: SegmentSetup
    scoring: ScoringWeights

    @property
    def problems(self) -> list[SegmentProblem]:
        """Return the segments' problems, then the scoring section's (as warnings)."""
        return [
            *self.setup.problems,
            *(SegmentProblem("warning", text, field="scoring") for text in self.scoring.problems),
        ]


def campaign_planning(spec: CampaignSpec) -> CampaignPlanning:
    """Read a campaign's segments and scoring section."""
    return CampaignPlanning(
        read_segments(spec.segments, spec.segment_split), read_scoring(spec.scoring)
    )


@dataclass
class SegmentReport:
    """The split of some leads over a campaign's segments."""

    planning: CampaignPlanning
    prospects: Sequence[Prospect]
    split: SegmentSplit

    def lead_lines(self) -> list[dict[str, Any]]:
        """Return one JSON-ready line per lead: who, which segment, which rule and what matched."""
        return [
            {
                "email": p.email,
                "name": p.name,
                "company": p.company,
                "row": p.row,
                "lead_id": p.lead_id,
                **placement.as_dict(),
            }
            for p, placement in zip(self.prospects, self.split.placements, strict=True)
        ]


def segment(spec: CampaignSpec, prospects: Sequence[Prospect]) -> SegmentReport:
    """Place every prospect in one segment (or unsegmented) and count the split."""
    planning = campaign_planning(spec)
    return SegmentReport(planning, prospects, split_leads(prospects, planning.setup))


@dataclass
class PriorityReport:
    """Leads ranked by priority, best first, and how many were scored."""

    planning: CampaignPlanning
    ranked: list[Priority]
    scored: int


def prioritize(
    spec: CampaignSpec,
    prospects: Sequence[Prospect],
    *,
    today: date,
    top: int | None = None,
    reply_chance: ReplyChance | None = None,
) -> PriorityReport:
    """Place and score every prospect; return the best `top` (all when None)."""
    planning = campaign_planning(spec)
    scorer = Scorer(
        target=spec.target(),
        target_audience=spec.target_audience,
        channel=spec.channel,
        weights=planning.scoring,
        today=today,
        reply_chance=reply_chance,
    )
    segments = planning.setup.segments
    angles = {s.name: s.angle for s in segments}
    no_angle = Angle()
    priorities = []
    for prospect in prospects:
        placement = place(prospect, segments)
        priorities.append(
            scorer.priority(prospect, placement, angles.get(placement.segment, no_angle))
        )
    return PriorityReport(planning, rank(priorities, top), len(priorities))
