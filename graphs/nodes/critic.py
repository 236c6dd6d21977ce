"""critic: score every draft with the strict editor's checks."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.context import PipelineContext
from graphs.critic.grounding import Evidence
from graphs.critic.review import critique
from graphs.drafts import TONE_ORDER
from graphs.state import PipelineState


async def critic(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Critique the current draft of each tone."""
    context = runtime.context
    variants = sorted(state.get("variants", []), key=lambda v: TONE_ORDER[v.tone])
    facts = state.get("facts", [])
    evidence = Evidence.for_message(state["lead"], state["campaign"], facts)
    analysis = state.get("analysis")
    unpersonalized = analysis is not None and analysis.unpersonalized
    critiques = [
        critique(
            variant,
            lead=state["lead"],
            campaign=state["campaign"],
            facts=facts,
            settings=context.critic,
            thresholds=context.thresholds,
            evidence=evidence,
            unpersonalized=unpersonalized,
        )
        for variant in variants
    ]
    return {"critiques": critiques}
