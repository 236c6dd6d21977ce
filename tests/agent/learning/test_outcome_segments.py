"""Outcomes count under the campaign segment a message recorded when it was written (the
name a run's placement gives, so the reply chance finds it), else the lead's own segment field
or industry; facts are read in chunks of leads, so a large campaign stays within the drivers'
parameter limits."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from storage import learning_outcomes
from storage.database import Database
from storage.learning_outcomes import angle_outcomes
from storage.models import LeadRow, MessageRow
from tests.agent.learning.learning_seed import seed_learning_campaign

RECORDED = {"prompts": {"generate": {"segment": {"segment": "platform teams", "rule": 1}}}}


async def test_a_recorded_segment_wins_and_facts_are_read_in_chunks(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learning_outcomes, "FACT_CHUNK", 7)  # 80 leads: twelve chunks
    async with await Database.connect(database_url, migrate=True) as db:
        campaign_id = await seed_learning_campaign(db)
        platform = select(LeadRow.id).where(LeadRow.industry == "platform engineering")
        async with db.sessions.begin() as session:
            await session.execute(
                update(MessageRow)
                .where(MessageRow.lead_id.in_(platform))
                .values(generation=RECORDED)
            )
        async with db.sessions() as session:
            counts = await angle_outcomes(session, campaign_id=campaign_id)
    by_segment = {(c.segment, c.hook_kind): (c.sent, c.positive) for c in counts}
    # Platform's messages recorded their segment; retail's fall back to the lead's field.
    assert by_segment == {("platform teams", "news"): (40, 12), ("retail", "post"): (40, 1)}
