"""Batch runs started over the API: they run in the background and survive a restart.

A run row is written before the request returns, with everything needed to run it again (lead
ids, template, custom context, prompt pins). Each lead runs as a checkpointed LangGraph thread
and its outcome is committed as soon as it is known, so a run cut off by a restart resumes on
the next start-up: finished leads are skipped and unfinished ones continue from their last
completed step. The process-wide run lock keeps two servers from resuming the same run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from agent.campaigns.stored import campaign_pins, campaign_settings, pipeline_campaign
from agent.leads.files import LeadFile
from agent.runs.batch import BatchSummary, lead_key, run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.queued_runs import (
    WORKERS_QUIET,
    RunQueue,
    WorkersBusy,
    enqueue_or_fail,
    requeue_run,
    requeue_unfinished,
    wait_for_run,
)
from agent.runs.run_checks import LeadsTaken, TakenPolicy, check_prompt_pins, failure_reason
from agent.runs.store import RunNotResumable, RunStore
from agent.settings import Settings
from graphs.lead import LANGUAGES, Campaign, Lead
from storage.checkpoints import thread_id
from storage.database import Database
from storage.leads import lead_rows
from storage.messages import taken_leads
from storage.models import CampaignRow, LeadRow, RunRow
from storage.run_lock import RunBusy, hold_run, run_is_busy
from storage.runs import RESUMABLE, finish_run, quiet_for, resumable_runs, start_run
from tools.delivery.send_queue import SendQueue
from tools.facts import utc_now

log = logging.getLogger(__name__)


def lead_from_row(row: LeadRow) -> Lead:
    """Return the pipeline's view of a stored lead."""
    return Lead(
        name=row.name,
        company=row.company,
        email=row.email,
        title=row.title,
        phone=row.phone,
        profile_url=row.profile_url,
        company_url=row.company_url,
        linkedin_url=row.linkedin_url,
        industry=row.industry,
        language=row.language if row.language in LANGUAGES else None,
        source=row.source or f"lead:{row.id}",
        extra={k: str(v) for k, v in (row.extra or {}).items() if v is not None},
    )


@dataclass(frozen=True)
class RunRequest:
    """What a run was asked to do; stored in the run row so a restart can finish it."""

    lead_ids: list[int]
    template: str | None = None
    custom_context: str | None = None

    def options(self) -> dict[str, Any]:
        """Return the run row's options."""
        return {
            "api": True,
            "lead_ids": self.lead_ids,
            "template": self.template,
            "custom_context": self.custom_context,
        }

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> RunRequest:
        """Read a stored run's request back."""
        return cls(
            lead_ids=[int(i) for i in options.get("lead_ids", [])],
            template=options.get("template"),
            custom_context=options.get("custom_context"),
        )


class ResumeRefused(RunNotResumable):
    """A run resume() will not start again; the message says why, `reason` which case it is."""

    def __init__(
        self, message: str, *, reason: Literal["unknown", "finished", "running", "elsewhere"]
    ) -> None:
        super().__init__(message)
        self.reason = reason


class BackgroundRuns:
    """Start, track and resume the API's batch runs: in this process, or, given a queue, on
    the workers (the run row and its leads are the same; the workers write the outcomes)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utc_now,
        queue: RunQueue | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.queue = queue
        self._slots = asyncio.Semaphore(settings.max_parallel_runs)
        self._tasks: dict[str, asyncio.Task[BatchSummary | None]] = {}
        self._listeners: dict[str, Callable[[dict[str, Any]], None]] = {}

    async def start(
        self,
        campaign: CampaignRow,
        request: RunRequest,
        *,
        on_record: Callable[[dict[str, Any]], None] | None = None,
        taken: TakenPolicy = "allow",
    ) -> str:
        """Record a new run and start it; return its id at once.

        on_record, if given, is called with each lead's record once it is stored. taken says
        what to do with leads whose message is settled or that another unfinished run of the
        campaign is writing: "refuse" raises LeadsTaken, "skip" leaves them out (LeadsTaken
        if none is left), "allow" runs them (their stored message stands). The check and the
        new run row are one transaction, with the campaign row locked (PostgreSQL) and the
        process's write lock held, so two requests for one lead cannot both start.
        """
        run_id = uuid.uuid4().hex[:12]
        async with self.db.write_lock, self.db.sessions.begin() as session:
            if taken != "allow":
                await session.get(CampaignRow, campaign.id, with_for_update=True)
                found = await taken_leads(
                    session, campaign_id=campaign.id, lead_ids=request.lead_ids
                )
                kept = [i for i in request.lead_ids if i not in {t.lead_id for t in found}]
                if found and (taken == "refuse" or not kept):
                    rows = await lead_rows(session, ids=[t.lead_id for t in found])
                    raise LeadsTaken(campaign.id, found, {row.id: row.name for row in rows})
                request = replace(request, lead_ids=kept)
            await start_run(
                session,
                run_id=run_id,
                campaign_id=campaign.id,
                total=len(request.lead_ids),
                options={**request.options(), **({"distributed": True} if self.queue else {})},
            )
        if self.queue is not None:  # the workers take it from here; progress is in the run row
            await enqueue_or_fail(self.db, self.queue, run_id, request.lead_ids)
            return run_id
        if on_record is not None:
            self._listeners[run_id] = on_record
        self._spawn(run_id, resume=False)
        return run_id

    async def resume_unfinished(self) -> list[str]:
        """Start again every API run a stop or crash cut off; return their ids."""
        async with self.db.sessions() as session:
            runs = [
                row.id
                for row in await resumable_runs(session)
                if row.options.get("api") and not row.options.get("distributed")
            ]
        for run_id in runs:
            self._spawn(run_id, resume=True)
        if self.queue is not None:  # queued runs: their unfinished leads go to the workers again
            runs += await requeue_unfinished(self.db, self.queue)
        return runs

    async def resume(self, run_id: str) -> None:
        """Work on one run a stop or crash cut off again, now: the leads it finished are
        skipped, the others continue from their last completed step.

        Raises ResumeRefused (see resume_refusal) for a run that does not exist, is
        finished, is being worked on, or is not this server's to run.
        """
        async with self.db.sessions() as session:
            run = await session.get(RunRow, run_id)
        if run is None:
            raise ResumeRefused(f"there is no run {run_id}", reason="unknown")
        if refusal := await self.resume_refusal(run):
            raise refusal
        if run.options.get("distributed") and self.queue is not None:
            # On the workers: the leads not done go back on the queue (one done is skipped).
            try:
                await requeue_run(self.db, self.queue, run)
            except WorkersBusy as busy:  # another resume came first, or a lead was stored
                raise ResumeRefused(str(busy), reason="running") from None
            return
        if run_id in self._tasks:  # again: another resume may have started it meanwhile
            raise self._running(run_id)
        self._spawn(run_id, resume=True)

    async def resume_refusal(self, run: RunRow) -> ResumeRefused | None:
        """Return why resume() would refuse the run, or None if it would resume it: finished,
        worked on by this process or another, or not this server's (started by the CLI, or on
        the workers while this server has no broker). A run on the workers is re-queued."""
        if run.status not in RESUMABLE:
            return ResumeRefused(
                f"run {run.id} is {run.status}: there is nothing left to resume", reason="finished"
            )
        if not run.options.get("api"):
            return ResumeRefused(
                f"run {run.id} does not run in the server: a CLI run resumes by running the "
                f"same `outreach run LEADS --out FILE` command again with `--resume {run.id}` "
                "(`--distributed` runs: the same command again)",
                reason="elsewhere",
            )
        if run.options.get("distributed"):
            if self.queue is None:
                return ResumeRefused(
                    f"run {run.id} runs on the workers, and this server has no broker "
                    "(OUTREACH_BROKER_URL): a server with one re-queues it",
                    reason="elsewhere",
                )
            return await self._workers_busy(run)
        if run.id in self._tasks or await run_is_busy(self.db, run.id):
            return self._running(run.id)
        return None

    async def _workers_busy(self, run: RunRow) -> ResumeRefused | None:
        """Refuse while the workers show signs of working on the run (see WORKERS_QUIET); a
        run whose workers went quiet (a broker that lost its queue, every worker gone) is
        queued again."""
        async with self.db.sessions() as session:
            quiet = await quiet_for(session, run=run)
        if quiet >= WORKERS_QUIET:
            return None
        return ResumeRefused(str(WorkersBusy(run.id, quiet)), reason="running")

    @staticmethod
    def _running(run_id: str) -> ResumeRefused:
        return ResumeRefused(
            f"run {run_id} is still being worked on; reload to follow it", reason="running"
        )

    async def wait(self, run_id: str) -> BatchSummary | None:
        """Wait for a run started by this process to end (a distributed one: its workers)."""
        task = self._tasks.get(run_id)
        if task is not None:
            return await asyncio.shield(task)
        if self.queue is not None:
            await wait_for_run(self.db, run_id)
        return None

    async def close(self) -> None:
        """Stop running work; the runs stay resumable and continue on the next start."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _spawn(self, run_id: str, *, resume: bool) -> None:
        task = asyncio.create_task(self._run(run_id, resume=resume), name=f"run-{run_id}")
        self._tasks[run_id] = task
        task.add_done_callback(lambda _: self._forget(run_id))

    def _forget(self, run_id: str) -> None:
        self._tasks.pop(run_id, None)
        self._listeners.pop(run_id, None)

    async def _load(self, run_id: str) -> tuple[CampaignRow, RunRequest, list[tuple[int, Lead]]]:
        async with self.db.sessions() as session:
            run = await session.get(RunRow, run_id)
            assert run is not None, f"unknown run {run_id}"
            campaign = await session.get(CampaignRow, run.campaign_id)
            assert campaign is not None
            request = RunRequest.from_options(run.options)
            rows = await lead_rows(session, ids=request.lead_ids)
            # Leads erased since the run started are simply gone from it.
            leads = sorted((row.id, lead_from_row(row)) for row in rows)
        return campaign, request, leads

    async def _run(self, run_id: str, *, resume: bool) -> BatchSummary | None:
        async with self._slots:
            try:
                async with hold_run(self.db, run_id):
                    if resume and not await self._still_resumable(run_id):
                        return None  # finished by another process between the check and now
                    return await self._execute(run_id, resume=resume)
            except RunBusy:
                log.info("run %s is being worked on by another process", run_id)
                return None
            except Exception as exc:
                log.exception("run %s failed", run_id)
                await self._finish(
                    run_id, "failed", failure_reason(exc, await self._campaign_of(run_id))
                )
                return None

    async def _still_resumable(self, run_id: str) -> bool:
        async with self.db.sessions() as session:
            run = await session.get(RunRow, run_id)
        return run is not None and run.status in RESUMABLE

    async def _campaign_of(self, run_id: str) -> int | None:
        async with self.db.sessions() as session:
            run = await session.get(RunRow, run_id)
        return run.campaign_id if run is not None else None

    async def _finish(self, run_id: str, status: str, error: str | None = None) -> None:
        async with self.db.write_lock, self.db.sessions.begin() as session:
            await finish_run(session, run_id=run_id, status=status, error=error)

    async def _execute(self, run_id: str, *, resume: bool) -> BatchSummary:
        campaign_row, request, leads = await self._load(run_id)
        # Pins checked when the run was accepted may have gone since (a prompt file removed).
        check_prompt_pins(campaign_row)
        campaign: Campaign = pipeline_campaign(campaign_row)
        asked = {"template": request.template, "custom_context": request.custom_context}
        campaign = campaign.model_copy(update={k: v for k, v in asked.items() if v is not None})
        settings = campaign_settings(self.settings, campaign_row)
        async with open_durable_pipeline(
            settings,
            run_id=run_id,
            db=self.db,
            outbox=SendQueue(),
            record_sends=False,
            clock=self.clock,
            prompt_pins=campaign_pins(campaign_row) or None,
        ) as (_, pipeline):
            if not resume:
                store = RunStore(self.db, run_id, campaign_row.id)
            else:
                store, done = await RunStore.resume(self.db, run_id=run_id, campaign=campaign)
                leads = [
                    (lead_id, lead)
                    for lead_id, lead in leads
                    if thread_id(run_id, lead_key(lead_id, lead)) not in done
                ]

            async def save(record: dict[str, Any]) -> None:
                await store.save({**record, "lead_id": record["row"]})

            try:
                summary = await run_batch(
                    pipeline,
                    LeadFile(leads=leads),
                    campaign,
                    concurrency=settings.concurrency,
                    store=save,
                    on_record=self._listeners.get(run_id),
                    new_run=not resume,
                )
            except asyncio.CancelledError:
                # The server is stopping: the next start-up resumes the run.
                with contextlib.suppress(Exception):
                    await asyncio.shield(store.close("interrupted"))
                raise
            if summary.store_errors:
                count = len(summary.store_errors)
                await self._finish(
                    run_id,
                    "failed",
                    f"{count} lead(s) could not be stored, the first: "
                    f"{summary.store_errors[0][:500]}",
                )
            else:
                await store.close("completed")
        return summary
