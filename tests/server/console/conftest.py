"""The console over the app in-process (HTTP tests), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from agent.demo.fixtures import DEMO_TODAY
from agent.settings import Settings
from graphs.lead import Campaign
from server.app import create_app
from tests.server.api_helpers import OPEN_LIMITS_NO_DISPATCHER
from tests.server.console.seeding import queue_drafts


@pytest.fixture
def browser_client(
    offline_settings: Callable[..., Settings], api_key: str, campaign: Campaign
) -> Iterator[TestClient]:
    """A cookie-keeping client on the app in-process (no API key sent unless a test adds it)."""
    app = create_app(
        offline_settings(sequence_tick_s=0, **OPEN_LIMITS_NO_DISPATCHER),
        campaign_defaults=campaign,
        clock=lambda: DEMO_TODAY,
    )
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def queued(browser_client: TestClient, api_key: str) -> dict[str, dict[str, Any]]:
    """Three queued messages (one for a lead with a hostile name), by lead name."""
    return queue_drafts(browser_client, api_key)
