"""What a campaign has learned, as the writer receives it: reviewers' edits as examples,
phrasings to avoid and to prefer, and the reply odds of each hook kind per segment.

The agent reads it from storage (agent/learning/) and hands it over through the run's context
(`PipelineContext.learning`); the graph never reads storage for it. Edit text is reviewers'
words about leads' data: it is data, shown to a model only inside a delimited block.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from pydantic import BaseModel, Field

from graphs.lead import Lead

EXAMPLE_CHARS = 1200
"""The most of a draft (before or after an edit) an example carries."""
PHRASE_CHARS = 200
"""The longest phrasing a preference carries."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def line_sentences(line: str) -> list[str]:
    """Return the sentences of one line of a body (a greeting or a sign-off is one)."""
    return [s.strip() for s in _SENTENCE_END.split(line.strip()) if s.strip()]


def phrase_key(sentence: str) -> str:
    """Return a sentence as phrasings are compared: case-folded, single-spaced."""
    return " ".join(sentence.casefold().split())


def segment_of(lead: Lead) -> str:
    """Return the segment a lead's outcomes count under: its `segment` field, else industry."""
    return str(lead.extra.get("segment") or lead.industry or "unknown")


class EditExample(BaseModel):
    """One reviewer edit that went out: the draft before and after."""

    message_id: int
    tone: str
    segment: str
    before: str = Field(max_length=EXAMPLE_CHARS)
    after: str = Field(max_length=EXAMPLE_CHARS)


class LearnedStyle(BaseModel):
    """Phrasings reviewers removed from drafts (avoid) and kept or wrote themselves (prefer)."""

    avoid: list[str] = Field(
        default_factory=list,
        description="Sentences reviewers deleted from drafts in at least two edits: leave "
        "them out.",
    )
    prefer: list[str] = Field(
        default_factory=list,
        description="Sentences reviewers kept or wrote in at least two edits: wording that "
        "works for this campaign (never a licence to claim what the facts do not say).",
    )

    def __bool__(self) -> bool:
        return bool(self.avoid or self.prefer)


class AngleOdds(BaseModel):
    """Sends and positive replies for one segment, hook kind and tone since the last reset."""

    segment: str
    hook_kind: str
    tone: str
    sent: int
    positive: int


class Learning(BaseModel):
    """A campaign's learning at the start of a lead's generation."""

    campaign: str
    since: str | None = Field(default=None, description="The last reset (ISO 8601), if any.")
    examples: list[EditExample] = Field(default_factory=list)
    style: LearnedStyle = Field(default_factory=LearnedStyle)
    odds: list[AngleOdds] = Field(default_factory=list)
    prior: tuple[float, float] = (1.0, 9.0)
    """Beta(alpha, beta) over a positive-reply rate before any outcome: about one in ten."""

    def examples_for(self, segment: str, limit: int) -> list[EditExample]:
        """Return the most recent examples, this segment's first, at most `limit`."""
        own = [e for e in self.examples if e.segment == segment]
        rest = [e for e in self.examples if e.segment != segment]
        return (own + rest)[:limit]

    def provenance(self, examples: list[EditExample]) -> dict[str, Any]:
        """Return what a message records about the learning that shaped it."""
        return {
            "campaign": self.campaign,
            "since": self.since,
            "examples": [e.message_id for e in examples],
            "avoid": list(self.style.avoid),
            "prefer": list(self.style.prefer),
            "prior": f"Beta({self.prior[0]:g},{self.prior[1]:g})",
        }


class LearningSource(Protocol):
    """Where a run's generate step gets a campaign's learning (None: nothing learned yet)."""

    async def for_campaign(self, campaign: str) -> Learning | None:
        """Return the campaign's learning, by campaign name."""
        ...
