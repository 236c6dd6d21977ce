"""Facts: the evidence every claim in a message must trace back to."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from tools.untrusted_text import reads_as_instructions


def utc_now() -> datetime:
    """Return the current time in UTC (the default clock everywhere)."""
    return datetime.now(UTC)


class FactKind(StrEnum):
    """What a fact is about."""

    PROFILE = "profile"
    POST = "post"
    COMPANY = "company"
    TECHNOLOGY = "technology"
    HIRING = "hiring"
    NEWS = "news"
    REFERRAL = "referral"
    """Somebody the lead knows suggested we write (learnt from a reply, not from research)."""
    EARLIER_OUTREACH = "earlier_outreach"
    """We already wrote to a colleague at the lead's company in this campaign (from our own
    records, not from research): the only ground for mentioning that outreach."""


class Fact(BaseModel):
    """One thing research found about a lead or their company, with its source."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id derived from kind, source and text.")
    kind: FactKind
    text: str = Field(description="The fact as one plain sentence or phrase.")
    source_url: str
    tool: str = Field(description="Name of the tool that produced the fact.")
    published: date | None = Field(default=None, description="Publication date when known.")
    retrieved_at: datetime
    title: str | None = Field(default=None, description="Headline of a post or article.")
    attributes: dict[str, str | int | list[str]] = Field(default_factory=dict)


def fact_id(kind: FactKind | str, source_url: str, text: str) -> str:
    """Return a stable id so the same finding gets the same id on every run."""
    normalized = " ".join(text.lower().split())
    digest = hashlib.sha1(f"{kind}|{source_url}|{normalized}".encode()).hexdigest()
    return f"f_{digest[:10]}"


def make_fact(
    *,
    kind: FactKind,
    text: str,
    source_url: str,
    tool: str,
    retrieved_at: datetime,
    published: date | None = None,
    title: str | None = None,
    attributes: dict[str, str | int | list[str]] | None = None,
) -> Fact:
    """Build a fact with its stable id."""
    return Fact(
        id=fact_id(kind, source_url, text),
        kind=kind,
        text=text,
        source_url=source_url,
        tool=tool,
        published=published,
        retrieved_at=retrieved_at,
        title=title,
        attributes=attributes or {},
    )


class ResearchError(BaseModel):
    """A human-readable reason some research could not be done."""

    tool: str
    url: str
    message: str


INJECTION_NOTE = "ignored text that reads as instructions to an AI (possible prompt injection)"
"""The research error recorded for each dropped fact; decide queues leads that carry it."""


class ResearchResult(BaseModel):
    """What one research tool call found, and what went wrong."""

    facts: list[Fact] = Field(default_factory=list)
    errors: list[ResearchError] = Field(default_factory=list)

    def without_injections(self) -> ResearchResult:
        """Drop facts whose text tries to instruct an AI, noting each one as an error."""
        kept: list[Fact] = []
        notes: list[ResearchError] = []
        for fact in self.facts:
            if reads_as_instructions(f"{fact.title or ''} {fact.text}"):
                notes.append(
                    ResearchError(
                        tool=fact.tool,
                        url=fact.source_url,
                        message=INJECTION_NOTE,
                    )
                )
            else:
                kept.append(fact)
        return ResearchResult(facts=kept, errors=[*self.errors, *notes])
