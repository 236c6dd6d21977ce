"""Bearer API keys on every endpoint except health and the signed webhooks."""

from __future__ import annotations

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.problems import Problem
from storage.api_keys import find_key

bearer = HTTPBearer(auto_error=False, description="An API key from `outreach api-key create`.")


async def require_api_key(request: Request) -> int:
    """Return the id of the presented key; 401 when it is missing, unknown or revoked."""
    credentials: HTTPAuthorizationCredentials | None = await bearer(request)
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or not credentials.credentials:
        raise Problem(401, "send an API key as 'Authorization: Bearer <key>'", headers=challenge)
    db = request.app.state.db
    async with db.sessions() as session:
        row = await find_key(session, credentials.credentials)
    if row is None:
        raise Problem(401, "the API key is unknown or revoked", headers=challenge)
    return row.id
