"""critic: score every draft with the strict editor's checks.

A sequence's follow-up is also judged against the earlier messages of its thread. When the run
has a claim judge, the sentences the exact checks cannot decide go to it (graphs/nodes/
claim_judging.py).
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.context import PipelineContext
from graphs.critic.grounding import Evidence
from graphs.critic.review import critique
from graphs.critic.thread_checks import Thread
from graphs.drafts import TONE_ORDER
from graphs.nodes.claim_judging import judge_drafts
from graphs.sms_suffix import sms_suffix
from graphs.state import PipelineState


async def critic(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Critique the current draft of each tone."""
    context = runtime.context
    variants = sorted(state.get("variants", []), key=lambda v: TONE_ORDER[v.tone])
    facts = state.get("facts", [])
    language = state.get("language", "en")
    # The campaign's pitch and ask in the language written in count as its own words.
    campaign = state["campaign"].in_language(language)
    evidence = Evidence.for_message(state["lead"], campaign, facts)
    analysis = state.get("analysis")
    unpersonalized = analysis is not None and analysis.unpersonalized
    thread = Thread.of(state.get("turn"), state["campaign"].channel, analysis)
    suffix = sms_suffix(state, language)
    critiques = [
        critique(
            variant,
            lead=state["lead"],
            campaign=campaign,
            facts=facts,
            settings=context.critic,
            thresholds=context.thresholds,
            evidence=evidence,
            unpersonalized=unpersonalized,
            thread=thread,
            sms_suffix=suffix,
            language=language,
            today=context.clock().date(),
        )
        for variant in variants
    ]
    judged = await judge_drafts(
        context,
        variants=variants,
        critiques=critiques,
        lead=state["lead"],
        campaign=campaign,
        facts=facts,
    )
    update: dict[str, Any] = {"critiques": judged.critiques}
    if judged.claims:
        update["usage"] = judged.usage
    if judged.errors:
        update["errors"] = judged.errors
    return update
