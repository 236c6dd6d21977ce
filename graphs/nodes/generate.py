"""generate: write the variants, or rewrite only those the critic failed.

The reply has one required field per tone being written (graphs/draft_reply.py): a reply that
fits has every tone asked, one missing a tone is refused and re-asked like any invalid JSON.

A lead research found nothing about is written for from its row and the campaign alone: the
writer gets no facts, and its reply (plain) has no place for a hook.

A sequence's follow-up (a turn whose kind is not first_touch) is written with the prompt of its
step kind (follow_up_<kind>) and the thread in its input: the hooks offered are those citing
facts no earlier message used, and an email answers the thread with "Re: <its subject>".
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.analysis import Analysis
from graphs.context import PipelineContext
from graphs.critic.thread_checks import unused_hooks
from graphs.draft_reply import DraftsReply, drafts_reply
from graphs.drafts import TONES, Tone, Variant
from graphs.lead import Channel
from graphs.lead_language import writable_language
from graphs.lead_screening import screen_lead
from graphs.learning_use import LearningUse, learning_for
from graphs.nodes.model_step import prompt_use, run_model_step
from graphs.sequence_turn import SequenceTurn, StepKind
from graphs.sms_suffix import sms_suffix
from graphs.state import PipelineState
from graphs.task_inputs import (
    FactBrief,
    Feedback,
    FollowUpStep,
    GenerateInput,
    channel_rules,
    data_block,
)
from graphs.template_variables import fill_variables, template_values, without_variables


def tones_to_write(state: PipelineState) -> list[Tone]:
    """Return every tone on the first round, then only the ones that failed."""
    critiques = state.get("critiques") or []
    if not critiques:
        return list(TONES)
    return [c.tone for c in critiques if not c.passed]


def _feedback(state: PipelineState, tones: list[Tone]) -> dict[Tone, Feedback]:
    drafts = {v.tone: v for v in state.get("variants", [])}
    notes: dict[Tone, Feedback] = {}
    if state.get("instruction") and not state.get("critiques"):
        # A reviewer asked for a rewrite: show the drafts they saw, to revise as instructed.
        return {
            tone: Feedback(
                previous_subject=drafts[tone].subject,
                previous_body=drafts[tone].body,
                issues=[],
                instructions=[],
            )
            for tone in tones
            if tone in drafts
        }
    for critique in state.get("critiques") or []:
        if critique.tone in tones and critique.tone in drafts:
            draft = drafts[critique.tone]
            notes[critique.tone] = Feedback(
                previous_subject=draft.subject,
                previous_body=draft.body,
                issues=critique.issues,
                instructions=critique.improvement_instructions,
            )
    return notes


def follow_up_turn(state: PipelineState) -> SequenceTurn | None:
    """Return the sequence turn when this message is a follow-up, None for a first touch."""
    turn = state.get("turn")
    return turn if turn is not None and turn.kind is not StepKind.FIRST_TOUCH else None


def reply_subject(turn: SequenceTurn) -> str | None:
    """Return "Re: <the thread's subject>" for an email follow-up, None without an email."""
    subject = turn.thread_subject
    if subject is None:
        return None
    return subject if subject.casefold().startswith("re:") else f"Re: {subject}"


def _for_follow_up(analysis: Analysis, turn: SequenceTurn) -> Analysis:
    """Offer the writer only hooks citing facts no earlier message used."""
    return analysis.model_copy(update={"hooks": unused_hooks(analysis.hooks, turn)})


def _subject(
    written: str | None,
    turn: SequenceTurn | None,
    channel: Channel,
    withheld: frozenset[str],
    values: dict[str, str],
) -> str | None:
    """Return a draft's subject: a follow-up email answers the thread ("Re: <its subject>",
    set here, not left to the model); a follow-up on another channel has none."""
    if turn is not None:
        if channel is not Channel.EMAIL:
            return None
        thread = reply_subject(turn)
        if thread is not None:
            return thread
    return fill_variables(without_variables(written, withheld), values) if written else None


def _segment_record(state: PipelineState) -> dict[str, Any] | None:
    """Return the segment the drafts are written for, as the message records it."""
    placement = state.get("segment")
    return dict(placement) if placement else None


async def generate(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Write drafts for the needed tones in one model call."""
    context = runtime.context
    lead = state["lead"]
    language = state.get("language", "en")
    # The pitch, short pitch and ask in the language written in, where the campaign has them.
    # The writer sees only the copy it writes with, not every language's.
    original = state["campaign"]
    campaign = original.in_language(language).model_copy(update={"translations": {}})
    copy_language = None if original.writes_in(language) else (original.language or "en")
    analysis = state.get("analysis")
    assert analysis is not None, "generate runs only after a successful analysis"
    tones = tones_to_write(state)
    attempt = state.get("attempts", 0) + 1
    # Lead fields are untrusted: the writer sees the screened lead, and a template sentence
    # that would paste a withheld field is dropped.
    screen = screen_lead(lead)
    withheld = screen.withheld_variables
    values = template_values(lead, campaign)
    if campaign.template:
        template = fill_variables(without_variables(campaign.template, withheld), values)
        campaign = campaign.model_copy(update={"template": template or None})
    facts = [] if analysis.unpersonalized else state.get("facts", [])
    turn = follow_up_turn(state)
    prompt = context.prompts[f"follow_up_{turn.kind}" if turn else "generate"]
    learned: LearningUse = await learning_for(
        context, state, analysis, facts, examples="examples" in prompt.meta.variables
    )
    analysis = learned.analysis
    payload = GenerateInput(
        today=runtime.context.clock().date(),
        channel=campaign.channel,
        language=language,
        copy_language=copy_language,
        sms_suffix=sms_suffix(state, language),
        tones=tones,
        attempt=attempt,
        lead=screen.lead,
        campaign=campaign,
        analysis=_for_follow_up(analysis, turn) if turn else analysis,
        facts=[FactBrief.of(f) for f in facts],
        feedback=_feedback(state, tones),
        reviewer_instruction=state.get("instruction"),
        sequence=FollowUpStep.of(turn, campaign.channel, facts) if turn else None,
        learned=learned.style,
    )
    reply = drafts_reply(tones, plain=analysis.unpersonalized)
    prompt_values = {
        "channel_rules": channel_rules(campaign, context.critic, follow_up=turn is not None),
        "payload": data_block(payload),
    }
    if "reply_shape" in prompt.meta.variables:
        # generate v4 and follow_up_* v3 on show the reply's exact keys; a pinned older version
        # describes a list of variants itself, which the reply model reads too.
        prompt_values["reply_shape"] = reply.shape()
    if "examples" in prompt.meta.variables:
        prompt_values["examples"] = learned.examples_block()
    step = await run_model_step(
        stage="generate",
        model=context.writer,
        context=context,
        prompt=prompt,
        values=prompt_values,
        schema=reply,
    )
    update: dict[str, Any] = {
        "usage": step.usage,
        "errors": step.errors,
        "prompts": {
            prompt.id: prompt_use(prompt).model_copy(
                update={"learning": learned.record, "segment": _segment_record(state)}
            ),
            **step.templates,
        },
        "attempts": 1,
        "fallback_used": ["generate"] if step.fallback_used else [],
    }
    if step.value is None:
        return update
    # The offline fallback writes the language only with the campaign's own copy in it (the
    # same rule as when it is the run's writer: graphs/lead_language.py).
    written, why = writable_language((language, ""), state["campaign"], context.fallback_languages)
    if step.fallback_used and written != language:
        # The model failed and the offline writer wrote these drafts in English: the critic
        # checks them, and the result records them, as English.
        update["language"] = "en"
        reason = state.get("language_reason", "")
        why = why.removeprefix(", but ")
        update["language_reason"] = f"{reason}; the model failed and the offline writer wrote "
        update["language_reason"] += f"English: {why}"
    drafts: DraftsReply = step.value
    previous = {(v.tone, v.subject, v.body) for v in state.get("variants", [])}
    new_variants = [
        Variant(
            tone=draft.tone,
            subject=_subject(draft.subject, turn, campaign.channel, withheld, values),
            body=fill_variables(without_variables(draft.body, withheld), values),
            hooks=draft.hooks,
            attempt=attempt,
        )
        for draft in drafts.drafts()
    ]
    update["variants"] = new_variants
    update["stalled"] = bool(previous) and all(
        (v.tone, v.subject, v.body) in previous for v in new_variants
    )
    return update
