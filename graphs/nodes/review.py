"""review: pause a queued lead for a human, then apply their approve/edit/reject/regenerate."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from graphs.context import PipelineContext
from graphs.critic.review import critique
from graphs.critic.thread_checks import Thread
from graphs.drafts import Critique, Variant
from graphs.lead_screening import screen_lead
from graphs.nodes.decide import best_critique
from graphs.outcome import Action, Decision
from graphs.review_log import ReviewAction, ReviewRecord
from graphs.state import PipelineState

Next = Literal["send", "generate", "review", "__end__"]


def critique_edit(
    state: PipelineState,
    context: PipelineContext,
    original: Variant,
    *,
    body: str,
    subject: str | None,
) -> tuple[Variant, Critique]:
    """Return a reviewer's edit of a draft and the critic's verdict on it, judged as the
    lead's own drafts are (its facts, language, thread): what an edit must pass to be sent,
    and what the console shows before it is."""
    edited = original.model_copy(
        update={"body": body.strip(), "subject": subject.strip() if subject else original.subject}
    )
    analysis = state.get("analysis")
    language = state.get("language", "en")
    verdict = critique(
        edited,
        lead=state["lead"],
        campaign=state["campaign"].in_language(language),
        facts=state.get("facts", []),
        settings=context.critic,
        thresholds=context.thresholds,
        unpersonalized=analysis is not None and analysis.unpersonalized,
        thread=Thread.of(state.get("turn"), state["campaign"].channel, analysis),
        language=language,
        today=context.clock().date(),
    )
    return edited, verdict


def _variant_view(
    variant: Variant, verdict: Critique | None, facts: dict[str, Any]
) -> dict[str, Any]:
    return {
        "tone": variant.tone.value,
        "subject": variant.subject,
        "body": variant.body,
        "score": verdict.score if verdict else None,
        "passed": verdict.passed if verdict else None,
        "issues": verdict.issues if verdict else [],
        "hooks": [
            {
                "text": hook.text,
                "facts": [facts[fid] for fid in hook.fact_ids if fid in facts],
            }
            for hook in variant.hooks
        ],
    }


def pending_item(state: PipelineState) -> dict[str, Any]:
    """Return what a reviewer needs: the drafts, their scores and issues, and the evidence."""
    facts = {
        fact.id: {
            "id": fact.id,
            "text": fact.text,
            "source_url": fact.source_url,
            "published": fact.published.isoformat() if fact.published else None,
        }
        for fact in state.get("facts", [])
    }
    critiques = {c.tone: c for c in state.get("critiques") or []}
    decision = state["decision"]
    return {
        "lead": state["lead"].model_dump(mode="json", exclude_none=True),
        "campaign": state["campaign"].name,
        "channel": state["campaign"].channel.value,
        "reason": decision.reason,
        # Lead fields withheld from the drafts (instructions to an AI, links, markup).
        "lead_findings": [f.message for f in screen_lead(state["lead"]).findings],
        "selected_variant": decision.selected_tone,
        "relevance": decision.relevance,
        "feedback": state.get("review_feedback"),
        "variants": [
            _variant_view(v, critiques.get(v.tone), facts) for v in state.get("variants", [])
        ],
    }


def _refuse(message: str, record: ReviewRecord | None = None) -> Command[Next]:
    """Stay paused, telling the reviewer why their action was not applied."""
    update: dict[str, Any] = {"review_feedback": message}
    if record is not None:
        update["reviews"] = [record]
    return Command(goto="review", update=update)


def _chosen(state: PipelineState, action: ReviewAction) -> Variant | None:
    variants = {v.tone: v for v in state.get("variants", [])}
    if action.tone is not None:
        return variants.get(action.tone)
    best = best_critique(state.get("critiques") or [])
    tone = state["decision"].selected_tone or (best.tone if best else None)
    return variants.get(tone) if tone else None  # type: ignore[call-overload]


def _send(
    state: PipelineState, variant: Variant, reason: str, record: ReviewRecord, **update: Any
) -> Command[Next]:
    decision = state["decision"]
    approved = Decision(
        action=Action.SEND,
        reason=reason,
        selected_tone=variant.tone.value,
        quality=update.pop("quality", None) or decision.quality,
        relevance=decision.relevance,
        approved_by=record.reviewer,
    )
    return Command(
        goto="send",
        update={"decision": approved, "reviews": [record], "review_feedback": None, **update},
    )


def _edit(
    state: PipelineState, action: ReviewAction, context: PipelineContext, original: Variant
) -> Command[Next]:
    edited, verdict = critique_edit(
        state, context, original, body=action.body or "", subject=action.subject
    )
    hard = [f"{c.name}: {c.detail}" for c in verdict.checks if c.hard and not c.passed]
    record = ReviewRecord(
        action="edit",
        reviewer=action.reviewer,
        tone=original.tone.value,
        original=original.model_dump(mode="json"),
        edited=edited.model_dump(mode="json"),
        issues=verdict.issues,
        outcome="refused by the critic" if hard else "edited and approved",
    )
    if hard:
        return _refuse("edit not sent; the critic found: " + "; ".join(hard), record)
    others = [c for c in state.get("critiques") or [] if c.tone != edited.tone]
    return _send(
        state,
        edited,
        f"edited and approved by {action.reviewer} (critic score {verdict.score:.2f})",
        record,
        variants=[edited],
        critiques=[*others, verdict],
        quality=verdict.score,
    )


async def review(state: PipelineState, runtime: Runtime[PipelineContext]) -> Command[Next]:
    """Wait for a reviewer (LangGraph interrupt), then route the lead by their action."""
    raw = interrupt(pending_item(state))
    try:
        action = ReviewAction.model_validate(raw)
    except ValidationError as exc:
        return _refuse(f"invalid review action: {exc.errors()[0]['msg']}")
    decision = state["decision"]
    if action.action == "reject":
        record = ReviewRecord(
            action="reject", reviewer=action.reviewer, reason=action.reason, outcome="rejected"
        )
        rejected = decision.model_copy(
            update={
                "action": Action.REJECT,
                "reason": f"rejected by {action.reviewer}: {action.reason}",
            }
        )
        return Command(
            goto="__end__",
            update={"decision": rejected, "reviews": [record], "review_feedback": None},
        )
    if action.action == "regenerate":
        if state.get("analysis") is None:
            return _refuse("cannot regenerate: this lead has no analysis to write from")
        record = ReviewRecord(
            action="regenerate",
            reviewer=action.reviewer,
            instruction=action.instruction,
            outcome="rewritten; back in the queue",
        )
        return Command(
            goto="generate",
            update={
                "instruction": action.instruction,
                "critiques": [],
                "reviews": [record],
                "review_feedback": None,
                "stalled": False,
            },
        )
    variant = _chosen(state, action)
    if variant is None:
        wanted = action.tone.value if action.tone else "a"
        return _refuse(f"cannot {action.action}: there is no {wanted} draft for this lead")
    if action.action == "edit":
        return _edit(state, action, runtime.context, variant)
    copied = _copied_instructions(state, variant)
    if copied:
        return _refuse(
            f"cannot approve the {variant.tone} draft: copied_instructions: {copied}; "
            "edit it or regenerate it"
        )
    record = ReviewRecord(
        action="approve", reviewer=action.reviewer, tone=variant.tone.value, outcome="approved"
    )
    return _send(state, variant, f"approved by {action.reviewer}", record)


def _copied_instructions(state: PipelineState, variant: Variant) -> str | None:
    """What the critic found pasted from a hostile field or page into the draft, if anything.

    Other failed checks are the reviewer's call; text that instructs an AI, a withheld lead
    field's links or markup never go out, not even approved.
    """
    verdict = next((c for c in state.get("critiques") or [] if c.tone == variant.tone), None)
    check = (
        next((c for c in verdict.checks if c.name == "copied_instructions"), None)
        if verdict
        else None
    )
    return check.detail if check is not None and not check.passed else None
