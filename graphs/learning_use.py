"""What the campaign's learning changes in one generation, and the record the message keeps.

Reviewers' recent edits become examples (when the prompt has a place for them), the phrasings
they agree on go to the writer in its data (`learned`), and the hook kinds' reply odds in the
lead's segment choose the hook that leads (graphs/hook_choice.py). The record lists each of
these, so a message says which examples, phrasings and draws shaped it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graphs.analysis import Analysis
from graphs.context import PipelineContext
from graphs.hook_choice import choose_hooks
from graphs.learned import EditExample, LearnedStyle, segment_of
from graphs.state import PipelineState
from tools.facts import Fact

EXAMPLES_SHOWN = 3
"""The most reviewer edits shown to a model as examples."""


@dataclass(frozen=True)
class LearningUse:
    """The learning applied to one generation."""

    analysis: Analysis
    """The analysis with its hooks reordered by the draw (as given without outcomes)."""
    style: LearnedStyle | None = None
    examples: list[EditExample] = field(default_factory=list)
    record: dict[str, Any] | None = None

    def examples_block(self) -> str:
        """Return the examples as JSON for the <reviewer_edits> block; "<" escaped so an
        edit's text cannot close the block."""
        shown = [{"tone": e.tone, "draft": e.before, "sent": e.after} for e in self.examples]
        return json.dumps(shown, indent=1, ensure_ascii=False).replace("<", "\\u003c")


def _hook_kinds(analysis: Analysis, facts: Sequence[Fact]) -> list[str]:
    kinds = {f.id: str(f.kind) for f in facts}
    return [
        next((kinds[i] for i in hook.fact_ids if i in kinds), "none") for hook in analysis.hooks
    ]


async def learning_for(
    context: PipelineContext,
    state: PipelineState,
    analysis: Analysis,
    facts: Sequence[Fact],
    *,
    examples: bool,
) -> LearningUse:
    """Return what the campaign's learning changes in this generation (nothing without it)."""
    if context.learning is None:
        return LearningUse(analysis)
    learning = await context.learning.for_campaign(state["campaign"].name)
    if learning is None:
        return LearningUse(analysis)
    lead = state["lead"]
    # The campaign segment the run placed the lead in, as outcomes recorded it; else its own.
    placed = state.get("segment")
    segment = placed["segment"] if placed else segment_of(lead)
    hooks, draw = choose_hooks(
        analysis.hooks,
        _hook_kinds(analysis, facts),
        learning.odds,
        learning.prior,
        segment=segment,
        seed=f"{context.run_id}|{lead.name}|{lead.email}",
    )
    shown = learning.examples_for(segment, EXAMPLES_SHOWN) if examples else []
    record = learning.provenance(shown)
    if draw is not None:
        record["hook_choice"] = draw
    if not (shown or learning.style or draw):
        return LearningUse(analysis)
    return LearningUse(
        analysis=analysis.model_copy(update={"hooks": hooks}) if draw else analysis,
        style=learning.style if learning.style else None,
        examples=shown,
        record=record,
    )
