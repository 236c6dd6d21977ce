"""Run many leads through the pipeline concurrently and write one record per lead."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

from agent.leads.files import LeadFile
from agent.runs.pipeline_factory import Pipeline
from agent.runs.results import input_error_record, internal_error_record, lead_record
from graphs.lead import Campaign, Lead
from graphs.outcome import Usage
from graphs.state import PipelineInput
from graphs.thread_progress import ThreadProgress, progress_of
from storage.checkpoints import thread_id
from storage.threaded_checkpoints import remembering


@dataclass
class BatchSummary:
    """What a batch did, for the summary table and the exit code."""

    records: list[dict[str, Any]] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    elapsed_s: float = 0.0
    store_errors: list[str] = field(default_factory=list)
    """Leads whose outcome could not be stored; a resumed run stores them from checkpoints."""

    @property
    def counts(self) -> Counter[str]:
        """Return how many leads ended sent, queued and rejected."""
        return Counter(record["decision"] for record in self.records)

    @property
    def model_calls_per_lead(self) -> float:
        """Return the model calls the batch made per lead (0 for an empty batch)."""
        return self.usage.llm_calls / len(self.records) if self.records else 0.0


class ResultsWriter:
    """Append records to a JSONL file as they finish, so a crash loses nothing done."""

    def __init__(self, path: Path, *, append: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("a" if append else "w", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        """Write one record and flush it to disk."""
        self._handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._handle.flush()

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


def lead_key(row: int, lead: Lead) -> str:
    """Return how a lead is known within a run: where it came from, and who it is.

    Stable for the same input (so a resumed run finds each lead's checkpoint), and distinct for
    different people even when a caller gives every lead the same source.
    """
    who = (lead.email or lead.phone or lead.linkedin_url or lead.name).strip().lower()
    return f"{lead.source or f'row {row}'}|{who}"


DURABLE_AFTER = ["enrich"]
"""A checkpoint after research: the web pages and paid lookups are the slow part to redo."""
DURABLE_BEFORE = ["send"]
"""A checkpoint before sending: the drafts that go out are on disk before the provider is
called, so a resumed lead sends (or finds in the ledger) exactly what was decided."""


async def advance_thread(
    pipeline: Pipeline, start: PipelineInput, config: RunnableConfig, *, new: bool = False
) -> dict[str, Any]:
    """Run a lead's thread to its end or to the review pause, continuing where it stopped.

    Checkpoints are written where they matter, not after every node: after research, before
    sending, at the review pause and at the end. A crash in between costs the model calls
    since the last one (never a send: the ledger keys it), for about a third of the writes.

    new: the thread belongs to a run started just now, so there is no checkpoint to look for.
    """
    graph = pipeline.graph
    if graph.checkpointer is None:
        return dict(await graph.ainvoke(start, context=pipeline.context))
    where = ThreadProgress.NEW
    if not new:
        snapshot = await graph.aget_state(config)
        where = progress_of(snapshot)
        if where in (ThreadProgress.FINISHED, ThreadProgress.PAUSED):
            return dict(snapshot.values)  # finished, or paused for review, before it was stored
    step_input: PipelineInput | None = start if where is ThreadProgress.NEW else None
    # Each stop below writes a checkpoint the next start would read back from the database.
    with remembering(str(config["configurable"]["thread_id"]), new=new):
        return await _advance(pipeline, step_input, config)


async def _advance(
    pipeline: Pipeline, step_input: PipelineInput | None, config: RunnableConfig
) -> dict[str, Any]:
    graph = pipeline.graph
    while True:
        values: dict[str, Any] = {}
        stopped_here = False
        async for mode, chunk in graph.astream(
            step_input,
            config,
            context=pipeline.context,
            durability="exit",  # saved when the run stops: at each stop below, and the end
            interrupt_after=DURABLE_AFTER,
            interrupt_before=DURABLE_BEFORE,
            stream_mode=["updates", "values"],
        ):
            update: dict[str, Any] = chunk  # type: ignore[assignment]
            if mode == "values":
                values = dict(update)
            elif "__interrupt__" in update:  # ours carry nothing; the review pause a question
                stopped_here = not update["__interrupt__"]
        if not stopped_here:
            return values
        step_input = None


async def run_one(
    pipeline: Pipeline,
    row: int,
    lead: Lead,
    campaign: Campaign,
    *,
    new: bool = False,
    passes_on: Callable[[BaseException], bool] | None = None,
) -> dict[str, Any]:
    """Run one lead; an unexpected failure becomes a queued record, never a lost lead.

    new: the lead's run started just now (not resumed), so it has no checkpoint yet.
    passes_on: failures raised to the caller rather than recorded (a worker's infrastructure
    going away: its task is tried again, the lead is not held for a person)."""
    started = time.perf_counter()
    provider = pipeline.models.provider
    thread = thread_id(pipeline.context.run_id, lead_key(row, lead))
    config: RunnableConfig = {"configurable": {"thread_id": thread}}
    try:
        start = PipelineInput(lead=lead, campaign=campaign)
        output = await advance_thread(pipeline, start, config, new=new)
        record = lead_record(
            row, output, provider=provider, latency_ms=(time.perf_counter() - started) * 1000
        )
    except Exception as exc:  # the batch must go on; the record keeps the reason
        if passes_on is not None and passes_on(exc):
            raise
        message = f"{type(exc).__name__}: {exc}"
        record = internal_error_record(
            row, lead.model_dump(exclude_none=True), message, provider=provider
        )
    if pipeline.graph.checkpointer is not None:
        record["thread_id"] = thread
    return record


async def run_batch(
    pipeline: Pipeline,
    lead_file: LeadFile,
    campaign: Campaign,
    *,
    concurrency: int,
    writer: ResultsWriter | None = None,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    store: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    new_run: bool = False,
) -> BatchSummary:
    """Run every valid lead with bounded concurrency; input errors are recorded too.

    new_run: the run started just now, so no lead has a checkpoint to continue from (a
    resumed run's leads each continue from theirs)."""
    started = time.perf_counter()
    summary = BatchSummary()

    def keep(record: dict[str, Any]) -> None:
        summary.records.append(record)
        if record.get("usage"):
            summary.usage = summary.usage + Usage.model_validate(record["usage"])
        if writer is not None:
            writer.write(record)
        if on_record is not None:
            on_record(record)

    async def keep_and_store(record: dict[str, Any]) -> None:
        if store is not None:
            try:
                await store(record)  # committed before it counts as done
            except Exception as exc:  # one lead's failed write must not stop the others
                summary.store_errors.append(f"row {record['row']}: {type(exc).__name__}: {exc}")
                return
        keep(record)

    for error in lead_file.errors:
        await keep_and_store(input_error_record(error, provider=pipeline.models.provider))

    semaphore = asyncio.Semaphore(concurrency)

    async def bounded(row: int, lead: Lead) -> None:
        async with semaphore:
            await keep_and_store(await run_one(pipeline, row, lead, campaign, new=new_run))

    await asyncio.gather(*(bounded(row, lead) for row, lead in lead_file.leads))
    summary.records.sort(key=lambda record: record["row"])
    summary.elapsed_s = time.perf_counter() - started
    return summary
