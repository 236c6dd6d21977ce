"""A real `outreach serve` process on a temporary SQLite database, for the browser tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import EXAMPLES

OUTREACH = Path(sys.executable).parent / "outreach"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_env(data_dir: Path, resolve: dict[str, str]) -> dict[str, str]:
    """The environment `outreach serve` runs in: offline writer, demo web, sends due at once."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    return kept | {
        "OUTREACH_DATA_DIR": str(data_dir),
        "OUTREACH_DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'outreach.db'}",
        "OUTREACH_CONFIG_FILE": str(data_dir / "no-config.toml"),
        "OUTREACH_LLM_PROVIDER": "offline",
        "OUTREACH_RESOLVE": json.dumps(resolve),
        "OUTREACH_ALLOW_PRIVATE_NETWORKS": "true",
        "OUTREACH_SEND_MIN_GAP_S": "0",
        "OUTREACH_SEND_DOMAIN_GAP_S": "0",
        "OUTREACH_SEND_WINDOW": "00:00-24:00",
        "OUTREACH_SEND_WEEKDAYS_ONLY": "false",
        "OUTREACH_DISPATCH_INTERVAL_S": "0.5",
        "OUTREACH_SEQUENCE_TICK_S": "0",
    }


def create_key(env: dict[str, str]) -> str:
    """Issue an API key with the command line, as a user does."""
    created = subprocess.run(
        [str(OUTREACH), "api-key", "create", "reviewer"],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


@contextmanager
def outreach_serve(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Run `outreach serve` on a free port until the block ends; yield its URL."""
    port = _free_port()
    with log_path.open("w") as log:
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
            assert process.poll() is None, log_path.read_text()
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)
