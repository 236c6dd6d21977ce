"""Bearer API keys on every endpoint except health and the signed webhooks.

The request gate (server/request_gate.py) checks the key before anything reads the request's
body, and leaves the key's id in the request state; the `require_api_key` dependency returns it
(or checks the key itself when the app runs without the gate).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.security.utils import get_authorization_scheme_param

from server.problems import Problem
from storage.api_keys import find_key
from storage.database import Database

CHALLENGE = {"WWW-Authenticate": "Bearer"}
API_KEY_ID = "api_key_id"
"""Where the gate leaves the id of the key a request presented (in the request state)."""


async def authenticate(db: Database, authorization: str | None) -> int:
    """Return the id of the key in an Authorization header; 401 when missing, unknown or revoked."""
    scheme, credentials = get_authorization_scheme_param(authorization)
    if scheme.lower() != "bearer" or not credentials:
        raise Problem(401, "send an API key as 'Authorization: Bearer <key>'", headers=CHALLENGE)
    async with db.sessions() as session:
        row = await find_key(session, credentials)
    if row is None:
        raise Problem(401, "the API key is unknown or revoked", headers=CHALLENGE)
    return row.id


async def require_api_key(request: Request) -> int:
    """Return the id of the presented key; 401 when it is missing, unknown or revoked."""
    known = getattr(request.state, API_KEY_ID, None)
    if isinstance(known, int):
        return known
    return await authenticate(request.app.state.db, request.headers.get("authorization"))
