"""Refuse text with NUL characters before it reaches the database.

PostgreSQL cannot store U+0000 in text or JSONB; a request carrying one would fail deep in a
query. It never belongs in names, addresses or messages, so it is refused at the door (on
SQLite too, so both backends behave alike): 422, naming where it was found.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from server.problems import Problem

NUL = "\x00"


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _refuse(where: str) -> Problem:
    message = "text may not contain NUL characters (U+0000)"
    return Problem(422, f"{where}: {message}", errors=[{"field": where, "message": message}])


async def refuse_nul_text(request: Request) -> None:
    """A dependency of every API route: check the path, query and JSON body."""
    if NUL in request.url.path:
        raise _refuse("path")
    for name, value in request.query_params.multi_items():
        if NUL in name or NUL in value:
            raise _refuse(name if NUL not in name else "query")
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            return  # FastAPI answers malformed JSON itself
        if _holds_nul(body):
            raise _refuse("body")


def refuse_nul_in_upload(text: str, field: str) -> None:
    """Refuse an uploaded text file with NUL characters (a binary file, most likely)."""
    if NUL in text:
        raise _refuse(field)
