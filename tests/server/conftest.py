"""Fixtures for the REST API tests: a real server over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agent.demo import DEMO_TODAY
from agent.settings import Settings
from graphs.lead import Campaign
from server.app import create_app
from storage.api_keys import issue_key
from storage.database import Database
from tests.server.live_server import LiveServer


async def issue_test_key(url: str) -> str:
    """Migrate the database and issue a key, as `outreach api-key create` does."""
    async with await Database.connect(url, migrate=True) as db, db.sessions.begin() as session:
        _, key = await issue_key(session, name="tests")
    return key


@pytest.fixture
async def api_key(database_url: str) -> str:
    """A valid API key in the test database."""
    return await issue_test_key(database_url)


@pytest.fixture
def server_settings(database_url: str, tmp_path: Path, demo_resolve: dict[str, str]) -> Settings:
    """The server's settings: offline writer, auto-send allowed, research on the demo web."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        llm_provider="offline",
        resolve=demo_resolve,
        allow_private_networks=True,
    )


@pytest.fixture
def server(server_settings: Settings, api_key: str, campaign: Campaign) -> Iterator[str]:
    """The API over real HTTP; yields its base URL."""
    app = create_app(server_settings, campaign_defaults=campaign, clock=lambda: DEMO_TODAY)
    with LiveServer(app) as live:
        yield live.base_url


@pytest.fixture
def client(server: str, api_key: str) -> Iterator[httpx.Client]:
    """An HTTP client that sends the API key."""
    headers = {"Authorization": f"Bearer {api_key}"}
    with httpx.Client(base_url=server, headers=headers, timeout=30) as http:
        yield http
