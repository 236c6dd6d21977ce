"""What a campaign has to learn from, read from storage: reviewers' edits and the reset marker.

Every reviewer edit is kept on its message (`messages.reviews`: the draft before and after)
and announced by a `review.edit` event. A campaign's learning starts afresh at its reset marker
(`settings.learning_reset`: when, and the last event then): edits, replies and sends before it
are ignored. Nothing is deleted, so removing the marker brings the learning back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CampaignRow, EventRow, LeadRow, MessageRow

RESET_KEY = "learning_reset"
"""The campaign settings key holding its last reset: {"at": ISO 8601 UTC, "after_event": id}.
Events are compared by id, not time, so an edit in the same second as a reset is not lost."""
APPROVED_EDIT = "edited and approved"
"""The outcome of an edit the critic let through (a refused edit is not learned from)."""
MAX_EDITS_READ = 200
"""The most recent edits a campaign's learning reads; older ones no longer shape drafts."""


@dataclass(frozen=True, slots=True)
class StoredEdit:
    """One reviewer edit that went out: the draft before, the text after, and where."""

    message_id: int
    segment: str
    """The lead's `segment` field, else its industry, else "unknown" (as the report counts)."""
    tone: str
    before_subject: str | None
    before_body: str
    after_subject: str | None
    after_body: str
    edited_at: dt.datetime
    order: int
    """The id of the message's last edit event: higher is more recent."""


def segment_of(lead: LeadRow, generation: object = None) -> str:
    """Return the segment a message counts under: the campaign segment it recorded when it
    was written (generation.prompts.generate.segment), else its lead's `segment` field, else
    the lead's industry: the names a run's placement and the lead itself give."""
    return recorded_segment(generation) or fallback_segment(lead.extra, lead.industry)


def fallback_segment(extra: dict[str, Any] | None, industry: str | None) -> str:
    """The segment of a lead no campaign rule placed: its `segment` field, else industry."""
    named = (extra or {}).get("segment")
    return str(named or industry or "unknown")


def recorded_segment(generation: object) -> str | None:
    """The campaign segment a message recorded when it was written (stored JSON: read
    defensively), or None."""
    node: object = generation
    for key in ("prompts", "generate", "segment", "segment"):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) and node else None


@dataclass(frozen=True, slots=True)
class ResetMarker:
    """Where a campaign's learning starts: after this moment and this event."""

    at: dt.datetime
    after_event: int

    def as_dict(self) -> dict[str, Any]:
        """Return the marker as the campaign settings (and the API) hold it."""
        return {"at": self.at.isoformat(), "after_event": self.after_event}


def reset_marker(campaign: CampaignRow) -> ResetMarker | None:
    """Return the campaign's last learning reset, or None (a malformed marker counts as none)."""
    raw = (campaign.settings or {}).get(RESET_KEY)
    if not isinstance(raw, dict):
        return None
    try:
        when = dt.datetime.fromisoformat(str(raw.get("at")))
        after = int(raw.get("after_event") or 0)
    except (TypeError, ValueError):
        return None
    return ResetMarker(when if when.tzinfo else when.replace(tzinfo=dt.UTC), after)


async def reset_learning(
    session: AsyncSession, *, campaign: CampaignRow, at: dt.datetime
) -> ResetMarker:
    """Store a reset marker: edits and outcomes up to now no longer shape the campaign."""
    last = await session.scalar(select(func.max(EventRow.id)))
    marker = ResetMarker(at.astimezone(dt.UTC), int(last or 0))
    settings = dict(campaign.settings or {})
    settings[RESET_KEY] = marker.as_dict()
    campaign.settings = settings  # a new dict, so the JSON column is written
    await session.flush()
    return marker


async def undo_reset(session: AsyncSession, *, campaign: CampaignRow) -> bool:
    """Remove the reset marker (the learning before it counts again); False if there was none."""
    settings = dict(campaign.settings or {})
    if settings.pop(RESET_KEY, None) is None:
        return False
    campaign.settings = settings
    await session.flush()
    return True


def _edit_records(reviews: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the approved edits among a message's review actions, in order."""
    return [
        r
        for r in reviews or []
        if r.get("action") == "edit"
        and r.get("outcome") == APPROVED_EDIT
        and isinstance(r.get("original"), dict)
        and isinstance(r.get("edited"), dict)
    ]


async def campaign_edits(
    session: AsyncSession,
    *,
    campaign_id: int,
    since: ResetMarker | None = None,
    limit: int = MAX_EDITS_READ,
) -> list[StoredEdit]:
    """Return a campaign's approved edits after the reset marker, most recent first.

    An edit counts when the critic let it through and its message was not rejected after.
    """
    last_event = func.max(EventRow.id).label("last_event")
    query = (
        select(EventRow.message_id, last_event, func.max(EventRow.occurred_at))
        .where(
            EventRow.campaign_id == campaign_id,
            EventRow.type == "review.edit",
            EventRow.message_id.is_not(None),
        )
        .group_by(EventRow.message_id)
        .order_by(last_event.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(EventRow.id > since.after_event)
    edited: dict[int, tuple[int, dt.datetime]] = {
        int(mid or 0): (int(last or 0), when) for mid, last, when in await session.execute(query)
    }
    if not edited:
        return []
    rows = await session.execute(
        select(MessageRow, LeadRow)
        .join(LeadRow, LeadRow.id == MessageRow.lead_id)
        .where(MessageRow.id.in_(edited), MessageRow.status != "rejected")
    )
    found: list[StoredEdit] = []
    for message, lead in rows:
        for record in _edit_records(message.reviews):
            before, after = record["original"], record["edited"]
            found.append(
                StoredEdit(
                    message_id=message.id,
                    segment=segment_of(lead, message.generation),
                    tone=str(record.get("tone") or before.get("tone") or ""),
                    before_subject=before.get("subject"),
                    before_body=str(before.get("body") or ""),
                    after_subject=after.get("subject"),
                    after_body=str(after.get("body") or ""),
                    edited_at=edited[message.id][1],
                    order=edited[message.id][0],
                )
            )
    found.sort(key=lambda e: e.order, reverse=True)
    return found
