"""What the campaign's own records add to a lead once research is done: the segment it is
placed in (with its angle), from the agent's segmenter, and an earlier outreach to one of its
colleagues, from the agent's outreach history; both come through the run's context."""

from __future__ import annotations

from typing import Any

from graphs.context import PipelineContext
from graphs.earlier_outreach import without_records
from graphs.segment_angle import angled_campaign
from graphs.state import PipelineState
from tools.facts import Fact


async def after_research(
    state: PipelineState, facts: list[Fact], context: PipelineContext
) -> dict[str, Any]:
    """Return the state the campaign's records add: the lead's segment and the campaign with
    its angle's emphasis, and the facts with the earlier outreach as our records say it now
    (nothing for a campaign without segments, in a run without these records)."""
    update: dict[str, Any] = {}
    researched = without_records(facts)
    if context.outreach_history is not None:
        earlier = await context.outreach_history.earlier_outreach(
            state["campaign"].name, state["lead"], context.clock()
        )
        # An earlier step's fact may be stale (the colleague has since opted out): only what
        # the records say now is kept.
        update["facts"] = researched + ([earlier] if earlier is not None else [])
    if context.segmenter is None:
        return update
    placement = await context.segmenter.place(
        state["campaign"].name, state["lead"], researched, context.clock().date()
    )
    if placement is None:
        return update
    return {
        **update,
        "segment": placement,
        "campaign": angled_campaign(state["campaign"], placement),
    }
