"""API shapes of planning: a campaign's leads split over its segments, and ranked by priority.

In the spirit of seed 001's `POST /api/outreach/segment` and `POST /api/outreach/prioritize`,
over a stored campaign and its stored leads.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from server.schemas import ListedId

MAX_LEADS = 100_000
"""Stored leads one request reads at most."""
MAX_NAMED = 10_000
"""Lead ids one request names at most."""


class PlanningRequest(BaseModel):
    """Which stored leads to plan over."""

    model_config = ConfigDict(extra="forbid")

    lead_ids: list[ListedId] | None = Field(
        default=None,
        max_length=MAX_NAMED,
        description=f"Stored leads to read (at most {MAX_NAMED}); default: every stored lead, "
        "in import order, up to max_leads. Unknown ids are left out.",
    )
    max_leads: int = Field(default=10_000, ge=1, le=MAX_LEADS)


class SegmentRequest(PlanningRequest):
    """POST /campaigns/{id}/segment."""

    include_leads: bool = Field(
        default=True, description="List every lead's placement (false: the counts alone)."
    )


class PrioritizeRequest(PlanningRequest):
    """POST /campaigns/{id}/prioritize."""

    top: int = Field(default=50, ge=1, le=MAX_NAMED, description="The best N leads.")
    segment: str | None = Field(
        default=None, max_length=80, description="Only leads placed in this segment."
    )


class SeedRequest(BaseModel):
    """Seed 001's shape: the campaign in the body, prospects for leads."""

    model_config = ConfigDict(extra="forbid")

    campaign_id: ListedId
    prospect_ids: list[ListedId] | None = Field(
        default=None, max_length=MAX_NAMED, description="Stored lead ids; default: every lead."
    )
    user_id: str | None = Field(
        default=None,
        max_length=200,
        description="Accepted from seed 001's clients and not used: the API key says who calls.",
    )


class SeedSegmentRequest(SeedRequest):
    """POST /outreach/segment: seed 001's segment call."""


class SeedPrioritizeRequest(SeedRequest):
    """POST /outreach/prioritize: seed 001's prioritize call."""

    limit: int = Field(default=50, ge=1, le=MAX_NAMED, description="The best N leads.")


class PlanningProblemOut(BaseModel):
    """What is wrong with the campaign's segments or scoring, and what planning did about it."""

    level: Literal["error", "warning"]
    segment: str | None
    rule: int | None
    field: str | None
    message: str
    effect: str | None


class AngleOut(BaseModel):
    """How a segment is written to."""

    tone: str | None
    emphasis: str | None
    sequence: str | None


class SegmentCountOut(BaseModel):
    """One segment of the split (unsegmented last)."""

    name: str
    leads: int
    lead_share: float = Field(description="Of the leads read.")
    target_share: float = Field(description="Of the week's first touches, after scaling.")
    share: float | None = Field(description="As written in the campaign (null: unsegmented).")
    angle: AngleOut
    rules: list[str] = Field(description="Each rule as written, in the order they are tried.")


class PlacementOut(BaseModel):
    """Where one lead went, and the rule that placed it."""

    lead_id: int | None
    email: str | None
    name: str
    company: str
    segment: str
    rule: int | None = Field(description="The rule's number in its segment; null: unsegmented.")
    matched: str = Field(description="What matched, in words.")


class SegmentOut(BaseModel):
    """A campaign's stored leads split over its segments."""

    campaign_id: int
    leads: int
    leads_with_facts: int
    segments: list[SegmentCountOut]
    problems: list[PlanningProblemOut]
    placements: list[PlacementOut]


class ScorePartOut(BaseModel):
    """One named part of a score."""

    kind: Literal["fit", "signal", "reachability", "reply_chance"]
    name: str
    points: float
    reason: str


class PriorityOut(BaseModel):
    """One lead's score, its segment and every part of it."""

    lead_id: int | None
    email: str | None
    name: str
    company: str
    segment: str
    rule: int | None
    score: float
    reasons: list[str] = Field(description='Each part in words: "+0.26 signal: funding: ...".')
    parts: list[ScorePartOut]


class PrioritizeOut(BaseModel):
    """A campaign's stored leads, best first."""

    campaign_id: int
    scored: int
    leads_with_facts: int
    items: list[PriorityOut]
    problems: list[PlanningProblemOut]
