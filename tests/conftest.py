"""Shared fixtures; every test runs with the network closed except loopback."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.demo.web import DemoWeb
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from storage.database import open_engine, session_maker
from storage.deliveries import DeliveryLedger
from storage.migrations import upgrade
from tests.fakes.openai_stub import OpenAIStub
from tests.storage_backends import database_url_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
# Sending limits that let every message go at once, on any day.
OPEN_LIMITS: dict[str, Any] = {
    "send_min_gap_s": 0,
    "send_domain_gap_s": 0,
    "send_window": "00:00-24:00",
    "send_weekdays_only": False,
}

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _allowed(address: Any) -> bool:
    if isinstance(address, str | bytes):  # unix sockets
        return True
    host = address[0]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _allowed(address):
        raise ConnectionRefusedError(f"tests may only reach loopback, not {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _allowed(address):
        raise ConnectionRefusedError(f"tests may only reach loopback, not {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a real model or website."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the developer's keys, .env and outreach.toml out of tests."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith("OUTREACH_") and name != "OUTREACH_CHROMIUM_PATH":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OUTREACH_CONFIG_FILE", str(tmp_path / "no-config.toml"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def chromium() -> str:
    """Return the Chromium to test with; skip without one, but fail on CI, which must not skip."""
    from tools.browser_render import find_chromium

    path = find_chromium()
    if importlib.util.find_spec("playwright") is None:
        reason = "Playwright not installed: pip install playwright"
    elif path is None or not os.access(path, os.X_OK):
        reason = "Chromium not installed: apt-get install -y chromium"
    else:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the browser tests, not skip them)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def demo_web() -> Iterator[DemoWeb]:
    """The bundled fictional websites on loopback."""
    with DemoWeb(EXAMPLES / "sites") as web:
        yield web


@pytest.fixture
def demo_resolve(demo_web: DemoWeb) -> dict[str, str]:
    """Host map sending every demo host (and a broken one) to the loopback server."""
    return demo_web.resolve_map(["brokenlink-labs.example"])


@pytest.fixture
def campaign() -> Campaign:
    """The demo campaign."""
    return Campaign.model_validate(yaml.safe_load((EXAMPLES / "campaign.yaml").read_text()))


@pytest.fixture
def maya() -> Lead:
    """A strong-fit lead with rich research."""
    return Lead(
        name="Maya Okafor",
        email="maya.okafor@northwind-robotics.example",
        company="Northwind Robotics",
        title="VP Engineering",
        profile_url="http://northwind-robotics.example/team/maya-okafor",
        company_url="http://northwind-robotics.example/",
        phone="+12025550110",
        linkedin_url="https://www.linkedin.com/in/maya-okafor-example",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database on each backend (PostgreSQL: a throwaway database)."""
    async for url in database_url_for(request.param, tmp_path):
        yield url


@pytest.fixture
def offline_settings(
    database_url: str, tmp_path: Path, demo_resolve: dict[str, str]
) -> Callable[..., Settings]:
    """Build settings for the test database: offline writer, research on the demo web.

    Keyword arguments are passed on to Settings, so overrides are validated like the rest.
    """

    def build(**overrides: Any) -> Settings:
        return Settings(
            database_url=database_url,
            data_dir=tmp_path / "data",
            llm_provider="offline",
            resolve=demo_resolve,
            allow_private_networks=True,
            **overrides,
        )

    return build


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    """An OpenAI-compatible stub on loopback; no stub thread may outlive the test."""
    with OpenAIStub() as running:
        yield running
    assert not [t for t in threading.enumerate() if t.name.startswith("OpenAIStub")]


@pytest.fixture
async def ledger(database_url: str) -> AsyncIterator[DeliveryLedger]:
    """A send ledger over a migrated test database (SQLite and PostgreSQL)."""
    engine = open_engine(database_url)
    await upgrade(engine)
    yield DeliveryLedger(session_maker(engine))
    await engine.dispose()
