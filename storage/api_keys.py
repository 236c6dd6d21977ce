"""API keys for the REST API: issued once, stored as a SHA-256 hash, found by that hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiKeyRow

KEY_PREFIX = "oa_"


def hash_key(key: str) -> str:
    """Return the stored form of a key.

    Keys are 32 random bytes, so a plain SHA-256 is enough: there is nothing to brute-force
    the way a password would be, and a lookup by hash stays one indexed query.
    """
    return hashlib.sha256(key.encode()).hexdigest()


async def issue_key(session: AsyncSession, *, name: str) -> tuple[ApiKeyRow, str]:
    """Create a key; return its row and the key itself, which is never stored or shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKeyRow(name=name, prefix=key[:10], key_hash=hash_key(key))
    session.add(row)
    await session.flush()
    return row, key


async def find_key(session: AsyncSession, key: str) -> ApiKeyRow | None:
    """Return the live key row matching a presented key, or None."""
    row = await session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(key)))
    return row if row is not None and row.revoked_at is None else None


async def list_keys(session: AsyncSession) -> list[ApiKeyRow]:
    """Return every key, newest first (hashes only)."""
    return list(await session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id.desc())))


async def revoke_key(session: AsyncSession, *, key_id: int) -> bool:
    """Revoke a key by id; return whether it existed and was live."""
    row = await session.get(ApiKeyRow, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = dt.datetime.now(dt.UTC)
    return True
