"""decide: send, queue for a human, or reject, with the reason recorded."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.contact import contact_for
from graphs.context import PipelineContext
from graphs.drafts import TONE_ORDER, Critique, Tone
from graphs.lead_screening import FieldFinding, screen_lead
from graphs.nodes.enrich import injection_sources
from graphs.outcome import Action, Decision
from graphs.segment_angle import preferred_tone
from graphs.state import PipelineState


def best_critique(critiques: list[Critique], preferred: Tone | None = None) -> Critique | None:
    """Pick the draft to send: the preferred tone's when it passes, else the passing draft with
    the best score (professional first on ties).

    preferred: the tone the lead's segment angle asks for. It wins whenever the critic passed
    it, even over a better-scored draft of another tone; another tone wins only when the
    preferred one failed (or was not written).
    """
    if not critiques:
        return None
    if preferred is not None:
        chosen = next((c for c in critiques if c.tone == preferred and c.passed), None)
        if chosen is not None:
            return chosen
    return max(critiques, key=lambda c: (c.passed, c.score, -TONE_ORDER[c.tone]))


UNPERSONALIZED = (
    "research found nothing about this lead: three unpersonalized drafts wait for a person"
)
"""Why a lead with no researched fact is queued, however well its drafts score."""


def withheld_fields_note(findings: tuple[FieldFinding, ...]) -> str:
    """Say which lead fields were withheld from the drafts and why, for the reviewer."""
    fields = "; ".join(f"{f.field} {' and '.join(f.problems)}" for f in findings)
    return (
        f"lead fields left out of the drafts (possible prompt injection): {fields}; "
        "a person should check this lead before anything is sent"
    )


def _errors_text(state: PipelineState, stage: str) -> str:
    messages = [e.message for e in state.get("errors", []) if e.stage == stage]
    return "; ".join(messages) or "unknown error"


def choose(state: PipelineState, context: PipelineContext) -> Decision:
    """Apply the send/queue/reject rules; a lead with a withheld field is never sent unseen."""
    decision = _choose(state, context)
    findings = screen_lead(state["lead"]).findings
    if not findings:
        return decision
    note = withheld_fields_note(findings)
    if decision.action is Action.SEND:
        return decision.model_copy(update={"action": Action.QUEUE, "reason": note})
    if note in decision.reason:
        return decision
    return decision.model_copy(update={"reason": f"{decision.reason}; {note}"})


def _choose(state: PipelineState, context: PipelineContext) -> Decision:
    """Apply the send/queue/reject rules in order."""
    lead, campaign = state["lead"], state["campaign"]
    limits = context.thresholds
    contact = contact_for(lead, campaign.channel)
    if contact.address is None:
        reason = f"no valid {campaign.channel} contact: {contact.problem}"
        return Decision(action=Action.REJECT, reason=reason)
    analysis = state.get("analysis")
    if analysis is None:
        return Decision(
            action=Action.QUEUE, reason=f"analysis failed: {_errors_text(state, 'analyze')}"
        )
    relevance = analysis.relevance_score
    # Nothing was learnt about an unpersonalized lead, so a low score says nothing about fit.
    if relevance < limits.relevance_floor and not analysis.unpersonalized:
        return Decision(
            action=Action.REJECT,
            reason=f"poor fit: relevance {relevance:.2f} is below the floor "
            f"{limits.relevance_floor:.2f}"
            + (f" ({'; '.join(analysis.relevance_reasons)})" if analysis.relevance_reasons else ""),
            relevance=relevance,
        )
    best = best_critique(state.get("critiques") or [], preferred_tone(state.get("segment")))
    if best is None:
        return Decision(
            action=Action.QUEUE,
            reason=f"no drafts: {_errors_text(state, 'generate')}",
            relevance=relevance,
        )

    def verdict(action: Action, reason: str) -> Decision:
        return Decision(
            action=action,
            reason=reason,
            selected_tone=best.tone.value,
            quality=best.score,
            relevance=relevance,
        )

    attempts = state.get("attempts", 0)
    if state.get("instruction"):
        return verdict(
            Action.QUEUE,
            f"rewritten as the reviewer asked ({state['instruction']}); review the new drafts"
            + (
                " (unpersonalized: research found nothing about this lead)"
                if analysis.unpersonalized
                else ""
            )
            + (
                ""
                if best.passed
                else f"; best ({best.tone}) {best.score:.2f}: " + "; ".join(best.issues[:2])
            ),
        )
    research_errors = [e.message for e in state.get("errors", []) if e.stage == "enrich"]
    because = f" ({research_errors[0]})" if research_errors else ""
    findings = screen_lead(lead).findings
    if findings:
        reason = withheld_fields_note(findings)
        if analysis.unpersonalized:
            reason += f"; {UNPERSONALIZED}{because}"
        pages = injection_sources(research_errors)
        if pages:
            reason += f"; a researched page tried to instruct the AI writer too ({pages[0]})"
        if not best.passed:
            reason += f"; best ({best.tone}) {best.score:.2f}: " + "; ".join(best.issues[:2])
        return verdict(Action.QUEUE, reason)
    if not best.passed:
        issues = "; ".join(best.issues[:3])
        reason = (
            f"no draft passed the critic after {attempts} attempt(s); "
            f"best ({best.tone}) {best.score:.2f}: {issues}"
        )
        if analysis.unpersonalized:
            reason += "; research found nothing about this lead, so the drafts are unpersonalized"
            reason += because
        elif research_errors:
            reason += f" (research incomplete: {research_errors[0]})"
        return verdict(Action.QUEUE, reason)
    injected = injection_sources(research_errors)
    if injected:
        source = injected[0]
        return verdict(
            Action.QUEUE,
            f"a researched page tried to instruct the AI writer ({source}); it was ignored, "
            "but a human should check this lead before anything is sent",
        )
    if analysis.unpersonalized:
        # Never sent without a person, whatever auto-send and the scores say.
        fallback = state.get("fallback_used")
        wrote = f"; model failed, offline fallback wrote {', '.join(fallback)}" if fallback else ""
        return verdict(Action.QUEUE, UNPERSONALIZED + because + wrote)
    if state.get("fallback_used"):
        steps = ", ".join(state["fallback_used"])
        return verdict(Action.QUEUE, f"model failed; offline fallback wrote {steps}; needs review")
    if research_errors and context.auto_send:
        return verdict(Action.QUEUE, f"research incomplete: {research_errors[0]}")
    if best.score < limits.min_quality_to_send:
        reason = f"quality {best.score:.2f} is below {limits.min_quality_to_send:.2f}"
        return verdict(Action.QUEUE, reason)
    if relevance < limits.min_relevance_to_send:
        reason = f"relevance {relevance:.2f} is below {limits.min_relevance_to_send:.2f}"
        if analysis.relevance_reasons:
            reason += f" ({'; '.join(analysis.relevance_reasons)})"
        return verdict(Action.QUEUE, reason)
    if not context.auto_send:
        return verdict(
            Action.QUEUE,
            f"ready to send (quality {best.score:.2f}, relevance {relevance:.2f}); "
            "auto-send is off",
        )
    return verdict(
        Action.SEND,
        f"quality {best.score:.2f} ≥ {limits.min_quality_to_send:.2f} and "
        f"relevance {relevance:.2f} ≥ {limits.min_relevance_to_send:.2f}",
    )


async def decide(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Record the decision for the lead."""
    return {"decision": choose(state, runtime.context)}
