"""Database URLs for storage tests: a temporary SQLite file and a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

PG_ADMIN_DSN = os.environ.get("OUTREACH_TEST_PG_DSN", "postgresql://127.0.0.1/test")


async def _postgres_database() -> AsyncIterator[str]:
    import asyncpg

    name = f"outreach_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        reason = f"PostgreSQL not reachable at {PG_ADMIN_DSN} ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the PostgreSQL tests, not skip them")
        pytest.skip(reason)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        host = PG_ADMIN_DSN.split("//", 1)[1].rsplit("/", 1)[0]
        yield f"postgresql+asyncpg://{host}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def database_url_for(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """Yield a fresh, empty database URL on the backend ('sqlite' or 'postgresql')."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'outreach.db'}"
    else:
        async for url in _postgres_database():
            yield url
