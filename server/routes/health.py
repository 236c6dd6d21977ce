"""Health: is the service up, and can it reach its database (no API key needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from server.problems import Problem

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and database check")
async def health(request: Request) -> dict[str, str]:
    """Return ok when the database answers; 503 otherwise."""
    try:
        async with request.app.state.db.sessions() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        raise Problem(503, f"the database does not answer: {exc.__class__.__name__}") from None
    return {"status": "ok"}
