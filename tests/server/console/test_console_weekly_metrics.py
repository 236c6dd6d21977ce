"""The campaign page's weekly figures: worked out once per view, never stale after a new event."""

from __future__ import annotations

import datetime as dt

from agent.demo.fixtures import DEMO_TODAY
from server.console.weekly_metrics import TTL_S, WeeklyMetrics
from storage.database import Database
from storage.models import CampaignRow, EventRow, LeadRow, MessageRow, RunRow


async def _campaign_with_a_send(db: Database) -> tuple[int, int]:
    async with db.sessions.begin() as session:
        campaign = CampaignRow(name="Weekly", channel="email", value_proposition="CI.")
        lead = LeadRow(
            name="Maya", email="maya@x.example", email_normalized="maya@x.example", company="X"
        )
        session.add_all([campaign, lead])
        await session.flush()
        session.add(RunRow(id="weekly", campaign_id=campaign.id))
        await session.flush()
        message = MessageRow(
            campaign_id=campaign.id, lead_id=lead.id, run_id="weekly", status="delivered",
            variants=[{"tone": "direct", "body": "Hi."}], selected_variant="direct",
            sent_at=DEMO_TODAY - dt.timedelta(days=1),
        )  # fmt: skip
        session.add(message)
        await session.flush()
        return campaign.id, message.id


def _week_replies(weekly: dict[str, object]) -> int:
    weeks = weekly["weekly"]
    assert isinstance(weeks, list)
    return sum(int(w["replied"]) for w in weeks)


async def test_a_new_event_or_the_ttl_makes_it_work_them_out_again(database_url: str) -> None:
    now = [0.0]
    metrics = WeeklyMetrics(clock=lambda: now[0])
    until = DEMO_TODAY.date()
    async with await Database.connect(database_url, migrate=True) as db:
        campaign_id, message_id = await _campaign_with_a_send(db)
        async with db.sessions() as session:
            campaign = await session.get(CampaignRow, campaign_id)
            assert campaign is not None
            first = await metrics.of(session, campaign, until=until)
            assert _week_replies(first) == 0
            assert await metrics.of(session, campaign, until=until) is first  # the plot, after
        async with db.sessions.begin() as session:
            session.add(
                EventRow(
                    type="replied", campaign_id=campaign_id, message_id=message_id,
                    payload={"intent": "interested"}, occurred_at=DEMO_TODAY,
                )
            )  # fmt: skip
        async with db.sessions() as session:
            campaign = await session.get(CampaignRow, campaign_id)
            assert campaign is not None
            after_reply = await metrics.of(session, campaign, until=until)
            assert after_reply is not first and _week_replies(after_reply) == 1
            assert await metrics.of(session, campaign, until=until) is after_reply
            now[0] += TTL_S + 1
            assert await metrics.of(session, campaign, until=until) is not after_reply
