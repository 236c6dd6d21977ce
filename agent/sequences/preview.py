"""Preview a campaign's whole sequence for one lead before launch: every step's draft.

Each step is written as the scheduler would write it, through the same checkpointed pipeline
(the lead's stored facts, the writer, the critic's loop, the send/queue/reject decision), with
the drafts of the steps before it in its thread as if they had gone out; a call step gets its
call script. Nothing is sent or stored: the outbox is a send queue that only approves, the
threads live under a throwaway `preview-…` run id, and their checkpoints are deleted at the
end (they hold the lead's facts, which an erasure would not know to find there).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig

from agent.campaigns.spec import CampaignNeedsPitch
from agent.campaigns.stored import spec_of
from agent.delivery.send_schedule import timezone_named
from agent.runs.background import lead_from_row
from agent.runs.batch import advance_thread
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.pipeline_factory import Pipeline
from agent.sequences.business_days import due_after
from agent.sequences.definition import SequenceStep
from agent.sequences.enrollment import lead_place
from agent.sequences.operations import SequenceConflict, campaign_row, sequence_of_campaign
from agent.sequences.step_runner import with_policy, with_prompt_pins
from agent.sequences.thread import fact_of, step_campaign
from agent.settings import Settings
from graphs.analysis import Analysis
from graphs.call_scripts import write_call_script
from graphs.drafts import Critique, Variant
from graphs.lead import Campaign, Lead
from graphs.outcome import Action, Decision
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel
from graphs.state import PipelineInput, merge_facts
from prompts.loader import PromptError
from storage.database import Database
from storage.leads import latest_analysis, lead_facts
from storage.models import MAX_ROW_ID, LeadRow
from tools.delivery.send_queue import SendQueue
from tools.facts import Fact

PREVIEW_PREFIX = "preview-"


@dataclass(frozen=True)
class StepPreview:
    """One step's draft, as the scheduler would write it for this lead."""

    step: int
    kind: str
    channel: str
    delay_business_days: int
    due_offset_business_days: int
    """Business days after enrolment (the sum of the delays up to this step)."""
    planned_at: dt.datetime
    """When it would go if the lead were enrolled now and every step went on time."""
    decision: str
    """send, queue (a person reviews it first) or reject; a call step is a task."""
    reason: str
    tone: str | None = None
    subject: str | None = None
    body: str = ""
    hooks: list[dict[str, Any]] = field(default_factory=list)
    """The chosen draft's hooks: text and the fact ids behind it."""
    issues: list[str] = field(default_factory=list)
    """What the critic (or the call script's checks) found wrong with the chosen draft."""
    call_script: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the preview as JSON-ready values."""
        data = asdict(self)
        data["planned_at"] = self.planned_at.isoformat()
        return data


def _model(value: Any, model: type[Any]) -> Any:
    return model.model_validate(value) if isinstance(value, Mapping) else value


def chosen_draft(output: Mapping[str, Any]) -> tuple[Variant | None, Critique | None]:
    """Return the draft decide chose (else the critic's best) and its critique."""
    variants = [_model(v, Variant) for v in output.get("variants") or []]
    critiques = {c.tone: c for c in (_model(c, Critique) for c in output.get("critiques") or [])}
    decision = _model(output.get("decision"), Decision) if output.get("decision") else None
    tone = decision.selected_tone if decision is not None else None
    if tone is None and critiques:
        tone = max(critiques.values(), key=lambda c: c.score).tone
    chosen = next((v for v in variants if v.tone == tone), variants[0] if variants else None)
    return chosen, critiques.get(chosen.tone) if chosen is not None else None


@dataclass
class _Thread:
    """What the steps written so far leave for the next: facts, analysis and the thread."""

    facts: list[Fact]
    analysis: Analysis | None
    earlier: list[EarlierMessage] = field(default_factory=list)
    threads: list[str] = field(default_factory=list)


async def preview_sequence(
    settings: Settings,
    db: Database,
    campaign_row_id: int,
    lead_id: int,
    *,
    clock: Callable[[], dt.datetime],
) -> list[StepPreview]:
    """Write every step of the campaign's sequence for one lead; send and store nothing.

    LookupError: no such campaign or lead; NoSequence; SequenceConflict: no pitch to write from.
    """
    async with db.sessions() as session:
        campaign = await campaign_row(session, campaign_row_id)
        sequence = sequence_of_campaign(campaign)
        spec = spec_of(campaign)
        try:
            spec.pipeline_campaign()
        except CampaignNeedsPitch as exc:
            raise SequenceConflict(str(exc)) from None
        lead_row = await session.get(LeadRow, lead_id) if 0 < lead_id <= MAX_ROW_ID else None
        if lead_row is None:
            raise LookupError(f"there is no lead {lead_id}")
        facts = [fact_of(row) for row in await lead_facts(session, lead_id=lead_id)]
        stored = await latest_analysis(session, lead_id=lead_id)
    lead = lead_from_row(lead_row)
    zone, country = lead_place(lead_row, settings)
    run_id = f"{PREVIEW_PREFIX}{uuid.uuid4().hex[:12]}"
    state = _Thread(facts, Analysis.model_validate(stored.data) if stored is not None else None)
    previews: list[StepPreview] = []
    async with open_durable_pipeline(
        settings, db=db, run_id=run_id, record_sends=False, outbox=SendQueue(), clock=clock
    ) as (_, opened):
        try:  # written with the prompt versions the campaign pins, as the scheduler writes
            pipeline = with_prompt_pins(with_policy(opened, spec.policy), spec.prompt_versions)
        except PromptError as exc:
            raise SequenceConflict(
                f"the campaign's prompt_versions cannot be loaded ({exc}); set them to "
                "available versions"
            ) from None
        moment, offset = clock(), 0
        try:
            for number, planned in enumerate(sequence.steps, start=1):
                offset += planned.delay_business_days
                tz = timezone_named(zone, settings.default_timezone)
                moment = due_after(
                    moment,
                    planned.delay_business_days,
                    tz=tz,
                    country=country,
                    window=planned.hours,
                )
                turn = SequenceTurn(
                    step=number,
                    kind=planned.kind,
                    channel=planned.channel,
                    earlier=list(state.earlier),
                    is_last=number == len(sequence.steps),
                )
                written_for = step_campaign(campaign, planned.channel)
                where = (number, planned, offset, moment)
                if planned.channel is StepChannel.CALL:
                    previews.append(await _call(pipeline, lead, written_for, turn, state, where))
                else:
                    thread = f"{run_id}:step:{number}"
                    state.threads.append(thread)
                    previews.append(
                        await _message(pipeline, lead, written_for, turn, state, where, thread)
                    )
        finally:
            saver = pipeline.graph.checkpointer
            if saver is not None and not isinstance(saver, bool):
                for thread in state.threads:
                    await saver.adelete_thread(thread)
    return previews


Where = tuple[int, SequenceStep, int, dt.datetime]


def _frame(where: Where, decision: str, reason: str) -> dict[str, Any]:
    number, planned, offset, moment = where
    return {
        "step": number,
        "kind": planned.kind.value,
        "channel": planned.channel.value,
        "delay_business_days": planned.delay_business_days,
        "due_offset_business_days": offset,
        "planned_at": moment,
        "decision": decision,
        "reason": reason,
    }


async def _message(
    pipeline: Pipeline,
    lead: Lead,
    campaign: Campaign,
    turn: SequenceTurn,
    state: _Thread,
    where: Where,
    thread: str,
) -> StepPreview:
    config: RunnableConfig = {"configurable": {"thread_id": thread}}
    start = PipelineInput(lead=lead, campaign=campaign, turn=turn, known_facts=state.facts)
    output = await advance_thread(pipeline, start, config)
    state.facts = merge_facts(state.facts, [_model(f, Fact) for f in output.get("facts") or []])
    analysis = output.get("analysis")
    state.analysis = _model(analysis, Analysis) if analysis is not None else state.analysis
    decision: Decision = _model(output["decision"], Decision)
    chosen, critique = chosen_draft(output)
    if chosen is not None and decision.action is not Action.REJECT:
        state.earlier.append(  # as if it had gone out: the next step must not repeat it
            EarlierMessage(
                step=turn.step,
                kind=turn.kind,
                channel=turn.channel,
                subject=chosen.subject,
                body=chosen.body,
                hooks=[hook.text for hook in chosen.hooks],
                fact_ids=[i for hook in chosen.hooks for i in hook.fact_ids],
                sent_at=where[3],
            )
        )
    return StepPreview(
        **_frame(where, decision.action.value, decision.reason),
        tone=chosen.tone.value if chosen is not None else None,
        subject=chosen.subject if chosen is not None else None,
        body=chosen.body if chosen is not None else "",
        hooks=[hook.model_dump() for hook in chosen.hooks] if chosen is not None else [],
        issues=critique.issues if critique is not None else [],
    )


async def _call(
    pipeline: Pipeline,
    lead: Lead,
    campaign: Campaign,
    turn: SequenceTurn,
    state: _Thread,
    where: Where,
) -> StepPreview:
    result = await write_call_script(
        lead=lead,
        campaign=campaign,
        facts=state.facts,
        analysis=state.analysis,
        turn=turn,
        context=pipeline.context,
    )
    if result.script is None:
        reason = "no call script could be written: " + ("; ".join(result.issues) or "no reason")
    elif result.passed:
        reason = "call script ready: a task for a person"
    else:
        reason = "call script written with issues: the person reads it before calling"
    return StepPreview(
        **_frame(where, "task", reason),
        body=result.script.voicemail if result.script is not None else "",
        issues=list(result.issues),
        call_script=result.script.model_dump(mode="json") if result.script is not None else None,
    )
