"""Queued drafts for the console tests, made the way users make them: through the API."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.server.api_helpers import DEMO_AUDIENCE

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
"""A lead name that would run a script if a page inserted it as markup."""
LEADS = [
    {
        "name": "Maya Okafor",
        "email": "maya.okafor@northwind-robotics.example",
        "company": "Northwind Robotics",
        "title": "VP Engineering",
        "profile_url": "http://northwind-robotics.example/team/maya-okafor",
        "company_url": "http://northwind-robotics.example/",
    },
    {
        "name": "Jonas Weber",
        "email": "jonas.weber@quietpeak.example",
        "company": "Quiet Peak Software",
        "title": "CTO",
        "profile_url": "http://quietpeak.example/team/jonas-weber",
        "company_url": "http://quietpeak.example/",
    },
    {
        "name": HOSTILE_NAME,
        "email": "hostile@fjordline.example",
        "company": "Fjordline Logistics",
        "title": "Engineering Manager",
        "company_url": "http://fjordline.example/",
    },
]


def queue_drafts(api: httpx.Client | TestClient, api_key: str) -> dict[str, dict[str, Any]]:
    """Import three leads, run them with auto-send off; return their queued messages by name."""
    key = {"Authorization": f"Bearer {api_key}"}
    imported = api.post("/api/v1/leads", json={"leads": LEADS}, headers=key)
    assert imported.status_code == 200, imported.text
    ids = {
        lead["name"]: lead["id"] for lead in api.get("/api/v1/leads", headers=key).json()["items"]
    }
    campaign = api.post(
        "/api/v1/campaigns",
        json={
            "name": "Console review",
            "channel": "email",
            "auto_send": False,
            "target_audience": DEMO_AUDIENCE,
        },
        headers=key,
    )
    assert campaign.status_code == 201, campaign.text
    generated = api.post(
        f"/api/v1/campaigns/{campaign.json()['id']}/generate-messages?wait=true",
        json={"lead_ids": list(ids.values())},
        headers=key,
    )
    assert generated.status_code == 200, generated.text
    by_lead = {m["lead_id"]: m for m in generated.json()["messages"]}
    messages = {name: by_lead[lead_id] for name, lead_id in ids.items()}
    assert all(m["status"] == "queued" for m in messages.values()), messages
    return messages
