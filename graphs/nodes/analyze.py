"""analyze: ask the analyst model for pain points, triggers, hooks and relevance.

For a lead research found nothing about, the analyst is asked for its fit alone (LeadFit):
with no fact to cite, its reply has no place for a hook or a trigger.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.analysis import Analysis, LeadFit
from graphs.context import PipelineContext
from graphs.earlier_outreach import without_records
from graphs.lead_screening import screen_lead
from graphs.nodes.model_step import prompt_use, run_model_step
from graphs.outcome import PipelineError
from graphs.research import found_nothing
from graphs.state import PipelineState
from graphs.task_inputs import AnalyzeInput, FactBrief, data_block


def _drop_uncited(analysis: Analysis, fact_ids: set[str]) -> tuple[Analysis, list[PipelineError]]:
    """Remove hooks and triggers that cite facts we do not have."""
    errors: list[PipelineError] = []
    hooks = []
    for hook in analysis.hooks:
        unknown = [i for i in hook.fact_ids if i not in fact_ids]
        if unknown:
            errors.append(
                PipelineError(
                    stage="analyze",
                    message=f"dropped hook {hook.text!r}: "
                    f"cites unknown fact(s) {', '.join(unknown)}",
                )
            )
        else:
            hooks.append(hook)
    triggers = [t for t in analysis.trigger_events if all(i in fact_ids for i in t.fact_ids)]
    cleaned = analysis.model_copy(
        update={"hooks": hooks, "trigger_events": triggers, "unpersonalized": False}
    )
    return cleaned, errors


async def analyze(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Analyze the lead from its facts; on failure leave analysis empty with the reason."""
    context = runtime.context
    # An earlier outreach to a colleague is our own record, no hook: the analyst never sees it.
    facts = without_records(state.get("facts", []))
    unresearched = found_nothing(facts)
    payload = AnalyzeInput(
        today=context.clock().date(),
        language=state.get("language", "en"),
        # Lead fields are untrusted: one that reads as instructions, or carries a link or
        # markup, is withheld from the model (graphs/lead_screening.py).
        lead=screen_lead(state["lead"]).lead,
        campaign=state["campaign"],
        # The lead file's own line repeats the lead fields; with nothing else it is no evidence.
        facts=[] if unresearched else [FactBrief.of(f) for f in facts],
    )
    prompt = context.prompts["analyze"]
    step = await run_model_step(
        stage="analyze",
        model=context.analyst,
        context=context,
        prompt=prompt,
        values={"today": payload.today.isoformat(), "payload": data_block(payload)},
        schema=LeadFit if unresearched else Analysis,
    )
    update: dict[str, Any] = {
        "usage": step.usage,
        "errors": step.errors,
        "prompts": {"analyze": prompt_use(prompt), **step.templates},
        "fallback_used": ["analyze"] if step.fallback_used else [],
    }
    if step.value is None:
        update["analysis"] = None
        return update
    if unresearched:
        update["analysis"] = Analysis.from_row(step.value)
        return update
    analysis, dropped = _drop_uncited(step.value, {f.id for f in facts})
    update["analysis"] = analysis
    update["errors"] = step.errors + dropped
    return update
