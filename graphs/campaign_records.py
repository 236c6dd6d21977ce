"""What the campaign's own records add to a lead once research is done: the segment it is
placed in (with its angle), from the agent's segmenter in the run's context."""

from __future__ import annotations

from typing import Any

from graphs.context import PipelineContext
from graphs.segment_angle import angled_campaign
from graphs.state import PipelineState
from tools.facts import Fact, FactKind


async def after_research(
    state: PipelineState, facts: list[Fact], context: PipelineContext
) -> dict[str, Any]:
    """Return the state the campaign's records add: the lead's segment and the campaign with
    its angle's emphasis (nothing for a campaign without segments)."""
    if context.segmenter is None:
        return {}
    researched = [f for f in facts if f.kind is not FactKind.EARLIER_OUTREACH]
    placement = await context.segmenter.place(
        state["campaign"].name, state["lead"], researched, context.clock().date()
    )
    if placement is None:
        return {}
    return {"segment": placement, "campaign": angled_campaign(state["campaign"], placement)}
