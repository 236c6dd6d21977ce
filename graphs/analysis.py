"""What the analyst concluded about a lead; every item cites fact ids."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator
from pydantic.json_schema import SkipJsonSchema


class TriggerType(StrEnum):
    """Why now is a good time to reach out."""

    FUNDING = "funding"
    HIRING_SURGE = "hiring_surge"
    PRODUCT_LAUNCH = "product_launch"
    LEADERSHIP_CHANGE = "leadership_change"
    EXPANSION = "expansion"
    ACQUISITION = "acquisition"
    PARTNERSHIP = "partnership"
    PUBLIC_CONTENT = "public_content"
    OTHER = "other"


class TriggerEvent(BaseModel):
    """A dated event that makes outreach timely."""

    type: TriggerType
    description: str
    date: dt.date | None = None
    fact_ids: list[str] = Field(min_length=1)
    relevance: float = Field(ge=0, le=1)


class PainPoint(BaseModel):
    """A problem the lead likely has, with the evidence for it."""

    text: str
    fact_ids: list[str] = Field(default_factory=list)


class Hook(BaseModel):
    """A specific, checkable detail a message can open with."""

    text: str
    fact_ids: list[str] = Field(min_length=1)


class LeadFit(BaseModel):
    """What an analyst can tell from the lead row alone: fit, style and approach, citing nothing.

    It is the analyst's whole reply for a lead research found nothing about: with no fact to
    cite it has no field for pain points, triggers or hooks, so a model cannot claim any (a
    reply that has them anyway is read without them).
    """

    communication_style: str = "professional and concise"
    relevance_score: float = Field(ge=0, le=1)
    relevance_reasons: list[str] = Field(default_factory=list)
    recommended_approach: str = "insight-led"


class Analysis(BaseModel):
    """The analyst's structured view of a lead."""

    pain_points: list[PainPoint] = Field(default_factory=list)
    trigger_events: list[TriggerEvent] = Field(default_factory=list)
    hooks: list[Hook] = Field(default_factory=list)
    communication_style: str = "professional and concise"
    relevance_score: float = Field(ge=0, le=1)
    relevance_reasons: list[str] = Field(default_factory=list)
    recommended_approach: str = "insight-led"
    # Set by analyze from what research found, never by a model: it is left out of the schema.
    unpersonalized: SkipJsonSchema[bool] = Field(
        default=False,
        description="Research found nothing about the lead: drafts say only what the lead row "
        "and the campaign say, and a person reviews them before anything is sent.",
    )

    @model_validator(mode="after")
    def _nothing_to_cite(self) -> Analysis:
        if self.unpersonalized and (self.pain_points or self.trigger_events or self.hooks):
            raise ValueError(
                "an unpersonalized analysis cites no fact: it has no pain points, triggers or hooks"
            )
        return self

    @classmethod
    def from_row(cls, fit: LeadFit) -> Analysis:
        """Return the analysis of a lead research found nothing about: its fit, unpersonalized."""
        return cls(**fit.model_dump(), unpersonalized=True)
