"""Refuse text with NUL characters before it reaches the database.

PostgreSQL cannot store U+0000 in text or JSONB; a request carrying one would fail deep in a
query. It never belongs in names, addresses or messages, so it is refused at the door (on
SQLite too, so both backends behave alike): 422, naming where it was found.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from server.json_depth import check_json_depth, is_json_media_type
from server.problems import Problem

NUL = "\x00"


def _holds_nul(value: Any) -> bool:
    """Whether any text in a parsed JSON value (keys included) holds a NUL, walked without
    recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
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
    if is_json_media_type(request.headers.get("content-type")):  # what FastAPI parses
        raw = await request.body()
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            return  # FastAPI answers malformed JSON itself
        except RecursionError:  # the request gate refuses such bodies first; in case it is absent
            check_json_depth(raw)
            raise
        if _holds_nul(body):
            raise _refuse("body")


def refuse_nul_in_upload(text: str, field: str) -> None:
    """Refuse an uploaded text file with NUL characters (a binary file, most likely)."""
    if NUL in text:
        raise _refuse(field)
