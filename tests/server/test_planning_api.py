"""Planning over the API: a campaign's stored leads split over its segments and ranked by
priority with reasons; bad segments refused by name; hostile requests answered with a 4xx."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx

from agent.demo.fixtures import DEMO_TODAY
from storage.database import Database
from storage.models import FactRow, LeadRow
from storage.suppressions import suppress
from tests.server.api_helpers import create_campaign

SEGMENTS = [
    {
        "name": "leaders",
        "share": 0.5,
        "match": {"seniority": ["c_level", "vp"], "trigger": "funding", "within_days": 90},
        "angle": {"tone": "direct", "emphasis": "cut CI time by a third", "sequence": "3-step"},
    },
    {"name": "platform", "share": 0.3, "rules": [{"title": "platform"}, {"keywords": "kubernetes"}]},
]  # fmt: skip
LEADS = [
    {"name": "Maya Okafor", "company": "Northwind", "email": "maya@northwind.example",
     "title": "VP Engineering", "industry": "Software", "employees": "120",
     "email_status": "Verified"},
    {"name": "Jonas Weber", "company": "Quietpeak", "email": "jonas@quietpeak.example",
     "title": "VP Engineering", "industry": "Software", "employees": "120",
     "email_status": "Verified"},
    {"name": "Daniel Brandt", "company": "Lumen", "email": "daniel@lumen.example",
     "title": "Head of Platform"},
    {"name": "Tom Keller", "company": "Harborpine", "email": "tom@harborpine.example",
     "title": "Owner", "industry": "Bakery"},
    {"name": "Broken Row", "company": "Nowhere", "email": "broken@"},
]  # fmt: skip


def funding(lead_id: int, days_old: int) -> FactRow:
    headline = "Northwind raises $30M Series B"
    return FactRow(
        lead_id=lead_id,
        fact_id=f"f_fund_{lead_id}",
        kind="news",
        text=f"Northwind published “{headline}”.",
        title=headline,
        source_url="http://northwind.example/news",
        tool="company_research",
        published=DEMO_TODAY.date() - dt.timedelta(days=days_old),
        retrieved_at=DEMO_TODAY,
        attributes={"trigger": "funding"},
    )


async def add_facts(url: str, ages: dict[str, int]) -> None:
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        for email, days_old in ages.items():
            lead = (await session.execute(LeadRow.__table__.select().where(
                LeadRow.email_normalized == email))).one()  # fmt: skip
            session.add(funding(lead.id, days_old))
        await suppress(session, address="tom@harborpine.example", reason="bounced")


def imported(client: httpx.Client) -> dict[str, int]:
    response = client.post("/api/v1/leads", json={"leads": LEADS})
    assert response.status_code == 200, response.text
    assert [p["row"] for p in response.json()["errors"]] == [5]  # one bad row, the rest kept
    return {lead["email"]: lead["id"] for lead in client.get("/api/v1/leads").json()["items"]}


def test_stored_leads_are_split_and_ranked_with_reasons(
    client: httpx.Client, database_url: str
) -> None:
    ids = imported(client)
    asyncio.run(
        add_facts(database_url, {"maya@northwind.example": 12, "jonas@quietpeak.example": 200})
    )
    campaign = create_campaign(client, segments=SEGMENTS, segment_split="partial")
    assert campaign["segments"] == SEGMENTS and campaign["segment_split"] == "partial"

    split = client.post(f"/api/v1/campaigns/{campaign['id']}/segment", json={})
    assert split.status_code == 200, split.text
    body = split.json()
    assert (body["leads"], body["leads_with_facts"], body["problems"]) == (4, 2, [])
    assert [s["rules"] for s in body["segments"]] == [
        ["seniority: c_level, vp; trigger: funding; within_days: 90"],
        ["title: platform", "keywords: kubernetes"],
        [],
    ]
    counts = {s["name"]: (s["leads"], s["target_share"]) for s in body["segments"]}
    assert counts == {"leaders": (1, 0.5), "platform": (1, 0.3), "unsegmented": (2, 0.2)}
    placed = {p["email"]: (p["segment"], p["rule"], p["matched"]) for p in body["placements"]}
    assert placed["maya@northwind.example"] == (
        "leaders", 1, "seniority is vp; funding published 12 days ago",
    )  # fmt: skip
    assert placed["jonas@quietpeak.example"][0] == "unsegmented"  # its funding is 200 days old
    assert placed["daniel@lumen.example"] == ("platform", 1, "title contains 'platform'")
    assert {p["lead_id"] for p in body["placements"]} == set(ids.values())

    ranked = client.post(f"/api/v1/campaigns/{campaign['id']}/prioritize", json={"top": 2})
    assert ranked.status_code == 200, ranked.text
    items = ranked.json()["items"]
    assert ranked.json()["scored"] == 4 and len(items) == 2
    assert [i["email"] for i in items] == ["maya@northwind.example", "jonas@quietpeak.example"]
    assert items[0]["segment"] == "leaders" and items[0]["score"] > items[1]["score"]
    assert any("funding" in r and "published 12 days ago" in r for r in items[0]["reasons"])
    assert any("funding" in r and "published 200 days ago" in r for r in items[1]["reasons"])
    only = client.post(
        f"/api/v1/campaigns/{campaign['id']}/prioritize", json={"segment": "platform"}
    )
    assert [i["email"] for i in only.json()["items"]] == ["daniel@lumen.example"]
    # Seed 001's paths and bodies: the campaign in the body, prospect_ids, limit.
    seed = {"user_id": "user123", "campaign_id": campaign["id"], "prospect_ids": None}
    seeded = client.post("/api/v1/outreach/segment", json=seed)
    assert seeded.status_code == 200, seeded.text
    assert seeded.json()["segments"] == body["segments"]
    best = client.post("/api/v1/outreach/prioritize", json={**seed, "limit": 1}).json()
    assert [i["email"] for i in best["items"]] == ["maya@northwind.example"]
    missing = client.post("/api/v1/outreach/segment", json={**seed, "campaign_id": 999_999})
    assert missing.status_code == 404
    everyone = client.post(f"/api/v1/campaigns/{campaign['id']}/prioritize", json={}).json()
    last = everyone["items"][-1]
    assert last["email"] == "tom@harborpine.example"
    assert (
        "-1.00 reachability: bounced: on the suppression list, never written to"
        in (last["reasons"])
    )
    cleared = client.patch(f"/api/v1/campaigns/{campaign['id']}", json={"segments": None})
    assert cleared.status_code == 200 and cleared.json()["segments"] == []
    after = client.post(f"/api/v1/campaigns/{campaign['id']}/segment", json={}).json()
    assert [(s["name"], s["leads"]) for s in after["segments"]] == [("unsegmented", 4)]


def test_a_campaign_with_a_bad_segment_is_refused_naming_segment_rule_and_field(
    client: httpx.Client,
) -> None:
    bad: list[dict[str, Any]] = [
        SEGMENTS[0],
        {"name": "typo", "share": 0.2, "rules": [{"title": "cto"}, {"titel": "VP"}]},
    ]
    response = client.post(
        "/api/v1/campaigns",
        json={"name": "bad segments", "channel": "email", "segments": bad},
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["segment"], error["rule"], error["field"]) == ("typo", 2, "segments.typo.titel")
    assert "did you mean 'title'?" in error["message"]
    scoring = client.post(
        "/api/v1/campaigns",
        json={"name": "bad scoring", "channel": "email", "scoring": {"weights": {"x": "y"}}},
    )
    assert scoring.status_code == 422 and "scoring.weights.x" in scoring.json()["detail"]
    # Shares that do not add up are a warning: the campaign is kept, the split scaled.
    over = create_campaign(
        client, name="over", segments=[{**SEGMENTS[0], "share": 0.8}, SEGMENTS[1]]
    )
    split = client.post(f"/api/v1/campaigns/{over['id']}/segment").json()
    (warning,) = split["problems"]
    assert warning["level"] == "warning" and "shares add up to 1.1" in warning["message"]
    assert round(sum(s["target_share"] for s in split["segments"]), 6) == 1.0


def test_hostile_planning_requests_get_a_4xx(client: httpx.Client) -> None:
    campaign = create_campaign(client, segments=SEGMENTS)
    path = f"/api/v1/campaigns/{campaign['id']}"
    for body in (
        {"top": 0},
        {"top": "many"},
        {"lead_ids": ["x"]},
        {"lead_ids": list(range(1, 10_002))},
        {"max_leads": 10**9},
        {"unknown": 1},
        {"segment": "x" * 81},
        {"segment": "nope"},
        [1, 2],
        "text",
    ):
        response = client.post(f"{path}/prioritize", json=body)
        assert response.status_code == 422, (body, response.text)
    assert client.post(f"{path}/segment", json={"include_leads": "maybe"}).status_code == 422
    assert client.post(f"{path}/segment", content=b"{not json").status_code == 422
    assert client.post("/api/v1/campaigns/999999/segment").status_code == 404
    assert client.post("/api/v1/campaigns/0/prioritize").status_code == 422
    hostile_rules = [
        {"name": "<script>", "share": "all", "match": {"title": ["a" * 500]}},
        {"name": "deep", "share": 0.1, "match": {"exclude": {"exclude": {"title": "x"}}}},
        {"name": "types", "share": 0.1, "match": {"title": {"$regex": ".*"}}},
        {"name": "size", "share": 0.1, "match": {"company_size": {"min": 5, "max": 1}}},
    ]
    for segment in hostile_rules:
        refused = client.post(
            "/api/v1/campaigns", json={"name": "hostile", "channel": "email", "segments": [segment]}
        )
        assert refused.status_code == 422, (segment, refused.text)
        assert refused.json()["errors"][0]["segment"] == segment["name"]
