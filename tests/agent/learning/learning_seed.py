"""A stored campaign with simulated outcomes and reviewer edits, for the learning tests.

Segment 'platform' answers far better than 'retail': 40 sends each, 12 positive replies
against 1. Platform messages led with news hooks, retail ones with posts. Two reviewers
deleted the same opening sentence from two drafts before sending them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from storage.database import Database
from storage.models import CampaignRow, EventRow, FactRow, LeadRow, MessageRow, RunRow

CAMPAIGN = "Learning"
SENT = 40
POSITIVE = {"platform": 12, "retail": 1}
HOOK_KIND = {"platform": "news", "retail": "post"}
INDUSTRY = {"platform": "platform engineering", "retail": "retail"}
DELETED = "I hope this note finds you well and not too busy."
KEPT = "Would a 15-minute call next week be useful?"
SENT_AT = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def _draft(body: str, fact_kind: str) -> dict[str, Any]:
    return {
        "tone": "direct",
        "subject": "CI time",
        "body": body,
        "hooks": [{"text": f"your {fact_kind}", "fact_ids": ["f1"]}],
        "attempt": 1,
    }


def _edit(before: str, after: str) -> dict[str, Any]:
    return {
        "action": "edit",
        "reviewer": "dana",
        "outcome": "edited and approved",
        "tone": "direct",
        "original": {"tone": "direct", "subject": "CI time", "body": before},
        "edited": {"tone": "direct", "subject": "CI time", "body": after},
    }


async def seed_learning_campaign(db: Database) -> int:
    """Store the campaign, its leads, sent messages, replies and edits; return its id."""
    async with db.sessions.begin() as session:
        campaign = CampaignRow(name=CAMPAIGN, channel="email", value_proposition="Fast CI.")
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="seeded", campaign_id=campaign.id, status="completed"))
        edited = 0
        for segment, positive in POSITIVE.items():
            for n in range(SENT):
                lead = LeadRow(
                    name=f"{segment.title()} Lead {n}",
                    email=f"{segment}{n}@example.com",
                    email_normalized=f"{segment}{n}@example.com",
                    company=f"{segment.title()} Co {n}",
                    industry=INDUSTRY[segment],
                    extra={"segment": segment},
                )
                session.add(lead)
                await session.flush()
                kind = HOOK_KIND[segment]
                session.add(
                    FactRow(
                        lead_id=lead.id,
                        fact_id="f1",
                        kind=kind,
                        text=f"A {kind} item.",
                        source_url="https://example.com/",
                        tool="seed",
                        retrieved_at=SENT_AT,
                    )
                )
                before = f"Hi {n},\n\n{DELETED} We make CI fast.\n\n{KEPT}"
                after = f"Hi {n},\n\nWe make CI fast.\n\n{KEPT}"
                reviews = [_edit(before, after)] if edited < 2 else []
                message = MessageRow(
                    campaign_id=campaign.id,
                    lead_id=lead.id,
                    run_id="seeded",
                    status="sent",
                    variants=[_draft(after if reviews else before, kind)],
                    selected_variant="direct",
                    sent_at=SENT_AT,
                    reviews=reviews,
                )
                session.add(message)
                await session.flush()
                if reviews:
                    edited += 1
                    session.add(
                        EventRow(type="review.edit", campaign_id=campaign.id, message_id=message.id)
                    )
                if n < positive:
                    session.add(
                        EventRow(
                            type="replied",
                            campaign_id=campaign.id,
                            message_id=message.id,
                            payload={"intent": "interested"},
                        )
                    )
        return campaign.id
