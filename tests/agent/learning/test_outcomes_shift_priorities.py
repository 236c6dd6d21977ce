"""Simulated outcomes shift the campaign's priorities towards the segment that answers, with
the data and prior in the reason; a reset removes the shift. The hook kind that earned more
positive replies leads most messages by Thompson sampling, not all of them."""

from __future__ import annotations

from typing import Any

from agent.campaigns.spec import CampaignSpec
from agent.learning.overview import reset_campaign_learning
from agent.learning.reply_chance import stored_reply_chance
from agent.planning.operations import prioritize
from agent.planning.prospects import Prospect, prospect_of
from graphs.analysis import Hook
from graphs.hook_choice import choose_hooks
from graphs.lead import Lead
from graphs.learned import AngleOdds
from storage.database import Database
from storage.models import CampaignRow
from tests.agent.learning.learning_seed import seed_learning_campaign
from tests.agent.planning.leads_for_planning import TODAY

SPEC = CampaignSpec(
    name="Learning",
    segments=[
        {"name": "retail", "share": 0.5, "match": {"industry": "retail"}},
        {"name": "platform", "share": 0.5, "match": {"industry": "platform"}},
    ],
)


def prospect(n: int, industry: str) -> Prospect:
    lead = Lead(name=f"Lead {n}", company=f"Co {n}", email=f"lead{n}@example.com",
                title="VP Engineering", industry=industry)  # fmt: skip
    return prospect_of(lead, today=TODAY)


async def chance_for(db: Database, campaign_id: int) -> Any:
    async with db.sessions() as session:
        row = await session.get(CampaignRow, campaign_id)
        assert row is not None
        return await stored_reply_chance(session, row)


async def test_outcomes_shift_priorities_towards_the_better_segment(database_url: str) -> None:
    # Retail leads come first in the list, and score the same as platform leads on fit.
    prospects = [prospect(n, "retail" if n < 5 else "platform engineering") for n in range(10)]
    before = prioritize(SPEC, prospects, today=TODAY)
    assert [p.placement.segment for p in before.ranked[:5]] == ["retail"] * 5
    assert len({p.score for p in before.ranked}) == 1

    async with await Database.connect(database_url, migrate=True) as db:
        campaign_id = await seed_learning_campaign(db)
        after = prioritize(
            SPEC, prospects, today=TODAY, reply_chance=await chance_for(db, campaign_id)
        )
        assert [p.placement.segment for p in after.ranked[:5]] == ["platform"] * 5
        best, worst = after.ranked[0].as_dict(), after.ranked[-1].as_dict()
        # Beta(1,9) prior: mean 0.10; platform 13/50 = 0.26, retail 2/50 = 0.04; weight 2.
        assert (
            "+0.32 reply chance: segment 'platform' 12/40 positive, prior Beta(1,9)"
            in best["reasons"]
        )
        assert (
            "-0.12 reply chance: segment 'retail' 1/40 positive, prior Beta(1,9)"
            in worst["reasons"]
        )
        assert best["score"] == round(before.ranked[0].score + 0.32, 4)

        async with db.sessions.begin() as session:
            row = await session.get(CampaignRow, campaign_id)
            assert row is not None
            await reset_campaign_learning(session, row)
        reset = prioritize(
            SPEC, prospects, today=TODAY, reply_chance=await chance_for(db, campaign_id)
        )
    assert [p.as_dict() for p in reset.ranked] == [p.as_dict() for p in before.ranked]


def test_the_better_hook_kind_leads_most_messages_and_the_other_still_gets_tried() -> None:
    odds = [
        AngleOdds(segment="platform", hook_kind="news", tone="direct", sent=40, positive=12),
        AngleOdds(segment="platform", hook_kind="post", tone="direct", sent=40, positive=3),
    ]
    hooks = [Hook(text="your post", fact_ids=["p"]), Hook(text="your news", fact_ids=["n"])]
    leading = []
    for n in range(300):
        ordered, draw = choose_hooks(
            hooks, ["post", "news"], odds, (1, 9), segment="platform", seed=f"run|lead {n}"
        )
        assert draw is not None and draw["data"]["news"] == "12/40 positive, prior Beta(1,9)"
        assert sorted(h.text for h in ordered) == ["your news", "your post"]
        leading.append(ordered[0].text)
    assert 0.9 * 300 < leading.count("your news") < 300
    # The same seed draws the same; a segment without outcomes keeps the analyst's order.
    again = choose_hooks(
        hooks, ["post", "news"], odds, (1, 9), segment="platform", seed="run|lead 7"
    )
    assert again[0][0].text == leading[7]
    assert choose_hooks(hooks, ["post", "news"], odds, (1, 9), segment="retail", seed="x") == (
        hooks,
        None,
    )
