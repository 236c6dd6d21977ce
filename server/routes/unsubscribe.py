"""One-click unsubscribe (RFC 8058): the link in every email's footer and List-Unsubscribe.

POST (what mail clients send, body `List-Unsubscribe=One-Click`) opts out at once, with no
login and no confirmation. GET (a person clicking the footer link) shows a page with one
button, so link scanners that fetch every URL in a mail do not unsubscribe anyone.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from agent.delivery.unsubscribe_links import UnsubscribeLinks
from server.problems import Problem
from storage.engagement import record_engagement
from storage.models import MessageRow

router = APIRouter(tags=["unsubscribe"])

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto;">{body}</body></html>"""


def _message_id(request: Request, token: str) -> int:
    links: UnsubscribeLinks = request.app.state.dispatcher.links
    message_id = links.message_of(token)
    if message_id is None:
        raise Problem(404, "this unsubscribe link is not valid (it may have been cut short)")
    return message_id


@router.get("/u/{token}", response_class=HTMLResponse, summary="Unsubscribe page")
async def page(request: Request, token: str) -> HTMLResponse:
    """Show a one-button page to confirm the opt-out."""
    _message_id(request, token)
    form = (
        f"<h1>Unsubscribe</h1><p>Stop all further emails to you from this sender?</p>"
        f'<form method="post" action="/u/{escape(token)}">'
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        '<button type="submit">Unsubscribe</button></form>'
    )
    return HTMLResponse(PAGE.format(title="Unsubscribe", body=form))


@router.post("/u/{token}", response_class=HTMLResponse, summary="Unsubscribe (one click)")
async def unsubscribe(request: Request, token: str) -> HTMLResponse:
    """Opt the recipient out at once: the address is suppressed and nothing more is sent."""
    message_id = _message_id(request, token)
    db = request.app.state.db
    async with db.write_lock, db.sessions.begin() as session:
        message = await session.get(MessageRow, message_id)
        if message is not None:  # an erased person is suppressed already
            await record_engagement(
                session,
                message,
                "unsubscribed",
                external_id=f"unsubscribe:{message_id}",
                payload={"via": "one-click link"},
            )
    body = "<h1>You are unsubscribed</h1><p>You will not get further emails from us.</p>"
    return HTMLResponse(PAGE.format(title="Unsubscribed", body=body))
