"""The API's view of a stored message, and the status names clients filter by."""

from __future__ import annotations

from server.schemas import MessageOut, VariantOut
from storage.engagement import UNSENT
from storage.models import MessageRow

MESSAGE_STATUSES = (
    "queued", "reviewing", "approved", "scheduled", "sent", "delivered", "opened", "clicked",
    "replied", "bounced", "failed", "unsubscribed", "complained", "rejected", "suppressed",
    "stopped", "superseded",
)  # fmt: skip
STATUS_GROUPS = {"pending": (*UNSENT, "reviewing")}
"""Filter names that stand for several statuses ('pending': not sent yet, as seed clients ask)."""


def statuses_for(names: list[str]) -> list[str]:
    """Expand status filter names; raise ValueError naming an unknown one."""
    expanded: list[str] = []
    for name in names:
        if name in STATUS_GROUPS:
            expanded += STATUS_GROUPS[name]
        elif name in MESSAGE_STATUSES:
            expanded.append(name)
        else:
            known = ", ".join((*MESSAGE_STATUSES, *STATUS_GROUPS))
            raise ValueError(f"unknown status {name!r}; use one of: {known}")
    return expanded


def message_out(row: MessageRow) -> MessageOut:
    """Return the API view of a message row."""
    variants = [
        VariantOut(
            variant_number=number,
            tone=variant["tone"],
            subject=variant.get("subject"),
            body=variant["body"],
            quality_score=(variant.get("quality") or {}).get("score"),
            passed=(variant.get("quality") or {}).get("passed"),
            issues=(variant.get("quality") or {}).get("issues") or [],
        )
        for number, variant in enumerate(row.variants or [])
    ]
    selected = next((v.variant_number for v in variants if v.tone == row.selected_variant), None)
    return MessageOut(
        id=row.id,
        campaign_id=row.campaign_id,
        lead_id=row.lead_id,
        run_id=row.run_id,
        variants=variants,
        selected_variant=selected,
        selected_tone=row.selected_variant,
        status=row.status,
        reason=row.reason,
        quality_score=row.quality_score,
        relevance_score=row.relevance_score,
        generation_latency_ms=(row.generation or {}).get("latency_ms"),
        generation_cost_usd=row.cost_usd,
        version=row.version,
        provider_message_id=row.provider_message_id,
        scheduled_for=row.scheduled_for,
        sent_at=row.sent_at,
        delivery_error=row.delivery_error,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
