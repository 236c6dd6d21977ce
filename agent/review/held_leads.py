"""Review actions on a held lead: one whose pipeline stopped with an error before any pause.

Such a lead waits in the review queue with the error as its reason but has no paused graph
and often no drafts, so approve and edit have nothing to act on. A reviewer can still reject
it, or regenerate it: its thread continues from its last checkpoint (or starts, if it never
got one) with auto-send off, and once it pauses with drafts they are rewritten as the reviewer
instructed, so what comes out waits for a person again.
"""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from agent.campaigns.stored import pipeline_campaign
from agent.runs.background import lead_from_row
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.results import lead_record
from agent.settings import Settings
from graphs.review_log import ReviewAction, ReviewRecord
from graphs.state import PipelineInput
from graphs.thread_progress import ThreadProgress, progress_of
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow
from storage.review_queue import apply_review_outcome, claim_for_review, release


class HeldLeadError(Exception):
    """A review action a held lead cannot take; the message says what can be done instead."""


def _rejection(message: MessageRow, reason: str) -> dict[str, Any]:
    """Return the outcome record of a held lead a reviewer rejected: no drafts, no send."""
    made = message.generation or {}
    return {
        "decision": "rejected",
        "reason": reason,
        "variants": message.variants or [],
        "selected_variant": None,
        "quality": None,
        # What the drafts cost and how they were made stays as it was stored.
        "usage": {
            "input_tokens": message.input_tokens,
            "output_tokens": message.output_tokens,
            "cost_usd": message.cost_usd,
            "models": made.get("models", []),
            "calls": made.get("calls", []),
        },
        "prompts": made.get("prompts", {}),
        "attempts": made.get("attempts", 0),
        "errors": made.get("errors", []),
    }


async def act_on_held(
    settings: Settings,
    db: Database,
    message: MessageRow,
    action: ReviewAction,
    *,
    expected_version: int | None,
    pipeline_options: dict[str, Any],
) -> tuple[MessageRow, dict[str, Any]]:
    """Reject or re-run a held lead; return the stored message and the pipeline's output."""
    if action.action in ("approve", "edit"):
        raise HeldLeadError(
            f"message {message.id} has no paused drafts to {action.action}: {message.reason}"
        )
    async with db.sessions() as session:
        lead = await session.get(LeadRow, message.lead_id)
        campaign = await session.get(CampaignRow, message.campaign_id)
    assert lead is not None and campaign is not None
    async with db.write_lock, db.sessions.begin() as session:
        claimed = await claim_for_review(
            session, message_id=message.id, expected_version=expected_version
        )
    earlier = list(claimed.reviews or [])
    if action.action == "reject":
        reason = f"rejected by {action.reviewer}: {action.reason}"
        entry = ReviewRecord(
            action="reject", reviewer=action.reviewer, outcome="rejected", reason=action.reason
        )
        record = _rejection(claimed, reason)
        return await _store(db, claimed, record, [*earlier, entry], action), {}
    # regenerate: run the lead on, as a person asked; whatever comes out waits for them.
    config: RunnableConfig = {"configurable": {"thread_id": claimed.thread_id}}
    quiet = settings.model_copy(update={"auto_send": False})
    try:
        async with open_durable_pipeline(
            quiet, run_id=claimed.run_id, db=db, **pipeline_options
        ) as (_, pipeline):
            graph = pipeline.graph
            where = progress_of(await graph.aget_state(config))
            start = None
            if where is ThreadProgress.NEW:  # it failed before its first checkpoint
                start = PipelineInput(
                    lead=lead_from_row(lead), campaign=pipeline_campaign(campaign)
                )
            if where is not ThreadProgress.FINISHED:
                await graph.ainvoke(start, config, context=pipeline.context, durability="sync")
            rewritten = progress_of(await graph.aget_state(config)) is ThreadProgress.PAUSED
            if rewritten:
                # It reached its pause with drafts: rewrite them as the reviewer instructed.
                await graph.ainvoke(
                    Command(resume=action.model_dump(mode="json")),
                    config,
                    context=pipeline.context,
                    durability="sync",
                )
            output = dict((await graph.aget_state(config)).values)
            provider = pipeline.models.provider
    except Exception as exc:
        async with db.write_lock, db.sessions.begin() as session:
            await release(session, message_id=claimed.id)
        raise HeldLeadError(
            f"message {message.id} could not be run again ({type(exc).__name__}: {exc}); "
            "it stays held"
        ) from exc
    record = lead_record(0, output, provider=provider, latency_ms=0.0)
    history = [*earlier, *(r.model_dump(mode="json") for r in output.get("reviews", []))]
    if not rewritten:  # it ended without a pause (e.g. rejected): the request is still on file
        entry = ReviewRecord(
            action="regenerate",
            reviewer=action.reviewer,
            outcome=f"ran the held lead again: {record['decision']}",
            instruction=action.instruction,
        )
        history.append(entry.model_dump(mode="json"))
    return await _store(db, claimed, record, history, action), output


async def _store(
    db: Database,
    message: MessageRow,
    record: dict[str, Any],
    reviews: list[Any],
    action: ReviewAction,
) -> MessageRow:
    entries = [r.model_dump(mode="json") if isinstance(r, ReviewRecord) else r for r in reviews]
    async with db.write_lock, db.sessions.begin() as session:
        return await apply_review_outcome(
            session,
            message=message,
            record=record,
            reviews=entries,
            action=action.action,
            reviewer=action.reviewer,
        )
