"""Place every lead in exactly one segment (the first whose rule matches) or in `unsegmented`,
with the rule that placed it, and count the split."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agent.planning.prospects import Prospect
from agent.planning.segment_config import UNSEGMENTED, Angle, Segment, SegmentSetup

NO_RULE = "no segment's rules match"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one lead went, and why."""

    segment: str
    rule: int | None
    """The rule's number within its segment (1-based); None for unsegmented."""
    reason: str
    """What matched ("title contains 'cto'; funding published 12 days ago")."""

    def as_dict(self) -> dict[str, Any]:
        """Return the placement as JSON shows it."""
        return {"segment": self.segment, "rule": self.rule, "matched": self.reason}


UNPLACED = Placement(UNSEGMENTED, None, NO_RULE)


def place(prospect: Prospect, segments: Sequence[Segment]) -> Placement:
    """Return the first segment, in order, with a rule that matches the prospect."""
    for segment in segments:
        for rule in segment.rules:
            reason = rule.match(prospect)
            if reason is not None:
                return Placement(segment.name, rule.number, reason)
    return UNPLACED


@dataclass(frozen=True, slots=True)
class SegmentCount:
    """One line of the split: a segment, how many leads it took, and what it is meant to get."""

    name: str
    leads: int
    lead_share: float
    target_share: float
    share_written: float | None
    angle: Angle
    rules: tuple[str, ...] = ()
    """Each rule as written, in order ("seniority: vp; trigger: funding")."""

    def as_dict(self) -> dict[str, Any]:
        """Return the line as the API and JSON show it."""
        return {
            "name": self.name,
            "leads": self.leads,
            "lead_share": round(self.lead_share, 4),
            "target_share": round(self.target_share, 4),
            "share": self.share_written,
            "angle": self.angle.as_dict(),
            "rules": list(self.rules),
        }


@dataclass
class SegmentSplit:
    """Every lead's placement, in the order given, and the count per segment."""

    placements: list[Placement]
    counts: list[SegmentCount]


def split_leads(prospects: Sequence[Prospect], setup: SegmentSetup) -> SegmentSplit:
    """Place every prospect and count each segment (unsegmented last)."""
    segments = setup.segments
    placements = [place(p, segments) for p in prospects]
    tally = Counter(p.segment for p in placements)
    total = len(placements) or 1
    counts = [
        SegmentCount(
            s.name,
            tally[s.name],
            tally[s.name] / total,
            s.target_share,
            s.share,
            s.angle,
            tuple(rule.text for rule in s.rules),
        )
        for s in segments
    ]
    counts.append(
        SegmentCount(
            UNSEGMENTED,
            tally[UNSEGMENTED],
            tally[UNSEGMENTED] / total,
            setup.unsegmented_share,
            None,
            Angle(),
        )
    )
    return SegmentSplit(placements, counts)
