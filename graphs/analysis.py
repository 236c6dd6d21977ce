"""What the analyst concluded about a lead; every item cites fact ids."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field


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


class Analysis(BaseModel):
    """The analyst's structured view of a lead."""

    pain_points: list[PainPoint] = Field(default_factory=list)
    trigger_events: list[TriggerEvent] = Field(default_factory=list)
    hooks: list[Hook] = Field(default_factory=list)
    communication_style: str = "professional and concise"
    relevance_score: float = Field(ge=0, le=1)
    relevance_reasons: list[str] = Field(default_factory=list)
    recommended_approach: str = "insight-led"
