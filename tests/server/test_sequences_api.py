"""Sequences over the API: preview every step for a lead, enrol, read a lead's sequence, pause
and resume, the metrics per step and the comparison of two campaigns' sequences."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import update

from agent.settings import Settings
from graphs.lead import Campaign
from server.app import API_PREFIX, create_app
from server.auth import require_api_key
from server.nul_guard import refuse_nul_text
from server.routes import sequences
from storage.database import Database
from storage.models import CampaignRow
from storage.sequences import stop_lead_sequences
from tests.agent.sequences.test_sequence_cli import Simulated, simulate_both
from tests.conftest import NOW
from tests.server.api_helpers import (
    OPEN_LIMITS_NO_DISPATCHER,
    api_client,
    create_campaign,
    import_demo_leads,
)
from tests.server.live_server import LiveServer

FIVE_STEP = ["email", "linkedin_connect", "email", "call", "email"]


def with_sequences(app: FastAPI) -> FastAPI:
    """Mount the sequence routes as server/app.py mounts the API's, unless it does already."""
    path = f"{API_PREFIX}/campaigns/{{campaign_id}}/sequence/metrics"
    if not any(getattr(route, "path", "") == path for route in app.routes):
        app.include_router(
            sequences.router,
            prefix=API_PREFIX,
            dependencies=[Depends(require_api_key), Depends(refuse_nul_text)],
        )
    return app


@pytest.fixture
def server(server_settings: Settings, api_key: str, campaign: Campaign) -> Iterator[str]:
    """The API with the sequence routes, its clock on a Sunday, no scheduler or sender loop."""
    settings = server_settings.model_copy(
        update={**OPEN_LIMITS_NO_DISPATCHER, "sequence_tick_s": 0}
    )
    app = with_sequences(create_app(settings, campaign_defaults=campaign, clock=lambda: NOW))
    with LiveServer(app) as live:
        yield live.base_url


@pytest.fixture
def client(server: str, api_key: str) -> Iterator[httpx.Client]:
    with api_client(server, api_key, timeout=120) as http:
        yield http


@pytest.fixture
def leads(client: httpx.Client) -> dict[str, int]:
    return import_demo_leads(client)


def sequence_campaign(client: httpx.Client, name: str, sequence: Any) -> int:
    return int(create_campaign(client, name=name, sequence=sequence)["id"])


def test_a_sequence_is_previewed_enrolled_read_paused_and_resumed(
    client: httpx.Client, leads: dict[str, int]
) -> None:
    five = sequence_campaign(client, "API five steps", "5-step")
    maya, daniel = leads["Maya Okafor"], leads["Daniel Brandt"]

    drafted = client.post(f"/api/v1/campaigns/{five}/sequence/preview", json={"lead_id": maya})
    assert drafted.status_code == 200, drafted.text
    steps = drafted.json()["steps"]
    assert [s["channel"] for s in steps] == FIVE_STEP
    assert [s["due_offset_business_days"] for s in steps] == [0, 1, 4, 7, 12]
    assert all(s["decision"] in ("send", "queue") and s["body"] for s in steps if s["step"] != 4)
    assert steps[0]["hooks"] and steps[2]["subject"] == f"Re: {steps[0]['subject']}"
    call = steps[3]
    assert call["decision"] == "task" and call["call_script"]["voicemail"] == call["body"]
    listed = client.get("/api/v1/messages", params={"campaign_id": five}).json()
    assert listed["total"] == 0  # a preview stores no message

    enrolled = client.post(
        f"/api/v1/campaigns/{five}/sequence/enroll", json={"lead_ids": [maya, daniel, maya]}
    )
    assert enrolled.status_code == 200, enrolled.text
    assert enrolled.json() == {
        "campaign_id": five, "campaign_status": "active", "enrolled": [maya, daniel], "already": [],
    }  # fmt: skip
    again = client.post(f"/api/v1/campaigns/{five}/sequence/enroll", json={"lead_ids": [maya]})
    assert (again.json()["enrolled"], again.json()["already"]) == ([], [maya])

    view = client.get(f"/api/v1/campaigns/{five}/leads/{maya}/sequence")
    assert view.status_code == 200, view.text
    body = view.json()
    assert (body["status"], body["current_step"], body["total_steps"]) == ("active", 1, 5)
    [first] = body["steps"]
    assert (first["status"], first["channel"], first["message_id"]) == ("scheduled", "email", None)
    assert first["due_at"].startswith("2026-11-23T09:00:00")  # Monday, when her window opens
    assert [(p["step"], p["channel"]) for p in body["upcoming"]] == list(
        enumerate(FIVE_STEP[1:], start=2)
    )

    lead_path = f"/api/v1/campaigns/{five}/leads/{maya}/sequence"
    paused = client.post(f"{lead_path}/pause")
    assert paused.status_code == 200, paused.text
    assert (paused.json()["lead_status"], paused.json()["steps_changed"]) == ("paused", 1)
    assert client.post(f"{lead_path}/pause").json()["steps_changed"] == 0  # twice: no change
    assert client.get(lead_path).json()["steps"][0]["status"] == "paused"
    assert client.post(f"{lead_path}/resume").json()["lead_status"] == "active"

    whole = client.post(f"/api/v1/campaigns/{five}/sequence/pause").json()
    assert (whole["campaign_status"], whole["steps_changed"]) == ("paused", 2)
    assert client.get(f"/api/v1/campaigns/{five}").json()["status"] == "paused"
    resumed = client.post(f"/api/v1/campaigns/{five}/sequence/resume").json()
    assert (resumed["campaign_status"], resumed["steps_changed"]) == ("active", 2)

    metrics = client.get(f"/api/v1/campaigns/{five}/sequence/metrics")
    assert metrics.status_code == 200, metrics.text
    data = metrics.json()
    assert data["leads"] == {
        "enrolled": 2, "active": 2, "paused": 0, "stopped": 0, "finished": 0,
    }  # fmt: skip
    assert data["steps"][0]["states"] == {"scheduled": 2} and data["steps"][0]["sent"] == 0
    assert data["steps"][1]["tasks"] == {"open": 0, "done": 0, "skipped": 0}
    assert data["performance"]["positive_replies"] == 0  # no replies yet: none positive
    analytics = client.get(f"/api/v1/campaigns/{five}/analytics").json()
    assert analytics["sequence"]["leads"] == data["leads"]


def campaign_ids(client: httpx.Client) -> dict[str, int]:
    return {c["name"]: c["id"] for c in client.get("/api/v1/campaigns").json()["items"]}


@pytest.fixture
def simulated(database_url: str, tmp_path: Path, demo_resolve: dict[str, str]) -> Simulated:
    return asyncio.run(simulate_both(database_url, tmp_path / "simulation", demo_resolve))


def test_metrics_and_a_comparison_of_two_campaigns_sequences(
    simulated: Simulated, client: httpx.Client
) -> None:
    ids = campaign_ids(client)
    three, five = ids["three-step"], ids["five-step"]
    metrics = client.get(f"/api/v1/campaigns/{three}/sequence/metrics").json()
    assert [s["replied"] for s in metrics["steps"]] == [1, 1, 0]
    assert metrics["performance"]["replied"] == 2 and metrics["name"] == "three-step"

    compared = client.get("/api/v1/sequences/compare", params={"campaign_ids": f"{three},{five}"})
    assert compared.status_code == 200, compared.text
    result = compared.json()
    rows = {row["name"]: row for row in result["campaigns"]}
    assert (rows["three-step"]["enrolled"], rows["three-step"]["replied"]) == (4, 2)
    assert (rows["five-step"]["enrolled"], rows["five-step"]["replied"]) == (3, 1)
    assert (rows["three-step"]["preset"], rows["five-step"]["steps"]) == ("3-step", 5)
    assert rows["three-step"]["reply_rate"] == 50.0 and rows["five-step"]["reply_rate"] == 33.33
    low, high = rows["three-step"]["reply_rate_ci"]
    assert low < 50 < high  # a Wilson interval, wide at four leads
    comparison = result["comparison"]
    assert comparison["between"] == [three, five] and comparison["test"] == "fisher_exact"
    assert comparison["p_value"] == 1.0  # 2 of 4 against 1 of 3 tells nothing apart


async def set_status(url: str, campaign_id: int, status: str) -> None:
    """Set a campaign's status in the database, as PATCH /campaigns/{id} does."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        await session.execute(
            update(CampaignRow).where(CampaignRow.id == campaign_id).values(status=status)
        )


async def stop(url: str, lead_id: int) -> None:
    """Stop the lead's sequences as a reply does."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        await stop_lead_sequences(session, lead_id=lead_id, reason="the lead replied", now=NOW)


def test_unknown_things_are_404_and_impossible_ones_409(
    client: httpx.Client, leads: dict[str, int], database_url: str
) -> None:
    three = sequence_campaign(client, "API three steps", "3-step")
    one_off = int(create_campaign(client, name="API one-off")["id"])
    cancelled = sequence_campaign(client, "API cancelled", "3-step")
    asyncio.run(set_status(database_url, cancelled, "cancelled"))
    maya, tom = leads["Maya Okafor"], leads["Tom Keller"]
    draft_pause = client.post(f"/api/v1/campaigns/{three}/sequence/pause")
    assert draft_pause.status_code == 409
    assert "a draft campaign cannot become paused" in draft_pause.json()["detail"]
    assert client.post(
        f"/api/v1/campaigns/{three}/sequence/enroll", json={"lead_ids": [maya]}
    ).json()["enrolled"] == [maya]

    def check(method: str, path: str, status: int, said: str, **options: Any) -> None:
        response = client.request(method, f"/api/v1{path}", **options)
        assert response.status_code == status, (path, response.text)
        assert said in response.json()["detail"], response.json()

    check("POST", f"/campaigns/{three}/sequence/enroll", 404, "there is no lead 9999; nobody",
          json={"lead_ids": [tom, 9999]})  # fmt: skip
    check("GET", f"/campaigns/{three}/leads/{tom}/sequence", 404, "is not enrolled")
    check("GET", "/campaigns/9999/sequence/metrics", 404, "there is no campaign 9999")
    check("POST", "/campaigns/9999/sequence/preview", 404, "there is no campaign",
          json={"lead_id": maya})  # fmt: skip
    check("POST", f"/campaigns/{three}/sequence/preview", 404, "there is no lead 9999",
          json={"lead_id": 9999})  # fmt: skip
    check("POST", f"/campaigns/{three}/leads/9999/sequence/pause", 404, "there is no lead")
    for path, options in (
        ("/sequence/enroll", {"json": {"lead_ids": [maya]}}),
        ("/sequence/preview", {"json": {"lead_id": maya}}),
        ("/sequence/metrics", {}),
        ("/sequence/pause", {}),
        (f"/leads/{maya}/sequence", {}),
    ):
        method = "GET" if not options and "pause" not in path else "POST"
        check(method, f"/campaigns/{one_off}{path}", 409, "has no sequence", **options)
    assert client.get(f"/api/v1/campaigns/{one_off}/analytics").json()["sequence"] is None
    check("POST", f"/campaigns/{cancelled}/sequence/enroll", 409, "is cancelled",
          json={"lead_ids": [maya]})  # fmt: skip
    check("GET", "/sequences/compare", 409, "has no sequence",
          params={"campaign_ids": f"{three},{one_off}"})  # fmt: skip
    check("GET", "/sequences/compare", 404, "there is no campaign 9999",
          params={"campaign_ids": f"{three},9999"})  # fmt: skip

    asyncio.run(stop(database_url, maya))
    check("POST", f"/campaigns/{three}/leads/{maya}/sequence/pause", 409,
          "sequence is stopped (the lead replied)")  # fmt: skip
    assert client.get(f"/api/v1/campaigns/{three}/leads/{maya}/sequence").json()["upcoming"] == []


HOSTILE: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/sequence/enroll", {"json": {"lead_ids": []}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": list(range(1, 1002))}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": ["maya"]}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": [2**40]}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": [0]}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": [1.5]}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": None}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": [1], "campaign_id": 2}}),
    ("POST", "/sequence/enroll", {"json": [1, 2]}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": {"$gt": 0}}}),
    ("POST", "/sequence/enroll",
     {"content": b"{not json", "headers": {"content-type": "application/json"}}),
    ("POST", "/sequence/enroll", {"json": {"lead_ids": [1], "note": "nul\x00here"}}),
    ("POST", "/sequence/preview", {"json": {}}),
    ("POST", "/sequence/preview", {"json": {"lead_id": "1; DROP TABLE leads"}}),
    ("POST", "/sequence/preview", {"json": {"lead_id": -1}}),
    ("POST", "/sequence/preview", {"json": {"lead_id": 2**63}}),
    ("GET", "/leads/abc/sequence", {}),
    ("GET", f"/leads/{2**40}/sequence", {}),
    ("POST", "/leads/0/sequence/resume", {}),
    ("GET", "COMPARE", {"params": {"campaign_ids": "1"}}),
    ("GET", "COMPARE", {"params": {"campaign_ids": "1,1"}}),
    ("GET", "COMPARE", {"params": {"campaign_ids": "a,b"}}),
    ("GET", "COMPARE", {"params": {"campaign_ids": "1,-2"}}),
    ("GET", "COMPARE", {"params": {"campaign_ids": f"1,{2**40}"}}),
    ("GET", "COMPARE", {"params": {"campaign_ids": ",".join(str(i) for i in range(1, 12))}}),
    ("GET", "COMPARE", {"params": {"campaign_ids": "1," * 150}}),
    ("GET", "COMPARE", {"params": {"campaign_ids": "１,２"}}),  # full-width digits
    ("GET", "COMPARE", {}),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "options"), HOSTILE)
def test_hostile_requests_are_refused_with_a_4xx_and_change_nothing(
    client: httpx.Client, leads: dict[str, int], method: str, path: str, options: dict[str, Any]
) -> None:
    three = sequence_campaign(client, "API hostile", "3-step")
    url = "/api/v1/sequences/compare" if path == "COMPARE" else f"/api/v1/campaigns/{three}{path}"
    response = client.request(method, url, **options)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    metrics = client.get(f"/api/v1/campaigns/{three}/sequence/metrics").json()
    assert metrics["leads"]["enrolled"] == 0
    assert client.get(f"/api/v1/campaigns/{three}").json()["status"] == "draft"


def test_the_routes_need_the_api_key(server: str) -> None:
    with httpx.Client(base_url=server) as stranger:
        assert stranger.get("/api/v1/campaigns/1/sequence/metrics").status_code == 401
        assert stranger.post("/api/v1/campaigns/1/sequence/pause").status_code == 401
