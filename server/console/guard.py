"""Who may see a console page: a live session, and forms that carry its CSRF token."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response

from server.console.ended_sessions import has_ended
from server.console.sessions import COOKIE, ConsoleSession, console_secret, unseal
from server.nul_guard import NUL
from server.problems import Problem
from storage.models import ApiKeyRow


class SignInRequired(Exception):
    """A page asked for without a session: the browser is sent to the sign-in page."""


def signing_secret(request: Request) -> bytes:
    """Return the app's session secret, read (or created) once."""
    state = request.app.state
    if getattr(state, "console_secret", None) is None:
        state.console_secret = console_secret(state.settings)
    secret: bytes = state.console_secret
    return secret


def wants_page(request: Request) -> bool:
    """Whether the browser navigates here (sent to sign in) rather than fetches a fragment."""
    return "text/html" in request.headers.get("accept", "") and "hx-request" not in request.headers


async def _key_is_live(request: Request, key_id: int) -> bool:
    async with request.app.state.db.sessions() as session:
        row = await session.get(ApiKeyRow, key_id)
    return row is not None and row.revoked_at is None


async def live_session(request: Request) -> ConsoleSession | None:
    """Return the request's session if genuine, unexpired, not signed out and its key live."""
    session = unseal(signing_secret(request), request.cookies.get(COOKIE))
    if session is None or has_ended(Path(request.app.state.settings.data_dir), session):
        return None
    if await _key_is_live(request, session.key_id):
        return session
    return None


async def console_session(request: Request) -> ConsoleSession:
    """Return the signed-in session; pages without one go to sign in, fragments get 401."""
    session = await live_session(request)
    if session is not None:
        return session
    if wants_page(request):
        raise SignInRequired
    raise Problem(401, "sign in to the console first")


SessionDep = Annotated[ConsoleSession, Depends(console_session)]


def tokens_match(sent: object, expected: str) -> bool:
    """Compare a form's CSRF token with the expected one in constant time."""
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters (a 500).
    return (
        isinstance(sent, str)
        and bool(sent)
        and hmac.compare_digest(sent.encode(), expected.encode())
    )


async def checked_form(request: Request, session: SessionDep) -> ConsoleSession:
    """Return the session of a form post that carries its CSRF token; 403 otherwise.

    A text field holding a NUL character is refused here for every form (422), as the API's
    refuse_nul_text does for JSON: PostgreSQL cannot store one, so it would fail deep in a
    write (a 500) where SQLite stored it."""
    form = await request.form()
    if not tokens_match(form.get("csrf"), session.csrf):
        raise Problem(403, "the form's CSRF token is missing or wrong; reload the page and retry")
    for name, value in form.multi_items():
        if isinstance(value, str) and (NUL in value or NUL in name):
            field = name if NUL not in name else "form"
            raise Problem(422, f"{field}: text may not contain NUL characters (U+0000)")
    return session


FormSessionDep = Annotated[ConsoleSession, Depends(checked_form)]


def set_session_cookie(
    request: Request, response: Response, value: str, *, max_age: int, name: str = COOKIE
) -> None:
    """Set a console cookie: HttpOnly, SameSite=Strict, Secure when the request came over TLS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
