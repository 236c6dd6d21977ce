"""Call scripts: what a person says when a sequence step is a phone call.

A call is not a message: nobody sends it, a person reads it. The script is written from the
same facts and analysis as the messages (one model call, structured output), checked like a
message is (every claim about the lead in the facts, no placeholders, a voicemail short enough
to leave), rewritten once with the problems as feedback, and handed back either way: a script
that still fails goes to the person flagged with its issues, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from graphs.analysis import Analysis, Hook
from graphs.context import PipelineContext
from graphs.critic.call_script_checks import MAX_VOICEMAIL_WORDS, call_script_issues
from graphs.lead import Campaign, Lead
from graphs.lead_screening import screen_lead
from graphs.nodes.model_step import prompt_use, run_model_step
from graphs.outcome import PipelineError, PromptUse, Usage
from graphs.research import found_nothing
from graphs.sequence_turn import EarlierMessage, SequenceTurn
from graphs.task_inputs import FactBrief, data_block
from tools.facts import Fact

STAGE = "call_script"
_Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


def _first_two(value: Any) -> Any:
    """Keep the first two items of a longer list: a third question is not a reason to re-ask."""
    return value[:2] if isinstance(value, list) else value


class Objection(BaseModel):
    """Something the lead is likely to say, and an honest answer that keeps the call going."""

    model_config = ConfigDict(str_strip_whitespace=True)

    objection: str = Field(min_length=1, max_length=300, description="What the lead may say.")
    answer: str = Field(min_length=1, max_length=800, description="What the caller answers.")


class CallScript(BaseModel):
    """A script a person can read from on a call; any answer that validates is usable."""

    model_config = ConfigDict(str_strip_whitespace=True)

    opener: str = Field(
        min_length=1,
        max_length=400,
        description="One sentence naming the caller and their company.",
    )
    reason: str = Field(
        min_length=1,
        max_length=1200,
        description="Why we call, built on one fact about the lead, then what we offer.",
    )
    reason_fact_ids: list[str] = Field(
        default_factory=list,
        description="The id of the fact the reason is built on (empty only with no facts).",
    )
    discovery_questions: list[_Line] = Field(
        min_length=2, max_length=2, description="Exactly two open questions."
    )
    objections: list[Objection] = Field(
        min_length=2,
        max_length=2,
        description="The two likeliest objections (e.g. timing, an existing solution or budget).",
    )
    voicemail: str = Field(
        min_length=1,
        max_length=1000,
        description=f"At most {MAX_VOICEMAIL_WORDS} words; names the caller and ends asking for "
        "a call back; no phone number or placeholder.",
    )

    _keep_two = field_validator("discovery_questions", "objections", mode="before")(_first_two)

    @field_validator("reason_fact_ids", mode="before")
    @classmethod
    def _distinct(cls, value: Any) -> Any:
        return list(dict.fromkeys(value)) if isinstance(value, list) else value

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Return every part the caller says (or hears), labelled for issues."""
        parts = [("opener", self.opener), ("reason", self.reason)]
        parts += [(f"question {i}", q) for i, q in enumerate(self.discovery_questions, 1)]
        for i, item in enumerate(self.objections, 1):
            parts += [(f"objection {i}", item.objection), (f"answer {i}", item.answer)]
        parts.append(("voicemail", self.voicemail))
        return parts


class CallScriptFeedback(BaseModel):
    """The previous script and what the checks found wrong with it."""

    previous: CallScript
    issues: list[str]


class CallScriptInput(BaseModel):
    """Everything the call-script writer sees (an LLM or the offline writer)."""

    task: Literal["call_script"] = "call_script"
    today: dt.date
    lead: Lead
    campaign: Campaign
    facts: list[FactBrief]
    hooks: list[Hook] = Field(default_factory=list, description="The analysis' hooks, best first.")
    earlier: list[EarlierMessage] = Field(
        default_factory=list, description="Messages of this lead's sequence sent before the call."
    )
    max_voicemail_words: int = MAX_VOICEMAIL_WORDS
    feedback: CallScriptFeedback | None = None


@dataclass(frozen=True)
class CallScriptResult:
    """A written call script with its check results, or why none could be written."""

    script: CallScript | None
    """None only when no model (nor the fallback) produced a usable answer."""
    issues: list[str]
    passed: bool
    usage: Usage
    prompt: PromptUse
    templates: dict[str, PromptUse] = field(default_factory=dict)
    """Writer templates used (the offline writer's), by id."""
    errors: list[PipelineError] = field(default_factory=list)
    fallback_used: bool = False
    attempts: int = 0


def call_script_input(
    *,
    lead: Lead,
    campaign: Campaign,
    facts: Sequence[Fact],
    analysis: Analysis | None,
    turn: SequenceTurn | None,
    today: dt.date,
) -> CallScriptInput:
    """Build the writer's input: the screened lead, and no facts for an unresearched lead."""
    unresearched = found_nothing(facts) or (analysis is not None and analysis.unpersonalized)
    return CallScriptInput(
        today=today,
        lead=screen_lead(lead).lead,
        campaign=campaign,
        facts=[] if unresearched else [FactBrief.of(f) for f in facts],
        hooks=[] if unresearched or analysis is None else list(analysis.hooks),
        earlier=list(turn.earlier) if turn is not None else [],
    )


async def write_call_script(
    *,
    lead: Lead,
    campaign: Campaign,
    facts: Sequence[Fact],
    analysis: Analysis | None,
    turn: SequenceTurn | None,
    context: PipelineContext,
) -> CallScriptResult:
    """Write a call script for the lead, check it, and rewrite it once if the checks fail.

    The writer is context.writer with context.prompts["call_script"]; context.fallback (the
    offline writer, usually) answers when it cannot. The result's script is the one with the
    fewest issues; passed is False (with the issues) when even the rewrite fails a check.
    """
    payload = call_script_input(
        lead=lead,
        campaign=campaign,
        facts=facts,
        analysis=analysis,
        turn=turn,
        today=context.clock().date(),
    )
    # An unresearched lead's script is checked like an unpersonalized message: no facts.
    checked_facts = list(facts) if payload.facts else []
    prompt = context.prompts[STAGE]
    usage, errors = Usage(), list[PipelineError]()
    templates: dict[str, PromptUse] = {}
    fallback_used = False
    best: tuple[CallScript, list[str]] | None = None
    attempts = 0
    for attempt in (1, 2):
        step = await run_model_step(
            stage=STAGE,
            model=context.writer,
            context=context,
            prompt=prompt,
            values={"payload": data_block(payload)},
            schema=CallScript,
        )
        attempts = attempt
        usage = usage + step.usage
        errors += step.errors
        templates.update(step.templates)
        fallback_used = fallback_used or step.fallback_used
        if step.value is None:
            break  # the model and its fallback gave up: a second round would too
        script: CallScript = step.value
        issues = call_script_issues(script, lead=lead, campaign=campaign, facts=checked_facts)
        if best is None or len(issues) <= len(best[1]):
            best = (script, issues)
        if not issues:
            break
        payload = payload.model_copy(
            update={"feedback": CallScriptFeedback(previous=script, issues=issues)}
        )
    if best is None:
        reasons = "; ".join(e.message for e in errors) or "the model gave no answer"
        return CallScriptResult(
            script=None,
            issues=[f"no call script could be written: {reasons}"],
            passed=False,
            usage=usage,
            prompt=prompt_use(prompt),
            templates=templates,
            errors=errors,
            fallback_used=fallback_used,
            attempts=attempts,
        )
    script, issues = best
    return CallScriptResult(
        script=script,
        issues=issues,
        passed=not issues,
        usage=usage,
        prompt=prompt_use(prompt),
        templates=templates,
        errors=errors,
        fallback_used=fallback_used,
        attempts=attempts,
    )
