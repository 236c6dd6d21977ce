"""`outreach serve` as a user runs it: a real process, serving the API with its campaign defaults.

The command starts the app through uvicorn's factory (`server.app:app_from_settings`) instead of
importing the server, so this checks that what the command names is what serves.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLES

OUTREACH = Path(sys.executable).parent / "outreach"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    return kept | {"OUTREACH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "160"}


def outreach(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(OUTREACH), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


@pytest.fixture
def served(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`outreach serve --campaign-defaults` on a free port; yields its URL and an API key."""
    created = outreach(env, "api-key", "create", "tests")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [str(OUTREACH), "serve", "--port", str(port), "--campaign-defaults",
         str(EXAMPLES / "campaign.yaml")],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it answers, or it has exited
            if process.poll() is not None:
                break
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        yield url, key
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_serve_runs_the_api_with_its_campaign_defaults(served: tuple[str, str]) -> None:
    url, key = served
    headers = {"Authorization": f"Bearer {key}"}
    refused = httpx.get(f"{url}/api/v1/campaigns", timeout=10)
    assert refused.status_code == 401
    created = httpx.post(
        f"{url}/api/v1/campaigns",
        json={"name": "Audience only", "channel": "email", "target_audience": {"titles": ["CTO"]}},
        headers=headers,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    # Sender and pitch came from the --campaign-defaults file.
    assert body["sender"]["company"] == "Brightpath"
    assert "Brightpath" in body["value_proposition"]


def test_serve_names_a_bad_campaign_defaults_file(env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("channel: carrier-pigeon\n")
    done = outreach(env, "serve", "--campaign-defaults", str(broken))
    assert done.returncode != 0
    assert "campaign" in done.stderr  # what is wrong with the file, in one line
    assert "Traceback" not in done.stderr


def test_serve_checks_campaign_defaults_named_in_the_environment(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("channel: carrier-pigeon\n")
    done = outreach(env | {"OUTREACH_CAMPAIGN_DEFAULTS": str(broken)}, "serve")
    assert done.returncode != 0
    assert "campaign" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
