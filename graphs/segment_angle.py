"""The campaign segment a lead is written for, and what its angle changes in the writing.

A campaign with segments places each lead, once research has found its facts, in the first
segment whose rule matches (or in `unsegmented`). The agent does the placing with the
planning rules (agent/planning/) and hands it over through the run's context
(`PipelineContext.segmenter`); the graph only uses the result: the angle's emphasis is the
value proposition the writer leads with (`Campaign.emphasis`), its tone is the one decide
prefers among the drafts that pass, and the message records the segment, the rule that placed
it and the angle. A campaign without segments gets no placement and is written as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, TypedDict

from graphs.drafts import Tone
from graphs.lead import Campaign, Lead
from tools.facts import Fact


class SegmentAngle(TypedDict):
    """A segment's angle as written in the campaign (each part optional)."""

    tone: str | None
    emphasis: str | None
    sequence: str | None


class SegmentPlacement(TypedDict):
    """Where one lead was placed, why, and the angle it is written with (plain data, so it is
    stored in the message's record and the graph's checkpoints as it is)."""

    segment: str
    rule: int | None
    """The rule's number within its segment (1-based); None for unsegmented."""
    matched: str
    """What matched ("title contains 'cto'"), or why no segment took the lead."""
    angle: SegmentAngle


class Segmenter(Protocol):
    """Where a run places a lead in its campaign's segments (None: the campaign has none)."""

    async def place(
        self, campaign: str, lead: Lead, facts: Sequence[Fact], today: date
    ) -> SegmentPlacement | None:
        """Return the lead's placement in the named campaign's segments, from its facts."""
        ...


def angled_campaign(campaign: Campaign, placement: SegmentPlacement | None) -> Campaign:
    """Return the campaign as this lead is written to: with its segment's emphasis."""
    emphasis = placement["angle"]["emphasis"] if placement else None
    if not emphasis or emphasis == campaign.emphasis:
        return campaign
    return campaign.model_copy(update={"emphasis": emphasis})


def preferred_tone(placement: SegmentPlacement | None) -> Tone | None:
    """Return the tone the lead's segment asks for, if it names one."""
    tone = placement["angle"]["tone"] if placement else None
    return Tone(tone) if tone in {t.value for t in Tone} else None
