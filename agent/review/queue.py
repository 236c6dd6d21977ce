"""The human review queue as a service: list, show, and act on paused leads.

The CLI uses it today; the REST API and the operator chat call the same functions. An action
claims the message at the version the reviewer saw (optimistic concurrency), resumes the
lead's paused graph with `Command(resume=...)`, and stores what came out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from agent.campaigns.stored import (
    campaign_pins,
    campaign_settings,
    pin_problem_text,
    prompt_pin_problems,
)
from agent.review.held_leads import HeldLeadError, act_on_held
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.pipeline_factory import Pipeline
from agent.runs.results import lead_record
from agent.settings import Settings
from graphs.review_log import ReviewAction
from graphs.thread_progress import ThreadProgress, progress_of
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow, RunRow
from storage.review_queue import (
    ReviewConflict,
    apply_review_outcome,
    claim_for_review,
    count_pending,
    pending_messages,
)


class ReviewError(Exception):
    """A review action that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class PendingItem:
    """A queued message as a reviewer sees it in the list."""

    id: int
    version: int
    campaign: str
    lead: str
    company: str
    email: str | None
    reason: str
    selected_variant: str | None
    quality: float | None
    relevance: float | None


@dataclass(frozen=True)
class ReviewResult:
    """What a review action did."""

    message_id: int
    status: str
    reason: str
    version: int
    feedback: str | None
    """Set when the action was not applied (e.g. the critic refused an edit)."""
    delivery: dict[str, Any] | None


def _config(thread: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread}}


async def list_pending(settings: Settings, *, campaign: str | None = None) -> list[PendingItem]:
    """Return the messages waiting for a human, oldest first."""
    async with await Database.connect(settings.database) as db:
        items, _ = await pending_page(db, campaign=campaign)
    return items


async def pending_page(
    db: Database, *, campaign: str | None = None, limit: int = 200
) -> tuple[list[PendingItem], int]:
    """Return the oldest `limit` messages waiting for a human, and how many wait in all."""
    async with db.sessions() as session:
        rows = await pending_messages(session, campaign=campaign, limit=limit)
        total = await count_pending(session, campaign=campaign)
    return [
        PendingItem(
            id=row.message.id,
            version=row.message.version,
            campaign=row.campaign,
            lead=row.lead.name,
            company=row.lead.company,
            email=row.lead.email,
            reason=row.message.reason,
            selected_variant=row.message.selected_variant,
            quality=row.message.quality_score,
            relevance=row.message.relevance_score,
        )
        for row in rows
    ], total


async def _load(db: Database, message_id: int) -> tuple[MessageRow, LeadRow]:
    async with db.sessions() as session:
        message = await session.get(MessageRow, message_id)
        if message is None:
            raise ReviewError(f"there is no message {message_id}")
        lead = await session.get(LeadRow, message.lead_id)
        assert lead is not None
        return message, lead


async def _as_run_was(
    db: Database, settings: Settings, message: MessageRow, options: dict[str, Any]
) -> tuple[Settings, dict[str, Any]]:
    """Return the settings and pipeline options the message's run used: its campaign's
    sending policy, and the prompt versions the run was pinned to, unless the caller set them."""
    async with db.sessions() as session:
        campaign = await session.get(CampaignRow, message.campaign_id)
        run = await session.get(RunRow, message.run_id)
    if campaign is not None:
        settings = campaign_settings(settings, campaign)
    pins = (run.options if run is not None else {}).get("prompts") or (
        campaign_pins(campaign) if campaign is not None else None
    )
    if pins and "prompt_pins" not in options:
        options = {**options, "prompt_pins": pins}
    return settings, options


def _check_pins(message: MessageRow, pins: dict[str, str]) -> None:
    """Refuse to resume a lead whose pinned prompts are gone (e.g. a prompt file removed)."""
    if problems := prompt_pin_problems(pins):
        raise ReviewError(
            f"message {message.id} cannot be reviewed now: the prompt versions its run uses "
            f"cannot be loaded ({pin_problem_text(problems)}); nothing was changed. Restore the "
            f"prompt file, or set campaign {message.campaign_id}'s prompt_versions to available "
            "versions, and try again"
        )


async def show_item(settings: Settings, message_id: int) -> dict[str, Any]:
    """Return a queued item as its paused graph holds it: drafts, scores, issues, evidence."""
    async with await Database.connect(settings.database) as db:
        message, lead = await _load(db, message_id)
        async with db.sessions() as session:
            campaign = await session.get(CampaignRow, message.campaign_id)
        async with open_durable_pipeline(settings, run_id=message.run_id, db=db) as (_, pipeline):
            pending: dict[str, Any] | None = None
            if message.thread_id:
                snapshot = await pipeline.graph.aget_state(_config(message.thread_id))
                if snapshot.interrupts:
                    pending = dict(snapshot.interrupts[0].value)
    stored = {
        "lead": {"name": lead.name, "company": lead.company, "email": lead.email},
        "campaign": campaign.name if campaign else None,
        "channel": campaign.channel if campaign else None,
        "reason": message.reason,
        "selected_variant": message.selected_variant,
        "variants": message.variants,
    }
    return {
        "id": message.id,
        "version": message.version,
        "status": message.status,
        "paused": pending is not None,
        "reviews": message.reviews,
        **(pending or stored),
    }


async def _store(
    db: Database,
    pipeline: Pipeline,
    message: MessageRow,
    output: dict[str, Any],
    event: str,
    reviewer: str,
) -> MessageRow:
    record = lead_record(0, output, provider=pipeline.models.provider, latency_ms=0.0)
    reviews = [r.model_dump(mode="json") for r in output.get("reviews", [])]
    # Actions taken while the lead was held (outside its graph) stay in its history.
    reviews = [r for r in message.reviews or [] if r not in reviews] + reviews
    async with db.write_lock, db.sessions.begin() as session:
        return await apply_review_outcome(
            session,
            message=message,
            record=record,
            reviews=reviews,
            action=event,
            reviewer=reviewer,
        )


async def _settle(
    db: Database,
    pipeline: Pipeline,
    message: MessageRow,
    config: RunnableConfig,
    event: str,
    reviewer: str,
) -> None:
    """After a failed action: finish a graph that moved past the pause, then store its state."""
    graph = pipeline.graph
    snapshot = await graph.aget_state(config)
    if progress_of(snapshot) is ThreadProgress.UNFINISHED:
        # It died after taking the action (e.g. inside send): the ledger makes finishing safe.
        with contextlib.suppress(Exception):
            await graph.ainvoke(None, config, context=pipeline.context, durability="sync")
        snapshot = await graph.aget_state(config)
    if progress_of(snapshot) is ThreadProgress.UNFINISHED:
        return  # still stuck: stays 'reviewing' and is retried once the lease runs out
    # Paused again (back in the queue, with why) or finished: the checkpoint is the truth.
    await _store(db, pipeline, message, dict(snapshot.values), event, reviewer)


REVIEW_LEASE = dt.timedelta(minutes=10)
"""A review action still 'reviewing' after this long was abandoned by a dead process."""


async def _recover_abandoned(
    settings: Settings, db: Database, message: MessageRow, options: dict[str, Any]
) -> None:
    """Finish or requeue an action whose process died half-way (checkpoint is the truth)."""
    updated = message.updated_at
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=dt.UTC)
    if dt.datetime.now(dt.UTC) - updated < REVIEW_LEASE:
        return  # probably a reviewer acting right now
    async with db.write_lock, db.sessions.begin() as session:
        claimed = await claim_for_review(
            session, message_id=message.id, expected_version=message.version, status="reviewing"
        )
    assert message.thread_id is not None
    async with open_durable_pipeline(settings, run_id=message.run_id, db=db, **options) as (
        _,
        pipeline,
    ):
        await _settle(db, pipeline, claimed, _config(message.thread_id), "recovered", "system")


@contextlib.asynccontextmanager
async def _database(settings: Settings, db: Database | None) -> AsyncIterator[Database]:
    """Use the caller's open database (the API server's), or open the configured one."""
    if db is not None:
        yield db
        return
    async with await Database.connect(settings.database) as opened:
        yield opened


async def act(
    settings: Settings,
    message_id: int,
    action: ReviewAction,
    *,
    expected_version: int | None = None,
    db: Database | None = None,
    **pipeline_options: Any,
) -> ReviewResult:
    """Apply one review action to a queued message and store the outcome.

    The lead's pipeline resumes as its run had it: the campaign's sending policy (thresholds,
    auto-send) and the run's prompt versions. pipeline_options go to the resumed pipeline
    (e.g. the API's send queue as its outbox).
    """
    try:
        async with _database(settings, db) as db:
            message, _ = await _load(db, message_id)
            settings, pipeline_options = await _as_run_was(db, settings, message, pipeline_options)
            _check_pins(message, pipeline_options.get("prompt_pins") or {})
            if message.status == "reviewing" and message.thread_id:
                await _recover_abandoned(settings, db, message, pipeline_options)
                message, _ = await _load(db, message_id)
            if message.status != "queued":
                raise ReviewError(
                    f"message {message_id} is {message.status}, not waiting for review "
                    f"({message.reason}); nothing was changed"
                )
            if message.thread_id is None:
                raise ReviewError(
                    f"message {message_id} has no paused pipeline to resume (it was stored without "
                    f"checkpoints: {message.reason}); run the lead again"
                )
            async with open_durable_pipeline(
                settings, run_id=message.run_id, db=db, **pipeline_options
            ) as (_, pipeline):
                config = _config(message.thread_id)
                snapshot = await pipeline.graph.aget_state(config)
                if progress_of(snapshot) is not ThreadProgress.PAUSED and not any(
                    task.error and task.name == "review" for task in snapshot.tasks
                ):
                    # Stopped by an error before it ever paused: nothing to approve or edit.
                    try:
                        stored, output = await act_on_held(
                            settings,
                            db,
                            message,
                            action,
                            expected_version=expected_version,
                            pipeline_options=pipeline_options,
                        )
                    except HeldLeadError as exc:
                        raise ReviewError(str(exc)) from exc
                    return _result(stored, output)
                if any(task.error for task in snapshot.tasks):
                    # An earlier action failed inside the review step after the graph took it;
                    # LangGraph would replay that action, so the pause is set up afresh first.
                    await pipeline.graph.aupdate_state(config, None, as_node="decide")
                    await pipeline.graph.ainvoke(
                        None, config, context=pipeline.context, durability="sync"
                    )
                    snapshot = await pipeline.graph.aget_state(config)
                if not snapshot.interrupts:
                    raise ReviewError(
                        f"message {message_id} is not paused for review ({message.status}: "
                        f"{message.reason})"
                    )
                async with db.write_lock, db.sessions.begin() as session:
                    claimed = await claim_for_review(
                        session, message_id=message_id, expected_version=expected_version
                    )
                try:
                    output = await pipeline.graph.ainvoke(
                        Command(resume=action.model_dump(mode="json")),
                        config,
                        context=pipeline.context,
                        durability="sync",
                    )
                except Exception:
                    await _settle(db, pipeline, claimed, config, action.action, action.reviewer)
                    raise
                stored = await _store(db, pipeline, claimed, output, action.action, action.reviewer)
                return _result(stored, output)
    except ReviewConflict as exc:
        raise ReviewError(str(exc)) from exc


def _result(stored: MessageRow, output: dict[str, Any]) -> ReviewResult:
    delivery = output.get("delivery")
    return ReviewResult(
        message_id=stored.id,
        status=stored.status,
        reason=stored.reason,
        version=stored.version,
        feedback=output.get("review_feedback"),
        delivery=delivery.model_dump() if delivery else None,
    )
