"""Campaigns over HTTP: seed-style create, list, update, status moves, and errors as problems."""

from __future__ import annotations

import httpx

SEED_CREATE = {
    "name": "Q1 SaaS Outreach",
    "channel": "email",
    "description": "Target high-scoring SaaS leads",
    "target_audience": {"industry": "Software", "company_size": "50-200 employees"},
    "min_qualification_score": 70.0,
}


def test_seed_create_returns_the_seed_shape_and_is_stored(client: httpx.Client) -> None:
    response = client.post("/api/v1/campaigns/create", json=SEED_CREATE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Q1 SaaS Outreach" and body["status"] == "draft"
    assert body["total_messages"] == 0 and body["messages_sent"] == 0
    assert body["total_cost_usd"] == 0.0 and body["created_at"]
    # New campaigns start from the server's defaults (sender and pitch of the demo campaign).
    assert body["sender"]["company"] == "Brightpath" and body["value_proposition"]
    fetched = client.get(f"/api/v1/campaigns/{body['id']}").json()
    assert fetched["target_audience"] == SEED_CREATE["target_audience"]
    assert fetched["min_qualification_score"] == 70.0


def test_restful_create_list_and_update(client: httpx.Client) -> None:
    created = client.post(
        "/api/v1/campaigns",
        json={
            "name": "Platform leads",
            "channel": "linkedin",
            "target_audience": {"titles": ["CTO", "VP Engineering"], "keywords": ["CI"]},
            "value_proposition": "We make CI fast.",
            "auto_send": True,
            "prompt_versions": {"generate": "v2"},
        },
    ).json()
    assert created["auto_send"] is True and created["prompt_versions"] == {"generate": "v2"}
    names = [c["name"] for c in client.get("/api/v1/campaigns").json()["items"]]
    assert names == ["Platform leads"]
    patched = client.patch(
        f"/api/v1/campaigns/{created['id']}",
        json={"value_proposition": "We make CI faster.", "status": "active"},
    ).json()
    assert patched["value_proposition"] == "We make CI faster." and patched["status"] == "active"
    assert patched["auto_send"] is True, "fields not sent are left alone"
    active = client.get("/api/v1/campaigns", params={"status": "active"}).json()["items"]
    assert [c["id"] for c in active] == [created["id"]]


def test_status_moves_are_validated(client: httpx.Client) -> None:
    cid = client.post("/api/v1/campaigns", json={**SEED_CREATE, "name": "moves"}).json()["id"]
    bad = client.patch(f"/api/v1/campaigns/{cid}", json={"status": "paused"})
    assert bad.status_code == 409
    assert bad.headers["content-type"] == "application/problem+json"
    assert "a draft campaign cannot become paused" in bad.json()["detail"]
    for status in ("active", "paused", "active", "completed"):
        ok = client.patch(f"/api/v1/campaigns/{cid}", json={"status": status})
        assert ok.status_code == 200 and ok.json()["status"] == status
    final = client.patch(f"/api/v1/campaigns/{cid}", json={"status": "active"})
    assert final.status_code == 409 and "it is final" in final.json()["detail"]
    assert client.get(f"/api/v1/campaigns/{cid}").json()["status"] == "completed"


def test_invalid_input_names_the_field_and_nothing_is_written(client: httpx.Client) -> None:
    bad = client.post("/api/v1/campaigns", json={**SEED_CREATE, "channel": "fax"})
    assert bad.status_code == 422
    problem = bad.json()
    assert problem["title"] == "Invalid input" and "channel" in problem["detail"]
    assert problem["errors"][0]["field"] == "channel"
    wrong_type = client.post(
        "/api/v1/campaigns", json={**SEED_CREATE, "target_audience": {"titles": [1, 2]}}
    )
    assert wrong_type.status_code == 422
    assert (
        "target_audience.titles must be a string or a list of strings"
        in (wrong_type.json()["detail"])
    )
    unknown = client.post("/api/v1/campaigns", json={**SEED_CREATE, "budget": 10})
    assert unknown.status_code == 422 and "budget" in unknown.json()["detail"]
    assert client.get("/api/v1/campaigns").json()["items"] == []


def test_duplicate_names_and_missing_campaigns(client: httpx.Client) -> None:
    assert client.post("/api/v1/campaigns", json=SEED_CREATE).status_code == 201
    again = client.post("/api/v1/campaigns", json=SEED_CREATE)
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    missing = client.get("/api/v1/campaigns/999")
    assert missing.status_code == 404 and missing.json()["detail"] == "there is no campaign 999"


def test_every_api_call_needs_a_valid_key(server: str) -> None:
    with httpx.Client(base_url=server) as anonymous:
        missing = anonymous.get("/api/v1/campaigns")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer" in missing.json()["detail"]
        wrong = anonymous.get("/api/v1/campaigns", headers={"Authorization": "Bearer oa_nope"})
        assert wrong.status_code == 401 and "unknown or revoked" in wrong.json()["detail"]
        created = anonymous.post(
            "/api/v1/campaigns", json=SEED_CREATE, headers={"Authorization": "Bearer oa_nope"}
        )
        assert created.status_code == 401
        # Health and the API docs need no key.
        assert anonymous.get("/health").json() == {"status": "ok"}
        assert "/api/v1/campaigns/create" in anonymous.get("/openapi.json").json()["paths"]
