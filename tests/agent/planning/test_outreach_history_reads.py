"""The campaign records a batch shares are read once and read again when old, so a long-lived
pipeline (the scheduler) sees a learning reset or a colleague's reply within minutes; and a
colleague who answered, whatever they said, is never cited as earlier outreach, even when the
batch read them before they answered."""

from __future__ import annotations

import datetime as dt

from agent.campaigns.campaign_reads import CampaignReads
from agent.planning.earlier_outreach import StoredOutreachHistory
from graphs.lead import Lead
from storage.database import Database
from storage.engagement import record_engagement
from storage.models import CampaignRow, LeadRow, MessageRow, RunRow

SENT = dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC)
SAM = Lead(name="Sam Lee", company="Northwind", email="sam@northwind.example")


async def test_a_read_serves_the_batch_and_is_read_again_once_old() -> None:
    now = [0.0]
    reads: list[str] = []

    async def read(campaign: str) -> int:
        reads.append(campaign)
        return len(reads)

    shared = CampaignReads(read, max_age_s=120, clock=lambda: now[0])
    assert [await shared.get("spring") for _ in range(3)] == [1, 1, 1]
    now[0] = 119.0
    assert await shared.get("spring") == 1
    assert await shared.get("autumn") == 2  # each campaign its own read
    now[0] = 121.0
    assert await shared.get("spring") == 3  # old: read again
    assert reads == ["spring", "autumn", "spring"]


async def _seed(db: Database) -> MessageRow:
    async with db.sessions.begin() as session:
        campaign = CampaignRow(name="Accounts", channel="email", value_proposition="Fast CI.")
        maya = LeadRow(name="Maya Okafor", title="VP Engineering", company="Northwind",
                       email="maya@northwind.example", email_normalized="maya@northwind.example")  # fmt: skip
        session.add_all([campaign, maya])
        await session.flush()
        session.add(RunRow(id="seed", campaign_id=campaign.id, status="completed"))
        await session.flush()
        message = MessageRow(campaign_id=campaign.id, lead_id=maya.id, run_id="seed",
                             status="sent", selected_variant="direct", sent_at=SENT)  # fmt: skip
        session.add(message)
        await session.flush()
        return message


async def test_a_colleague_who_answered_is_never_cited_even_after_the_batch_read(
    database_url: str,
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        message = await _seed(db)
        history = StoredOutreachHistory(db.sessions)
        fact = await history.earlier_outreach("Accounts", SAM, NOW)
        assert fact is not None and fact.text == (
            "We emailed Maya Okafor (VP Engineering) at Northwind on 20 November 2026."
        )
        async with db.sessions.begin() as session:
            row = await session.get(MessageRow, message.id)
            assert row is not None
            await record_engagement(
                session, row, "replied", payload={"intent": "not_interested"}, occurred_at=NOW
            )
        # The batch's read still holds Maya; the candidates are read again before citing.
        assert await history.earlier_outreach("Accounts", SAM, NOW) is None
        assert (
            await StoredOutreachHistory(db.sessions).earlier_outreach("Accounts", SAM, NOW) is None
        )
