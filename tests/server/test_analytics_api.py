"""Analytics over HTTP: counts and cost after real sends, and A/B calls made only when earned."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import CampaignToneStatRow
from tests.server.api_helpers import (
    OPEN_LIMITS_NO_DISPATCHER,
    create_campaign,
    generate,
    import_demo_leads,
    serve,
)


@pytest.fixture
def open_client(
    server_settings: Settings, campaign: Campaign, api_key: str
) -> Iterator[httpx.Client]:
    settings = server_settings.model_copy(update=OPEN_LIMITS_NO_DISPATCHER)
    with serve(settings, campaign, api_key, timeout=120) as client:
        yield client


def test_counts_rates_and_cost_follow_sends_and_replies(open_client: httpx.Client) -> None:
    client = open_client
    import_demo_leads(client)
    campaign = create_campaign(client)
    generate(client, campaign["id"])
    sent = client.post(f"/api/v1/campaigns/{campaign['id']}/send").json()["sent"]
    assert len(sent) == 4
    for message_id in sent:
        client.put(f"/api/v1/messages/{message_id}/status", json={"status": "delivered"})
    client.put(f"/api/v1/messages/{sent[0]}/status", json={"status": "opened"})
    client.put(f"/api/v1/messages/{sent[0]}/status", json={"status": "replied"})

    report = client.get(f"/api/v1/campaigns/{campaign['id']}/analytics").json()
    performance = report["performance"]
    assert report["name"] == "API brightpath" and report["status"] == "active"
    assert (performance["sent"], performance["delivered"], performance["replied"]) == (4, 4, 1)
    assert performance["reply_rate"] == 25.0 and performance["open_rate"] == 25.0
    assert performance["total_messages"] == 7
    assert report["cost"]["total_usd"] == 0.0  # the offline writer costs nothing
    assert report["cost"]["cost_per_reply"] == 0.0
    ab = report["ab_testing"]
    assert ab["primary_metric"] == "reply_rate" and ab["winning_variant"] is None
    assert any("needs 100" in reason for reason in ab["not_yet"]), ab["not_yet"]
    assert sum(v["sent"] for v in ab["variants"]) == 4
    assert "privacy" in report["notes"][0]


async def seed_counts(url: str, campaign_id: int, counts: dict[str, tuple[int, int, int]]) -> None:
    """Set per-tone (sent, opened, replied) totals as tracking would have recorded them."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        for tone, (sent, opened, replied) in counts.items():
            session.add(
                CampaignToneStatRow(
                    campaign_id=campaign_id, tone=tone, sent=sent, delivered=sent,
                    opened=opened, clicked=0, replied=replied, bounced=0,
                )
            )  # fmt: skip


@pytest.mark.parametrize(
    ("counts", "winner"),
    [
        # A clear, well-sampled difference: professional wins.
        (
            {
                "professional": (1000, 400, 120),
                "friendly": (1000, 380, 40),
                "direct": (1000, 700, 45),
            },
            "professional",
        ),
        # Direct has by far the most opens but fewer replies: opens never pick a winner.
        ({"professional": (30, 5, 4), "friendly": (30, 6, 1), "direct": (30, 29, 0)}, None),
    ],
)
def test_a_winner_is_declared_only_when_the_evidence_is_there(
    open_client: httpx.Client,
    server_settings: Settings,
    counts: dict[str, tuple[int, int, int]],
    winner: str | None,
) -> None:
    campaign = create_campaign(open_client)
    assert server_settings.database_url is not None
    asyncio.run(seed_counts(server_settings.database_url, campaign["id"], counts))
    ab = open_client.get(f"/api/v1/campaigns/{campaign['id']}/analytics").json()["ab_testing"]
    arms = {v["tone"]: v for v in ab["variants"]}
    assert [v["variant_number"] for v in ab["variants"]] == [0, 1, 2]
    assert ab["winner"] == winner
    if winner:
        assert ab["winning_variant"] == 0 and ab["not_yet"] == []
        assert arms["professional"]["prob_best"] > 0.99
        assert arms["professional"]["reply_rate"] == 12.0
        low, high = arms["professional"]["reply_rate_ci"]
        assert low < 12.0 < high
        assert ab["significance"]["p_value"] < 0.001
    else:
        assert ab["leader"] != "direct"
        assert any("each variant needs 100" in reason for reason in ab["not_yet"])
        assert ab["sends_needed_per_arm"] > 30
    strict = open_client.get(
        f"/api/v1/campaigns/{campaign['id']}/analytics", params={"min_sends_per_arm": 5000}
    ).json()["ab_testing"]
    assert strict["winner"] is None  # the same data, a stricter rule: not yet


def test_analytics_of_an_unknown_campaign_is_404(open_client: httpx.Client) -> None:
    response = open_client.get("/api/v1/campaigns/4040/analytics")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
