"""critic: score every draft with the strict editor's checks."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.context import PipelineContext
from graphs.critic.review import critique
from graphs.drafts import TONES
from graphs.state import PipelineState


async def critic(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Critique the current draft of each tone."""
    context = runtime.context
    order = {tone: i for i, tone in enumerate(TONES)}
    variants = sorted(state.get("variants", []), key=lambda v: order[v.tone])
    critiques = [
        critique(
            variant,
            lead=state["lead"],
            campaign=state["campaign"],
            facts=state.get("facts", []),
            settings=context.critic,
            thresholds=context.thresholds,
        )
        for variant in variants
    ]
    return {"critiques": critiques}
