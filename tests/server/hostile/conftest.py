"""What the hostile-request tests share: SQLite only (everything here happens in the HTTP
layer, the same on both databases), SendGrid's verification key configured, and a client
without an API key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from agent.settings import Settings
from graphs.lead import Campaign
from tests.fakes.sendgrid_fake import WebhookSigner
from tests.server.api_helpers import live_api
from tests.storage_backends import database_url_for


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """SQLite only."""
    async for url in database_url_for("sqlite", tmp_path):
        yield url


@pytest.fixture
def signer() -> WebhookSigner:
    return WebhookSigner()


@pytest.fixture
def server(
    server_settings: Settings, signer: WebhookSigner, api_key: str, campaign: Campaign
) -> Iterator[str]:
    """The API with SendGrid's verification key configured (conftest's `client` uses it)."""
    settings = server_settings.model_copy(update={"sendgrid_webhook_public_key": signer.public_key})
    with live_api(settings, campaign) as base_url:
        yield base_url


@pytest.fixture
def stranger(server: str) -> Iterator[httpx.Client]:
    """A client without an API key."""
    with httpx.Client(base_url=server, timeout=60) as http:
        yield http
