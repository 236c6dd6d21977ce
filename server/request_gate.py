"""What every request passes before the app reads its body (a pure ASGI middleware).

In this order, each answered without reading the body:
1. a Content-Length over the route's limit: 413 (server/body_limits.py), a JSON problem; the
   console's lead file upload is left to the console, which answers with its form's page;
2. an API route without a valid API key: 401;
3. the SendGrid Event Webhook unconfigured (503) or without its signature headers (403), and
   the same for Twilio's webhooks (no auth token: 503; no X-Twilio-Signature: 403).
Then the body is read through a receive() that raises 413 as soon as it passes the limit, so a
chunked body is cut off there. An API request with a JSON body is read first (up to its limit)
and refused with 422 when it nests deeper than MAX_JSON_DEPTH, before FastAPI parses it. The
Event Webhook checks its own body's depth after the signature (server/routes/webhooks.py).

Refusals of a request whose body has not been read close the connection (`Connection: close`),
so the server never reads the rest of it (past a short lingering close, so that the client gets
the answer rather than a reset: see `_linger_before_closing`). Starlette's BaseHTTPMiddleware
would buffer bodies and run the app in another task; this does neither.
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.auth import API_KEY_ID, authenticate
from server.body_limits import CLOSE, BodyTooLarge, body_limit, within_limit
from server.json_depth import check_json_depth, is_json_media_type
from server.problems import Problem, problem
from server.routes import twilio_webhooks
from server.routes.webhooks import refuse_before_reading

LINGER_BYTES = 256 * 1024
LINGER_SECONDS = 1.0
WEBHOOKS = "/webhooks/"
SENDGRID_EVENTS = "/webhooks/sendgrid"
CONSOLE_UPLOAD = ("POST", "/console/runs")
"""The console's form with a file in it: a person may well pick one too large."""


class RequestGate:
    """Refuse oversized, unauthenticated, unsigned and too deeply nested requests early."""

    def __init__(self, app: ASGIApp, *, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declares_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
        incoming = _Incoming(receive, done=not declares_body)
        send = _linger_before_closing(send, incoming)
        path = scope["path"]
        api_path = None
        if path == self.api_prefix or path.startswith(self.api_prefix + "/"):
            api_path = path.removeprefix(self.api_prefix)
        limit = body_limit(scope["method"], path, self.api_prefix)
        receive = within_limit(incoming.receive, limit)
        try:
            declared = _content_length(headers)
            if declared is not None and declared > limit:
                if (scope["method"], path.rstrip("/")) != CONSOLE_UPLOAD:
                    raise BodyTooLarge(limit, size=declared)
                # The console's lead file form answers with its page (server/console/too_large.py)
                # when the app first asks for the body, of which nothing is read.
                receive = _refusing(BodyTooLarge(limit, size=declared))
            if api_path is not None and not api_path.startswith(WEBHOOKS):
                key_id = await authenticate(scope["app"].state.db, headers.get("authorization"))
                scope.setdefault("state", {})[API_KEY_ID] = key_id
            if api_path is not None and api_path.rstrip("/") == SENDGRID_EVENTS:
                refused = refuse_before_reading(scope["app"].state.settings, headers)
                if refused is not None:
                    raise refused
            if api_path is not None and api_path.rstrip("/") in twilio_webhooks.TWILIO_WEBHOOKS:
                refused = twilio_webhooks.refuse_before_reading(
                    scope["app"].state.settings, headers
                )
                if refused is not None:
                    raise refused
            if (
                declares_body
                and api_path is not None
                and not api_path.startswith(WEBHOOKS)
                and is_json_media_type(headers.get("content-type"))
            ):
                body = await _read_body(receive)
                check_json_depth(body)
                receive = _replay(body, receive)
        except (Problem, BodyTooLarge) as exc:
            await _refuse(exc, scope, incoming.receive, send, close=not incoming.done)
            return
        except ClientDisconnect:
            return  # nobody is left to answer
        await self.app(scope, receive, send)


class _Incoming:
    """The request body as the server delivers it: whether it has all arrived, and a drain."""

    def __init__(self, receive: Receive, *, done: bool) -> None:
        self._receive = receive
        self.done = done

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            self.done = True
        return message

    async def drain(self) -> None:
        """Read and drop what the client goes on sending, a little of it, briefly."""
        taken = 0
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(LINGER_SECONDS):
                while not self.done and taken < LINGER_BYTES:
                    taken += len((await self.receive()).get("body", b""))


def _linger_before_closing(send: Send, incoming: _Incoming) -> Send:
    """Delay the end of a `Connection: close` answer to a request still sending its body.

    Closing a socket with unread data makes the kernel reset the connection at once, and an
    answer still queued to go out is dropped with it: the client would see a reset instead of
    the 413 or 401. So the answer is sent whole, then a little of the body is read and dropped
    (at most LINGER_BYTES, for at most LINGER_SECONDS) before the response ends and the server
    closes the connection, as HTTP servers' lingering close does.
    """
    closing = False

    async def send_then_linger(message: Message) -> None:
        nonlocal closing
        if message["type"] == "http.response.start":
            closing = any(
                name.lower() == b"connection" and value.lower() == b"close"
                for name, value in message.get("headers", [])
            )
        elif (
            message["type"] == "http.response.body"
            and closing
            and not message.get("more_body", False)
            and not incoming.done
        ):
            await send({**message, "more_body": True})
            await incoming.drain()
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_then_linger


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    if not value.isascii() or not value.isdigit():
        raise Problem(400, "the Content-Length header is not a number of bytes")
    return int(value)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _refusing(refusal: BodyTooLarge) -> Receive:
    """A receive() that raises the refusal: the body is not to be read at all."""

    async def receive_nothing() -> Message:
        raise refusal

    return receive_nothing


def _replay(body: bytes, receive: Receive) -> Receive:
    """Give the app the body read already, then the real receive() (for disconnects)."""
    replayed = False

    async def receive_replayed() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_replayed


async def _refuse(
    exc: Problem | BodyTooLarge, scope: Scope, receive: Receive, send: Send, *, close: bool
) -> None:
    if isinstance(exc, Problem):
        status, detail, title, extra = exc.status, exc.detail, exc.title, exc.extra
        headers = dict(exc.headers or {})
    else:
        status, detail, title, extra = exc.status_code, str(exc.detail), None, {}
        headers = dict(exc.headers or {})
    if close:  # the body is unread: end the connection rather than read the rest
        headers |= CLOSE
    response = problem(status, detail, title=title, headers=headers, **extra)
    await response(scope, receive, send)
