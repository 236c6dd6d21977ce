"""Mount the web console on the app at /console: its pages, static files and sign-in redirect."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from server.body_limits import BodyTooLarge
from server.console import (
    campaign_pages,
    chat_pages,
    message_pages,
    reply_pages,
    review_pages,
    run_pages,
    sign_in,
    task_pages,
)
from server.console.guard import SignInRequired
from server.console.too_large import body_too_large

PREFIX = "/console"


def mount_console(app: FastAPI) -> None:
    """Serve the console's pages under /console (sessions, not API keys, guard them)."""
    app.include_router(sign_in.router, prefix=PREFIX)
    app.include_router(review_pages.router, prefix=PREFIX)
    app.include_router(campaign_pages.router, prefix=PREFIX)
    app.include_router(run_pages.router, prefix=PREFIX)
    app.include_router(message_pages.router, prefix=PREFIX)
    app.include_router(chat_pages.router, prefix=PREFIX)
    app.include_router(reply_pages.router, prefix=PREFIX)
    app.include_router(task_pages.router, prefix=PREFIX)
    app.mount(
        f"{PREFIX}/static",
        StaticFiles(packages=[("server.console", "static")]),
        name="console_static",
    )

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return await body_too_large(request, exc)

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        return RedirectResponse(request.url_for("sign_in_page"), status_code=303)
