"""Put the claims the deterministic grounding cannot decide to the model judge, once per lead.

Only a run whose context has a claim judge (the openai provider with OUTREACH_CLAIM_JUDGE on)
calls it. A judge that fails leaves every deterministic verdict as it was: the draft is judged
no more leniently than without a judge, and the run notes why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphs.context import PipelineContext
from graphs.critic.entailment_judge import (
    ClaimVerdicts,
    claims_to_judge,
    evidence_words,
    judge_payload,
    merged_grounding,
    rescored,
)
from graphs.drafts import Critique, Variant
from graphs.lead import Campaign, Lead
from graphs.outcome import PipelineError, Usage
from graphs.structured_output import ModelCallError, call_structured
from tools.facts import Fact

STAGE = "judge_claims"


@dataclass
class JudgedDrafts:
    """The critiques after the judge, and what the call cost or why it failed."""

    critiques: list[Critique]
    usage: Usage = field(default_factory=Usage)
    errors: list[PipelineError] = field(default_factory=list)
    claims: int = 0


async def judge_drafts(
    context: PipelineContext,
    *,
    variants: Sequence[Variant],
    critiques: list[Critique],
    lead: Lead,
    campaign: Campaign,
    facts: Sequence[Fact],
) -> JudgedDrafts:
    """Judge every draft's undecided claims in one call and merge the verdicts."""
    model = context.claim_judge
    if model is None:
        return JudgedDrafts(critiques)
    claims = claims_to_judge(
        critiques, variants, lead, campaign, evidence_words(lead, campaign, facts)
    )
    if not claims:
        return JudgedDrafts(critiques)
    prompt = context.prompts["judge_claims"]
    today = context.clock().date()
    rendered = prompt.render(payload=judge_payload(claims, facts, campaign, today))
    try:
        reply = await call_structured(
            model,
            rendered,
            ClaimVerdicts,
            mode=context.structured_mode,
            params=prompt.meta.parameters,
            cost_of=context.cost_of,
            step=STAGE,
        )
    except ModelCallError as exc:
        error = PipelineError(
            stage=STAGE, message=f"{exc}; the deterministic grounding verdicts stand"
        )
        return JudgedDrafts(critiques, usage=exc.usage, errors=[error], claims=len(claims))
    by_id = {fact.id: fact for fact in facts}
    judged: list[Critique] = []
    for critique in critiques:
        grounding = next((c for c in critique.checks if c.name == "grounding"), None)
        if grounding is None:
            judged.append(critique)
            continue
        merged = merged_grounding(grounding, critique.tone, claims, reply.value, by_id)
        judged.append(
            critique
            if merged is grounding
            else rescored(critique, merged, context.thresholds.pass_score)
        )
    return JudgedDrafts(judged, usage=reply.usage, claims=len(claims))
