"""The lead pipeline's state, with explicit reducers, and its narrower input and output."""

from __future__ import annotations

import operator
from typing import Annotated, NotRequired, TypedDict

from graphs.analysis import Analysis
from graphs.drafts import Critique, Variant
from graphs.lead import Campaign, Language, Lead
from graphs.outcome import Decision, PipelineError, PromptUse, Usage
from graphs.review_log import ReviewRecord
from graphs.segment_angle import SegmentPlacement
from graphs.sequence_turn import SequenceTurn
from tools.delivery.receipt import Delivery
from tools.facts import Fact


def merge_facts(existing: list[Fact], new: list[Fact]) -> list[Fact]:
    """Append facts, keeping the first of any two with the same id."""
    merged = list(existing)
    seen = {fact.id for fact in merged}
    for fact in new:
        if fact.id not in seen:
            seen.add(fact.id)
            merged.append(fact)
    return merged


def merge_variants(existing: list[Variant], new: list[Variant]) -> list[Variant]:
    """Replace drafts tone by tone, so a rewrite of one tone keeps the others."""
    by_tone = {variant.tone: variant for variant in existing}
    by_tone.update({variant.tone: variant for variant in new})
    return list(by_tone.values())


def add_usage(existing: Usage, new: Usage) -> Usage:
    """Sum model usage."""
    return existing + new


def merge_prompts(
    existing: dict[str, PromptUse], new: dict[str, PromptUse]
) -> dict[str, PromptUse]:
    """Record which prompt each step used."""
    return {**existing, **new}


class PipelineInput(TypedDict):
    """What a caller provides for one lead."""

    lead: Lead
    campaign: Campaign
    turn: NotRequired[SequenceTurn]
    """The sequence step being written and the thread before it (absent: a single message)."""
    known_facts: NotRequired[list[Fact]]
    """Facts an earlier step's research found: reused while fresh, instead of researching again."""


class PipelineState(PipelineInput, total=False):
    """Everything the nodes read and write for one lead."""

    facts: Annotated[list[Fact], merge_facts]
    """Evidence from research; the only source of claims about the lead."""
    language: Language
    """The language the drafts are written and checked in (graphs/lead_language.py)."""
    language_reason: str
    """Why that language: campaign setting, lead row, profile page (de), company site (es),
    default."""
    segment: SegmentPlacement | None
    """The campaign segment the lead was placed in after research, with its angle (absent:
    the campaign has no segments, or the run no segmenter)."""
    analysis: Analysis | None
    """The analyst's view; None when analysis failed."""
    variants: Annotated[list[Variant], merge_variants]
    """Current draft per tone."""
    critiques: list[Critique]
    """The critic's verdict on the current drafts, one per tone."""
    attempts: Annotated[int, operator.add]
    """Generation rounds so far (the quality loop's counter)."""
    decision: Decision
    """decide's choice and reason."""
    delivery: Delivery | None
    """Where the message went, once sent."""
    errors: Annotated[list[PipelineError], operator.add]
    """Readable problems met along the way."""
    usage: Annotated[Usage, add_usage]
    """Model calls, tokens and cost for this lead."""
    prompts: Annotated[dict[str, PromptUse], merge_prompts]
    """Which exact prompt produced the analysis and the drafts."""
    fallback_used: Annotated[list[str], operator.add]
    """Steps whose primary model failed and whose output came from the fallback writer."""
    stalled: bool
    """The last rewrite changed nothing, so more rounds would not help."""
    reviews: Annotated[list[ReviewRecord], operator.add]
    """What human reviewers did, in order."""
    instruction: str | None
    """A reviewer's instruction for the next rewrite (set by regenerate)."""
    review_feedback: str | None
    """Why the last review action could not be applied (e.g. an edit the critic refused)."""


class PipelineOutput(TypedDict, total=False):
    """What a caller gets back for one lead."""

    lead: Lead
    campaign: Campaign
    turn: SequenceTurn
    facts: list[Fact]
    language: Language
    language_reason: str
    analysis: Analysis | None
    variants: list[Variant]
    critiques: list[Critique]
    attempts: int
    decision: Decision
    delivery: Delivery | None
    errors: list[PipelineError]
    usage: Usage
    prompts: dict[str, PromptUse]
    fallback_used: list[str]
    stalled: bool
    reviews: list[ReviewRecord]
    review_feedback: str | None
