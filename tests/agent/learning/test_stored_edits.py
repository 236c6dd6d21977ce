"""Which stored edits a campaign learns from: approved edits of messages not rejected after,
newest first; a refused edit, a malformed record or a rejected message is skipped, the rest
still count; a malformed reset marker counts as none."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.learning import campaign_edits, reset_marker
from storage.models import CampaignRow, EventRow, MessageRow
from tests.agent.learning.learning_seed import seed_learning_campaign


def _record(outcome: str, original: Any) -> dict[str, Any]:
    return {"action": "edit", "outcome": outcome, "tone": "direct", "original": original,
            "edited": {"body": "After."}}  # fmt: skip


async def test_only_approved_edits_of_messages_that_went_out_are_learned(database_url: str) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        campaign_id = await seed_learning_campaign(db)
        async with db.sessions.begin() as session:
            messages = list(
                await session.scalars(
                    select(MessageRow).where(MessageRow.reviews == []).order_by(MessageRow.id)
                )
            )
            odd = [
                ("queued", [_record("refused by the critic", {"body": "Before."})]),
                ("sent", [_record("edited and approved", "not a draft")]),
                ("rejected", [_record("edited and approved", {"body": "Before."})]),
                ("sent", [{"action": "edit"}, _record("edited and approved", {"body": "B."})]),
            ]
            for message, (status, reviews) in zip(messages, odd, strict=False):
                message.status, message.reviews = status, reviews
                session.add(
                    EventRow(type="review.edit", campaign_id=campaign_id, message_id=message.id)
                )
            campaign = await session.get(CampaignRow, campaign_id)
            assert campaign is not None
            campaign.settings = {"learning_reset": {"at": "not a time", "after_event": "x"}}
        async with db.sessions() as session:
            campaign = await session.get(CampaignRow, campaign_id)
            assert campaign is not None and reset_marker(campaign) is None
            edits = await campaign_edits(session, campaign_id=campaign_id)
    # The one well-formed edit above (the newest), then the seeded campaign's two.
    assert len(edits) == 3 and edits[0].message_id == messages[3].id
    assert edits[0].before_body == "B."
    assert all(e.after_body for e in edits)
