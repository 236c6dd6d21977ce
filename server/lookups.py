"""Read one row by its key, or answer 404 naming what was asked for."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request

from server.problems import Problem
from storage.models import Base

Row = TypeVar("Row", bound=Base)


async def row_or_404(request: Request, model: type[Row], key: Any, noun: str) -> Row:
    """Return the row, or raise a 404 problem: "there is no {noun} {key}"."""
    async with request.app.state.db.sessions() as session:
        row = await session.get(model, key)
    if row is None:
        raise Problem(404, f"there is no {noun} {key}")
    return row
