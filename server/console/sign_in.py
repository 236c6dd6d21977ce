"""Sign in to the console with an API key, and sign out."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from server.console.ended_sessions import end_session
from server.console.guard import (
    FormSessionDep,
    live_session,
    set_session_cookie,
    signing_secret,
    tokens_match,
)
from server.console.sessions import COOKIE, ConsoleSession, seal
from server.console.templating import render
from server.problems import Problem
from storage.api_keys import find_key

router = APIRouter()
SIGN_IN_COOKIE = "outreach_console_sign_in"
"""A token the sign-in form must echo (its CSRF protection, before there is a session)."""
SIGN_IN_TOKEN_SECONDS = 3600


def _sign_in_page(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    page = render(
        request,
        "sign_in.html",
        session=None,
        sign_in_token=token,
        error=error,
        status_code=status,
    )
    set_session_cookie(request, page, token, max_age=SIGN_IN_TOKEN_SECONDS, name=SIGN_IN_COOKIE)
    return page


@router.get("/sign-in", include_in_schema=False)
async def sign_in_page(request: Request) -> Response:
    """Show the sign-in form (or go to the queue when already signed in)."""
    if await live_session(request) is not None:
        return RedirectResponse(request.url_for("review_queue"), status_code=303)
    return _sign_in_page(request)


@router.post("/sign-in", include_in_schema=False)
async def sign_in(
    request: Request,
    key: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Check the key; open a session, or say "wrong key" and nothing more."""
    if not tokens_match(csrf, request.cookies.get(SIGN_IN_COOKIE, "")):
        raise Problem(403, "the form's CSRF token is missing or wrong; reload the page and retry")
    async with request.app.state.db.sessions() as db_session:
        row = await find_key(db_session, key.strip()) if key.strip() else None
    if row is None:
        return _sign_in_page(request, error="wrong key", status=401)
    settings = request.app.state.settings
    session = ConsoleSession.start(row.id, row.name, hours=settings.console_session_hours)
    response = RedirectResponse(request.url_for("review_queue"), status_code=303)
    set_session_cookie(
        request,
        response,
        seal(signing_secret(request), session),
        max_age=int(settings.console_session_hours * 3600),
    )
    response.delete_cookie(SIGN_IN_COOKIE, path="/console")
    return response


@router.post("/sign-out", include_in_schema=False)
async def sign_out(request: Request, session: FormSessionDep) -> Response:
    """End this session on the server (a copied cookie stops working) and drop the cookie.

    Only this session ends: the same key signed in elsewhere stays signed in (revoke the key
    with `outreach api-key revoke` to end all of them).
    """
    end_session(Path(request.app.state.settings.data_dir), session)
    response = RedirectResponse(request.url_for("sign_in_page"), status_code=303)
    response.delete_cookie(COOKIE, path="/console", httponly=True, samesite="strict")
    return response
