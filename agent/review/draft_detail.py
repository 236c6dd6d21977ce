"""One queued draft as a reviewer reads it, and the critic's checks of an edit before it is sent.

`show_item` (queue.py) gives the CLI and API the drafts with their issue lines; the web console
also shows every check with its verdict and explanation, and checks an edited text without
resuming the lead, so the reviewer sees the verdict before deciding to send it. Sending the edit
still goes through `act`, where the paused graph runs the same critic again and has the last
word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import RunnableConfig

from agent.review.queue import ReviewError, _as_run_was
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.settings import Settings
from graphs.drafts import Critique
from graphs.nodes.review import critique_edit, pending_item
from graphs.state import PipelineState
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow


@dataclass(frozen=True)
class DraftDetail:
    """A queued message with its lead, drafts, the critic's checks and the facts behind hooks.

    item: the paused graph's review item (graphs/nodes/review.py `pending_item`), each variant
    with a `checks` list added; or, for a lead held outside its graph, the stored drafts.
    """

    id: int
    version: int
    status: str
    paused: bool
    quality: float | None
    relevance: float | None
    reviews: list[dict[str, Any]]
    item: dict[str, Any]


def _config(thread: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread}}


async def _message(db: Database, message_id: int) -> tuple[MessageRow, LeadRow, CampaignRow | None]:
    async with db.sessions() as session:
        message = await session.get(MessageRow, message_id)
        if message is None:
            raise ReviewError(f"there is no message {message_id}")
        lead = await session.get(LeadRow, message.lead_id)
        campaign = await session.get(CampaignRow, message.campaign_id)
    assert lead is not None
    return message, lead, campaign


def _with_checks(item: dict[str, Any], state: PipelineState) -> dict[str, Any]:
    critiques = {c.tone: c for c in state.get("critiques") or []}
    for variant in item["variants"]:
        verdict = critiques.get(variant["tone"])
        variant["checks"] = [c.model_dump(mode="json") for c in verdict.checks] if verdict else []
    return item


def _stored_item(
    message: MessageRow, lead: LeadRow, campaign: CampaignRow | None
) -> dict[str, Any]:
    variants = [
        {
            "tone": v.get("tone"),
            "subject": v.get("subject"),
            "body": v.get("body", ""),
            "score": (v.get("quality") or {}).get("score"),
            "passed": (v.get("quality") or {}).get("passed"),
            "issues": (v.get("quality") or {}).get("issues") or [],
            "hooks": [],
            "checks": [],
        }
        for v in message.variants or []
    ]
    return {
        "lead": {"name": lead.name, "company": lead.company, "email": lead.email},
        "campaign": campaign.name if campaign else None,
        "channel": campaign.channel if campaign else None,
        "reason": message.reason,
        "lead_findings": [],
        "selected_variant": message.selected_variant,
        "relevance": message.relevance_score,
        "feedback": None,
        "variants": variants,
    }


async def _paused_state(
    settings: Settings, db: Database, message: MessageRow
) -> tuple[PipelineState | None, Any]:
    """Return the paused graph's state and the pipeline context its run uses (or None)."""
    if not message.thread_id:
        return None, None
    settings, options = await _as_run_was(db, settings, message, {})
    async with open_durable_pipeline(settings, run_id=message.run_id, db=db, **options) as (
        _,
        pipeline,
    ):
        snapshot = await pipeline.graph.aget_state(_config(message.thread_id))
        if not snapshot.interrupts:
            return None, None
        return snapshot.values, pipeline.context  # type: ignore[return-value]


async def draft_detail(settings: Settings, db: Database, message_id: int) -> DraftDetail:
    """Return a queued message as a reviewer reads it; ReviewError when there is none."""
    message, lead, campaign = await _message(db, message_id)
    state, _ = await _paused_state(settings, db, message)
    item = (
        _with_checks(pending_item(state), state)
        if state is not None
        else _stored_item(message, lead, campaign)
    )
    return DraftDetail(
        id=message.id,
        version=message.version,
        status=message.status,
        paused=state is not None,
        quality=message.quality_score,
        relevance=message.relevance_score,
        reviews=list(message.reviews or []),
        item=item,
    )


async def check_edit(
    settings: Settings,
    db: Database,
    message_id: int,
    *,
    tone: str,
    subject: str | None,
    body: str,
) -> Critique:
    """Run the critic on an edited draft as the paused graph would, without resuming it.

    Mirrors the edit step of graphs/nodes/review.py; that step runs again when the edit is
    sent, so this preview can never let through what the graph would refuse.
    """
    message, _, _ = await _message(db, message_id)
    state, context = await _paused_state(settings, db, message)
    if state is None:
        raise ReviewError(
            f"message {message_id} is not paused for review ({message.status}); "
            "it cannot be checked here: reject it or run the lead again"
        )
    original = next((v for v in state.get("variants", []) if v.tone.value == tone), None)
    if original is None:
        raise ReviewError(f"message {message_id} has no {tone} draft to edit")
    _, verdict = critique_edit(state, context, original, body=body, subject=subject)
    return verdict
