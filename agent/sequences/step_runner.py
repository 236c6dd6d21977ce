"""Carry out one claimed step: check it may go, write it, and hand it on.

Writing goes through the lead pipeline (research or known facts, analysis, the writer, the
critic's loop, the send/queue/reject decision) as a checkpointed thread, so a step cut off
half-way resumes where it stopped. What happens next depends on the channel:

- email: the message is approved for the campaign's sender (the dispatcher sends it within the
  mailbox's caps, gaps and the step's window) or queued for a reviewer;
- SMS: an approved text is sent at once through the send ledger, inside the step's window;
- LinkedIn: the text becomes a task for a person (no API may send it);
- call: a call script is written from the facts and becomes a task.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, replace

from langchain_core.runnables import RunnableConfig
from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.spec import SendingPolicy
from agent.campaigns.stored import spec_of
from agent.runs.batch import advance_thread
from agent.runs.pipeline_factory import Pipeline
from agent.runs.results import internal_error_record, lead_record
from agent.sequences.claim_heartbeat import ClaimHeartbeat
from agent.sequences.step_events import EventKind, StepRecorder
from agent.sequences.tasks import call_task_fields
from agent.sequences.thread import StepInput, sequence_of, step_input
from agent.settings import Settings
from graphs.analysis import Analysis
from graphs.call_scripts import write_call_script
from graphs.sequence_turn import StepChannel
from graphs.state import PipelineInput
from prompts.loader import PromptError
from storage.database import Database
from storage.engagement import STOPS_LEAD
from storage.leads import latest_analysis
from storage.models import CampaignRow, LeadRow
from storage.outcomes import save_outcome
from storage.runs import ensure_run
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.sequences import locked_step
from storage.suppressions import phone_suppression_reason, suppression_reason
from storage.tasks import create_task
from tools.delivery.sms import e164

log = logging.getLogger("outreach.sequences")
PROMPT_RECHECK = dt.timedelta(hours=1)
"""How soon a step held for a missing pinned prompt file is tried again."""


def step_run_id(campaign_id: int, step: int) -> str:
    """Return the run a campaign's step is written under (one per step: counts by step)."""
    return f"seq-{campaign_id}-{step}"


def step_thread(campaign_id: int, step: int, lead_id: int) -> str:
    """Return the checkpoint thread of one lead's step."""
    return f"{step_run_id(campaign_id, step)}:lead:{lead_id}"


@dataclass(frozen=True)
class Gate:
    """Why a claimed step does not go ahead now (None: it does)."""

    status: str
    event: EventKind
    detail: str


def with_policy(pipeline: Pipeline, policy: SendingPolicy, *, follow_up: bool = False) -> Pipeline:
    """Return the pipeline deciding as the campaign says (auto-send, quality and relevance).

    Fit is judged once, at the first touch: a follow-up is held to the quality bar only, so a
    conversation is not dropped half-way because its news got older."""
    context = pipeline.context
    thresholds = replace(
        context.thresholds,
        min_quality_to_send=_or(policy.min_quality_to_send, context.thresholds.min_quality_to_send),
        min_relevance_to_send=_or(
            policy.min_relevance_to_send, context.thresholds.min_relevance_to_send
        ),
    )
    if follow_up:
        thresholds = replace(thresholds, min_relevance_to_send=0.0, relevance_floor=0.0)
    auto_send = context.auto_send if policy.auto_send is None else policy.auto_send
    return replace(pipeline, context=replace(context, thresholds=thresholds, auto_send=auto_send))


def with_prompt_pins(pipeline: Pipeline, pins: dict[str, str]) -> Pipeline:
    """Return the pipeline writing with the prompt versions the campaign pins (its
    `prompt_versions`): a first touch, every follow-up and a call script alike. PromptError
    names a pin that no longer loads (checked when the campaign was defined; a file may have
    been removed since)."""
    if not pins:
        return pipeline
    context = pipeline.context
    return replace(pipeline, context=replace(context, prompts=context.prompts.with_pins(pins)))


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


class StepRunner:
    """Write and hand on claimed steps, for one scheduler."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        pipeline: Pipeline,
        recorder: StepRecorder,
        *,
        worker: str,
    ) -> None:
        self.db = db
        self.settings = settings
        self.pipeline = pipeline
        self.recorder = recorder
        self.worker = worker
        self.heartbeat = ClaimHeartbeat(
            db, worker=worker, lease_s=settings.sequence_claim_lease_s, clock=self.now
        )

    def now(self) -> dt.datetime:
        """Return the scheduler's clock."""
        return self.pipeline.context.clock()

    async def run(self, step_id: int) -> None:
        """Carry out one claimed step; a failure skips it with the reason (the sequence goes on)."""
        try:
            prepared = await self._prepare(step_id)
            if prepared is None:
                return
            step_input_, channel = prepared
            try:
                pipeline = with_prompt_pins(self.pipeline, step_input_.prompt_pins)
            except PromptError as exc:  # a pinned file was removed: wait for it, skip nothing
                await self._hold(
                    step_id,
                    f"waiting: the campaign's prompt_versions cannot be loaded ({exc}); restore "
                    "the file or pin an available version",
                )
                return
            # The lease is renewed while the step is written; if it is lost all the same, the
            # writes below find the claim gone (locked_step) and store nothing.
            async with self.heartbeat.held(step_id):
                if channel is StepChannel.CALL:
                    await self._call_task(step_id, step_input_, pipeline)
                else:
                    await self._write(step_id, step_input_, pipeline)
        except Exception as exc:  # one step must never stop the tick
            log.exception("sequence step %s failed", step_id)
            await self._fail(step_id, f"{type(exc).__name__}: {exc}")

    async def _prepare(self, step_id: int) -> tuple[StepInput, StepChannel] | None:
        async with self.db.write_lock, self.db.sessions.begin() as session:
            step = await locked_step(session, step_id, self.worker)
            if step is None:
                return None  # taken back (lease expired) or stopped meanwhile
            campaign = await session.get(CampaignRow, step.campaign_id)
            lead = await session.get(LeadRow, step.lead_id)
            enrollment = await session.get(SequenceEnrollmentRow, step.enrollment_id)
            assert campaign is not None and lead is not None and enrollment is not None
            gate = await self._gate(session, step, campaign, lead, enrollment)
            if gate is not None:
                step.status, step.detail = gate.status, gate.detail
                step.claimed_by = step.claim_expires_at = None
                if gate.status in ("stopped", "skipped"):
                    step.finished_at = self.now()
                if gate.status == "stopped":
                    step.advanced = True
                    enrollment.status, enrollment.stop_reason = "stopped", gate.detail
                self.recorder.add(step, gate.event, gate.detail, at=self.now())
                return None
            # The lease runs from when the work starts, not from the claim (it may have waited).
            step.claim_expires_at = self.now() + dt.timedelta(
                seconds=self.settings.sequence_claim_lease_s
            )
            if step.message_id is not None:  # written by an attempt that was cut off
                step.status = "waiting"
                step.claimed_by = step.claim_expires_at = None
                return None
            sequence = sequence_of(campaign, enrollment.sequence_preset)
            prepared = await step_input(session, step, sequence)
            return prepared, StepChannel(step.channel)

    async def _gate(
        self,
        session: AsyncSession,
        step: SequenceStepRow,
        campaign: CampaignRow,
        lead: LeadRow,
        enrollment: SequenceEnrollmentRow,
    ) -> Gate | None:
        if lead.status in STOPS_LEAD or enrollment.status == "stopped":
            return Gate("stopped", "stopped", f"the lead {lead.status}")
        if campaign.status != "active" or enrollment.status == "paused":
            who = "campaign" if campaign.status != "active" else "lead"
            return Gate("paused", "paused", f"the {who} is paused")
        channel = StepChannel(step.channel)
        address = lead.phone if channel is StepChannel.SMS else lead.email
        if channel in (StepChannel.EMAIL, StepChannel.SMS) and not address:
            what = "phone number" if channel is StepChannel.SMS else "email address"
            return Gate("skipped", "skipped", f"the lead has no {what}")
        if channel is StepChannel.EMAIL and lead.email:
            reason = await suppression_reason(session, lead.email)
            if reason is not None:
                return Gate("stopped", "stopped", f"the address is suppressed ({reason})")
        if channel is StepChannel.SMS and lead.phone:
            try:
                number = e164(lead.phone, enrollment.country or self.settings.default_country)
            except ValueError as exc:
                return Gate("skipped", "skipped", f"the lead's phone number: {exc}")
            reason = await phone_suppression_reason(session, number)
            if reason is not None:
                return Gate("stopped", "stopped", f"the number is suppressed ({reason})")
        if channel.is_task and channel is not StepChannel.CALL and not lead.linkedin_url:
            return Gate("skipped", "skipped", "the lead has no LinkedIn profile")
        if channel is StepChannel.CALL and not lead.phone:
            return Gate("skipped", "skipped", "the lead has no phone number")
        return None

    async def _write(self, step_id: int, prepared: StepInput, pipeline: Pipeline) -> None:
        """Run the pipeline for the step and store its message; then settle it."""
        async with self.db.sessions() as session:
            step = await session.get(SequenceStepRow, step_id)
            assert step is not None
            campaign_id, number, lead_id = step.campaign_id, step.step, step.lead_id
        run_id = step_run_id(campaign_id, number)
        policy = await self._ensure_run(run_id, campaign_id)
        pipeline = with_policy(pipeline.for_run(run_id), policy, follow_up=number > 1)
        thread = step_thread(campaign_id, number, lead_id)
        config: RunnableConfig = {"configurable": {"thread_id": thread}}
        start = PipelineInput(
            lead=prepared.lead,
            campaign=prepared.campaign,
            turn=prepared.turn,
            known_facts=prepared.known_facts,
        )
        started = time.perf_counter()
        try:
            output = await advance_thread(pipeline, start, config)
            record = lead_record(
                number,
                output,
                provider=pipeline.models.provider,
                latency_ms=(time.perf_counter() - started) * 1000,
            )
        except Exception as exc:  # the step is held for a person, with the reason
            record = internal_error_record(
                number,
                prepared.lead.model_dump(exclude_none=True),
                f"{type(exc).__name__}: {exc}",
                provider=pipeline.models.provider,
            )
        record["thread_id"], record["lead_id"] = thread, lead_id
        async with self.db.write_lock, self.db.sessions.begin() as session:
            step = await locked_step(session, step_id, self.worker)
            if step is None:
                return  # another scheduler took it over; it finds the stored thread
            campaign = await session.get(CampaignRow, campaign_id)
            assert campaign is not None
            message = await save_outcome(
                session, run_id=run_id, campaign=campaign, record=record, step=number - 1
            )
            if message is None:
                step.status, step.detail = "skipped", record.get("reason") or "not written"
                step.claimed_by = step.claim_expires_at = None
                step.finished_at = self.now()
                return
            step.message_id, step.status = message.id, "waiting"
            step.claimed_by = step.claim_expires_at = None

    async def _call_task(self, step_id: int, prepared: StepInput, pipeline: Pipeline) -> None:
        """Write a call script from the facts and make it a task for a person."""
        async with self.db.sessions() as session:
            step = await session.get(SequenceStepRow, step_id)
            assert step is not None
            stored = await latest_analysis(session, lead_id=step.lead_id)
            lead_row = await session.get(LeadRow, step.lead_id)
            assert lead_row is not None
        analysis = Analysis.model_validate(stored.data) if stored is not None else None
        result = await write_call_script(
            lead=prepared.lead,
            campaign=prepared.campaign,
            facts=prepared.known_facts,
            analysis=analysis,
            turn=prepared.turn,
            context=pipeline.context,
        )
        if result.script is None:
            await self._fail(step_id, "; ".join(result.issues) or "no call script was written")
            return
        title, body, script, link = call_task_fields(
            prepared.lead.name,
            prepared.lead.company,
            lead_row.phone,
            result.script,
            issues=() if result.passed else result.issues,
        )
        async with self.db.write_lock, self.db.sessions.begin() as session:
            step = await locked_step(session, step_id, self.worker)
            if step is None:
                return
            await create_task(
                session,
                campaign_id=step.campaign_id,
                lead_id=step.lead_id,
                step_id=step.id,
                kind="call",
                title=title,
                body=body,
                script=script,
                link=link,
                due_at=self.now(),
            )
            step.status, step.claimed_by, step.claim_expires_at = "task", None, None
            step.detail = "call script ready" if result.passed else "; ".join(result.issues)
            self.recorder.add(step, "task", step.detail, at=self.now())

    async def _ensure_run(self, run_id: str, campaign_id: int) -> SendingPolicy:
        """Record the step's run the first time; return the campaign's sending policy."""
        async with self.db.write_lock, self.db.sessions.begin() as session:
            campaign = await session.get(CampaignRow, campaign_id)
            assert campaign is not None
            policy = spec_of(campaign).policy
            await ensure_run(
                session, run_id=run_id, campaign_id=campaign_id, options={"sequence": True}
            )
        return policy

    async def _hold(self, step_id: int, reason: str) -> None:
        """Give the step back, due again after PROMPT_RECHECK, with the reason on it: what is
        wrong is the campaign's, not the lead's, and skipping would burn through sequences."""
        async with self.db.write_lock, self.db.sessions.begin() as session:
            step = await session.get(SequenceStepRow, step_id, with_for_update=True)
            if step is None or step.status != "claimed" or step.claimed_by != self.worker:
                return
            step.status, step.detail = "scheduled", reason[:2000]
            step.claimed_by = step.claim_expires_at = None
            step.due_at = self.now() + PROMPT_RECHECK
        log.warning("sequence step %s: %s", step_id, reason)

    async def _fail(self, step_id: int, reason: str) -> None:
        async with self.db.write_lock, self.db.sessions.begin() as session:
            step = await session.get(SequenceStepRow, step_id, with_for_update=True)
            if step is None or step.status != "claimed" or step.claimed_by != self.worker:
                return
            # Skipped, so the sequence goes on to its next step; the reason stays on the step.
            step.status, step.detail = "skipped", f"failed: {reason}"[:2000]
            step.claimed_by = step.claim_expires_at = None
            step.finished_at = self.now()
            self.recorder.add(step, "skipped", f"failed: {reason}", at=self.now())
