"""Metrics by segment, angle and week over HTTP: the JSON a dashboard reads, the weekly trend
as an SVG picture with the segment names escaped, and bad week counts refused."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET

import httpx
import pytest

from storage.database import Database
from tests.agent.campaigns.metrics_seed import SCRIPT, UNTIL, seed_metrics_campaign
from tests.server.api_helpers import create_campaign


async def _seed(url: str) -> int:
    async with await Database.connect(url) as db:
        return await seed_metrics_campaign(db)


def test_segment_metrics_and_the_weekly_trend(client: httpx.Client, database_url: str) -> None:
    campaign_id = asyncio.run(_seed(database_url))
    base = f"/api/v1/campaigns/{campaign_id}/analytics"
    params = {"weeks": 3, "until": UNTIL.isoformat()}
    response = client.get(f"{base}/segments", params=params)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["weeks"] == ["2026-W47", "2026-W48", "2026-W49"]
    assert (report["from"], report["until"]) == ("2026-11-16", "2026-12-06")
    assert [s["segment"] for s in report["segments"]] == ["leaders", SCRIPT, "unsegmented"]
    leaders = report["segments"][0]
    assert {k: leaders[k] for k in ("sent", "replied", "positive_replies", "meetings")} == {
        "sent": 11, "replied": 5, "positive_replies": 3, "meetings": 1,
    }  # fmt: skip
    low, high = leaders["positive_reply_rate_ci"]
    assert low < leaders["positive_reply_rate"] == 27.27 < high
    assert [w["sent"] for w in report["weekly"]] == [8, 7, 3]
    assert report["weekly"][1]["change"]["positive_reply_rate"]["call"] == "too_few"
    assert report["top_angles"][0]["label"] == "direct · “cut CI time” · funding"
    assert report["top_sequences"][0]["sequence"] == "one message"
    assert report["segment_basis"] == "campaign_rules"

    picture = client.get(f"{base}/weekly-trend.svg", params=params)
    assert picture.status_code == 200
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert "default-src 'none'" in picture.headers["content-security-policy"]
    ET.fromstring(picture.content)
    assert b"&lt;script&gt;" in picture.content and b"<script>" not in picture.content


def test_a_new_campaign_answers_empty_tables_and_no_data_yet(client: httpx.Client) -> None:
    campaign = create_campaign(client)
    base = f"/api/v1/campaigns/{campaign['id']}/analytics"
    report = client.get(f"{base}/segments", params={"weeks": 1}).json()
    assert report["segments"] == [] and report["top_angles"] == [] and len(report["weekly"]) == 1
    assert report["totals"]["sent"] == 0
    picture = client.get(f"{base}/weekly-trend.svg")
    assert picture.status_code == 200 and b"No data yet" in picture.content


@pytest.mark.parametrize(
    ("params", "field"),
    [({"weeks": 0}, "weeks"), ({"weeks": 53}, "weeks"), ({"weeks": "many"}, "weeks"),
     ({"until": "0001-01-01"}, "until"), ({"until": "yesterday"}, "until")],
)  # fmt: skip
def test_bad_weeks_are_refused_by_name(
    client: httpx.Client, params: dict[str, object], field: str
) -> None:
    campaign = create_campaign(client)
    for path in ("segments", "weekly-trend.svg"):
        response = client.get(f"/api/v1/campaigns/{campaign['id']}/analytics/{path}", params=params)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field


def test_metrics_of_an_unknown_campaign_are_404(client: httpx.Client) -> None:
    for path in ("segments", "weekly-trend.svg"):
        response = client.get(f"/api/v1/campaigns/4040/analytics/{path}")
        assert response.status_code == 404
