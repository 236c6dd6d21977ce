"""The machine's Redis and RabbitMQ for the distributed tests: reachable, or skipped (never on CI)."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

REDIS_URL = os.environ.get("OUTREACH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AMQP_URL = os.environ.get("OUTREACH_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


def require(name: str, host: str, port: int) -> None:
    """Skip the test when the service does not answer; fail it on CI, which must not skip."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return
    except OSError as exc:
        reason = f"{name} not reachable at {host}:{port} ({exc})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the distributed tests, not skip them")
    pytest.skip(reason)


def redis_url() -> str:
    """Return the test Redis, once it answers."""
    require("Redis", "127.0.0.1", 6379)
    return REDIS_URL


def amqp_url() -> str:
    """Return the test RabbitMQ, once it answers."""
    require("RabbitMQ", "127.0.0.1", 5672)
    return AMQP_URL


def unique(name: str) -> str:
    """A name no other test (or xdist worker) shares: a queue, a key prefix."""
    return f"{name}-{uuid.uuid4().hex[:10]}"
