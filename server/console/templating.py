"""The console's Jinja2 templates (autoescaped, every one) and how a page is answered."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from server.console.sessions import ConsoleSession
from storage.tasks import NOTE_LIMIT

PAGE_HEADERS = {
    # Lead fields, facts and replies are untrusted: escaping is the defence, and this policy
    # keeps any markup that slipped through from running scripts or loading anything remote.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    """Return the template environment, built on first use (nothing happens at import)."""
    env = Environment(
        loader=PackageLoader("server.console", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http_url"] = is_http_url
    env.globals["note_limit"] = NOTE_LIMIT
    return env


def is_http_url(value: object) -> bool:
    """Whether a (researched, untrusted) address may be a link: http or https only."""
    if not isinstance(value, str):
        return False
    scheme = urlsplit(value.strip()).scheme.lower()
    return scheme in ("http", "https")


def render(
    request: Request,
    template: str,
    *,
    session: ConsoleSession | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a console page with the session's CSRF token for its forms."""
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            session=session,
            csrf=session.csrf if session else "",
            root=request.scope.get("root_path", "") + "/console",
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})})
