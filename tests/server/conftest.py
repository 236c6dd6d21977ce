"""Fixtures for the REST API tests: a real server over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from agent.settings import Settings
from graphs.lead import Campaign
from storage.api_keys import issue_key
from storage.database import Database
from tests.server.api_helpers import api_client, live_api


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
def server_settings(offline_settings: Callable[..., Settings]) -> Settings:
    """The server's settings: offline writer, auto-send allowed, research on the demo web."""
    return offline_settings()


@pytest.fixture
def server(server_settings: Settings, api_key: str, campaign: Campaign) -> Iterator[str]:
    """The API over real HTTP; yields its base URL."""
    with live_api(server_settings, campaign) as base_url:
        yield base_url


@pytest.fixture
def client(server: str, api_key: str) -> Iterator[httpx.Client]:
    """An HTTP client that sends the API key."""
    with api_client(server, api_key, timeout=30) as http:
        yield http
