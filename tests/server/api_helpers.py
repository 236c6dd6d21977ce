"""Helpers shared by the REST API tests: a live server with a client, demo data over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx
import yaml

from agent.demo.fixtures import DEMO_TODAY
from agent.settings import Settings
from graphs.lead import Campaign
from server.app import create_app
from tests.conftest import EXAMPLES, OPEN_LIMITS
from tests.server.live_server import LiveServer

# Open sending limits, with the background dispatcher off: messages go when a test sends them.
OPEN_LIMITS_NO_DISPATCHER: dict[str, Any] = {**OPEN_LIMITS, "dispatch_interval_s": 0}
DEMO_AUDIENCE = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())["target"]


@contextmanager
def live_api(
    settings: Settings,
    campaign: Campaign | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Iterator[str]:
    """Start the app on a live loopback server (on the demo's day unless told); yield its URL."""
    app = create_app(settings, campaign_defaults=campaign, clock=clock or (lambda: DEMO_TODAY))
    with LiveServer(app) as live:
        yield live.base_url


def api_client(base_url: str, api_key: str, **options: Any) -> httpx.Client:
    """An HTTP client that sends the API key; `options` go to httpx.Client (e.g. timeout)."""
    return httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {api_key}"}, **options
    )


@contextmanager
def serve(
    settings: Settings,
    campaign: Campaign | None,
    api_key: str,
    clock: Callable[[], datetime] | None = None,
    **client_options: Any,
) -> Iterator[httpx.Client]:
    """Start the app on a live server; yield a client authenticated with `api_key`."""
    with (
        live_api(settings, campaign, clock) as base_url,
        api_client(base_url, api_key, **client_options) as client,
    ):
        yield client


def import_demo_leads(client: httpx.Client) -> dict[str, int]:
    """Upload the demo lead file; return lead ids by name."""
    csv_text = (EXAMPLES / "leads.csv").read_text()
    response = client.post(
        "/api/v1/leads/import", files={"file": ("leads.csv", csv_text, "text/csv")}
    )
    assert response.status_code == 200, response.text
    assert response.json()["imported"] == 7  # the row with a broken email is refused
    return {lead["name"]: lead["id"] for lead in client.get("/api/v1/leads").json()["items"]}


def create_campaign(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    """Create an email campaign for the demo's audience (its pitch is the server's default)."""
    body = {
        "name": "API brightpath",
        "channel": "email",
        "auto_send": True,
        "target_audience": DEMO_AUDIENCE,
        **fields,
    }
    response = client.post("/api/v1/campaigns", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def generate(client: httpx.Client, campaign_id: int, **body: Any) -> list[dict[str, Any]]:
    response = client.post(
        f"/api/v1/campaigns/{campaign_id}/generate-messages?wait=true", json=body
    )
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])
