"""Request and response bodies of the REST API's leads: import, list, stage and erasure."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graphs.lead import Channel


class LeadImport(BaseModel):
    """POST /leads: JSON import."""

    model_config = ConfigDict(extra="forbid")

    leads: list[dict[str, Any]] = Field(min_length=1, max_length=10_000)
    channel: Channel = Field(
        default=Channel.EMAIL,
        description="Which contact each lead needs: an email, a phone (sms) or a profile.",
    )


class RowProblem(BaseModel):
    """A row that was not imported, and why."""

    row: int
    field: str
    message: str


class IgnoredCell(BaseModel):
    """A cell of an imported row that was left empty, and why (a language we do not write in)."""

    row: int
    field: str
    message: str


class LeadOut(BaseModel):
    """A lead as the API returns it."""

    id: int
    name: str
    company: str
    email: str | None
    title: str | None
    phone: str | None
    profile_url: str | None
    company_url: str | None
    linkedin_url: str | None
    industry: str | None
    language: str | None = Field(
        default=None,
        description="The language to write to the lead in (en, es, fr, de), as imported; null: "
        "inferred at each run (the campaign's language, else the lead's pages, else English).",
    )
    qualification_score: float | None
    status: str
    stage: str = Field(
        description="Lifecycle stage: new, contacted, replied, interested, meeting_booked, won, "
        "lost, paused, unsubscribed or bounced."
    )
    source: str | None
    extra: dict[str, Any]
    created_at: dt.datetime


class StageChange(BaseModel):
    """A stage only a person decides."""

    model_config = ConfigDict(extra="forbid")

    stage: Literal["meeting_booked", "won", "lost"]


class LeadImportResult(BaseModel):
    """What an import kept and what it refused."""

    imported: int
    lead_ids: list[int]
    errors: list[RowProblem]
    ignored: list[IgnoredCell] = Field(
        default_factory=list,
        description="Cells of imported rows that were left empty, by row and field, e.g. a "
        "language that is none of en, es, fr, de (the lead's language is then inferred).",
    )
    encoding: str | None = Field(
        default=None, description="How an uploaded file's bytes were read, e.g. Windows-1252."
    )


class LeadList(BaseModel):
    """A page of leads."""

    items: list[LeadOut]
    limit: int
    offset: int


class Erased(BaseModel):
    """What a GDPR erasure removed."""

    id: int
    erased: bool
    suppressed_addresses: int
    checkpoint_threads_deleted: int
