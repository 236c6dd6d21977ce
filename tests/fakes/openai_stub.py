"""Serve a scripted, OpenAI-compatible chat-completions API over real HTTP for tests."""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeAlias, cast
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_MODEL",
    "Completion",
    "Delay",
    "HTTPError",
    "OpenAIStub",
    "Raw",
    "RecordedRequest",
    "Reply",
    "Respond",
    "ToolCallSpec",
    "ToolCalls",
]

DEFAULT_MODEL = "gpt-stub"
_CHAT_PATH = "/v1/chat/completions"
_MODELS_PATH = "/v1/models"
_SLEEP_SLICE = 0.02
_JOIN_TIMEOUT = 2.0
_ARGUMENT_FRAGMENT = 8  # characters of tool-call arguments per streamed fragment
_WORD = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Completion:
    """Answer with a normal ``chat.completion`` object."""

    content: str
    prompt_tokens: int = 100
    completion_tokens: int = 50
    model: str | None = None  # None: echo the request's model
    finish_reason: str = "stop"


# (name, arguments) or (name, arguments, id); dict arguments are JSON-encoded, str sent verbatim.
ToolCallSpec: TypeAlias = tuple[str, dict[str, Any] | str] | tuple[str, dict[str, Any] | str, str]


@dataclass(frozen=True)
class ToolCalls:
    """Answer with an assistant message that calls tools (``finish_reason: "tool_calls"``).

    A call without an explicit id gets ``call_<n>``, ``n`` counting from 1 over every tool
    call the stub has served since it was created.
    """

    calls: Sequence[ToolCallSpec]
    content: str | None = None
    prompt_tokens: int = 100
    completion_tokens: int = 50
    model: str | None = None  # None: echo the request's model
    finish_reason: str = "tool_calls"

    def __post_init__(self) -> None:
        """Reject an empty call list, which is almost certainly a scripting mistake."""
        if not self.calls:
            raise ValueError("ToolCalls needs at least one call; use Completion for plain text")


@dataclass(frozen=True)
class Respond:
    """Answer with a ``chat.completion`` whose content ``fn`` computes from the request JSON.

    ``fn`` may also return a ``ToolCalls``, which is then served as is.
    """

    fn: Callable[[dict[str, Any]], str | ToolCalls]
    prompt_tokens: int = 100
    completion_tokens: int = 50
    model: str | None = None
    finish_reason: str = "stop"


@dataclass(frozen=True)
class HTTPError:
    """Answer with an HTTP error status, an OpenAI-style error body and extra headers."""

    status: int
    body: dict[str, Any] | str | None = None  # None: default error; str: its message; dict: as is
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Delay:
    """Sleep ``seconds``, then send ``then``; give up if the server stops or the client leaves."""

    seconds: float
    then: Reply


@dataclass(frozen=True)
class Raw:
    """Send ``body`` verbatim with the given status and content type."""

    body: str
    status: int = 200
    content_type: str = "application/json"


Reply: TypeAlias = Completion | Respond | ToolCalls | HTTPError | Delay | Raw


@dataclass(frozen=True)
class RecordedRequest:
    """Hold one request the stub received (header names lower-cased)."""

    path: str
    headers: dict[str, str]
    json: dict[str, Any] | None  # None when the body is empty or not a JSON object
    received_at: float  # time.monotonic() at receipt
    method: str = "POST"
    stream: bool = False  # the body had "stream": true
    tools: list[dict[str, Any]] = field(default_factory=list)  # the body's "tools", if any
    include_usage: bool = False  # the body had "stream_options": {"include_usage": true}

    @property
    def tool_names(self) -> list[str]:
        """Return the names of the offered tools, in request order."""
        names = []
        for tool in self.tools:
            function = tool.get("function")
            name = function.get("name") if isinstance(function, dict) else tool.get("name")
            if isinstance(name, str):
                names.append(name)
        return names


class OpenAIStub:
    """Run a local OpenAI-compatible server that answers from a FIFO script of replies."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        stream_chunk_delay: float = 0.0,
        keep_alive: bool = False,
    ) -> None:
        """Configure the stub.

        ``model`` is listed by /v1/models and used if a request has none; ``stream_chunk_delay``
        is the pause in seconds before each streamed event after the first. ``keep_alive``
        answers in HTTP/1.1 and keeps connections open, as hosted endpoints do (the default,
        HTTP/1.0, closes each one: a client then connects once per request).
        """
        self.model = model
        self.stream_chunk_delay = stream_chunk_delay
        self.keep_alive = keep_alive
        self._call_ids = 0
        self._lock = threading.Lock()
        self._script: deque[Reply] = deque()
        self._requests: list[RecordedRequest] = []
        self._server: _StubServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> OpenAIStub:
        """Start the server and return the stub."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()

    @property
    def base_url(self) -> str:
        """Return the ``/v1`` base URL to hand to OpenAI clients."""
        if self._server is None:
            raise RuntimeError("OpenAIStub is not running; call start() or use `with OpenAIStub()`")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Return a snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def start(self) -> None:
        """Bind to an OS-assigned port on 127.0.0.1 and serve from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("OpenAIStub is already running")
        server = _StubServer(self)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="OpenAIStub-server",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()

    def stop(self) -> None:
        """Stop serving, abort in-flight handlers and release the port; do nothing if stopped."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        server.stop_event.set()
        server.shutdown()
        server.server_close()
        server.abort_connections()
        if thread is not None:
            thread.join(_JOIN_TIMEOUT)

    def enqueue(self, *replies: Reply) -> None:
        """Append scripted replies, consumed one per chat-completions request."""
        with self._lock:
            self._script.extend(replies)

    def pending(self) -> int:
        """Return how many scripted replies have not been consumed yet."""
        with self._lock:
            return len(self._script)

    def _record(self, request: RecordedRequest) -> None:
        """Store a received request."""
        with self._lock:
            self._requests.append(request)

    def _next_reply(self) -> Reply | None:
        """Pop the next scripted reply, or None if the script is exhausted."""
        with self._lock:
            return self._script.popleft() if self._script else None

    def _next_call_id(self) -> str:
        """Return the next generated tool-call id."""
        with self._lock:
            self._call_ids += 1
            return f"call_{self._call_ids}"


@dataclass(frozen=True)
class _Answer:
    """Hold a resolved assistant message, ready to send whole or streamed."""

    content: str | None
    tool_calls: list[dict[str, Any]]
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    model: str


class _StubServer(ThreadingHTTPServer):
    """Track handler threads and their sockets so stop() can end them promptly."""

    request_queue_size = 256  # concurrent benchmark clients; the default is 5
    daemon_threads = True
    block_on_close = False

    def __init__(self, stub: OpenAIStub) -> None:
        """Bind to 127.0.0.1 on an OS-assigned port."""
        self.stub = stub
        self.stop_event = threading.Event()
        self._active_lock = threading.Lock()
        self._active: dict[threading.Thread, socket.socket] = {}
        super().__init__(("127.0.0.1", 0), _KeepAliveHandler if stub.keep_alive else _Handler)

    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Handle the connection in a tracked daemon thread."""
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="OpenAIStub-handler",
            daemon=True,
        )
        with self._active_lock:
            self._active[thread] = cast(socket.socket, request)
        thread.start()

    def process_request_thread(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Handle the connection and forget the thread afterwards."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._active_lock:
                self._active.pop(threading.current_thread(), None)

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Ignore client disconnects and errors during shutdown; report anything else."""
        if self.stop_event.is_set():
            return
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def abort_connections(self) -> None:
        """Shut down open client sockets and wait briefly for handler threads to finish."""
        with self._active_lock:
            active = list(self._active.items())
        for _, sock in active:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + _JOIN_TIMEOUT
        for thread, _ in active:
            thread.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    """Answer OpenAI API requests from the owning stub's script."""

    server: _StubServer
    timeout = 30.0

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default per-request logging."""

    def do_GET(self) -> None:
        """Serve ``/v1/models``; answer 404 elsewhere."""
        self._record(None)
        if urlsplit(self.path).path.rstrip("/") == _MODELS_PATH:
            model = {"id": self.server.stub.model, "object": "model", "created": 0}
            self._send_json(200, {"object": "list", "data": [{**model, "owned_by": "openai-stub"}]})
        else:
            self._send_error_json(404, f"OpenAIStub has no route GET {self.path}", "not_found")

    def do_POST(self) -> None:
        """Serve ``/v1/chat/completions`` from the script; answer 404 elsewhere."""
        payload = self._read_json()
        self._record(payload)
        if urlsplit(self.path).path.rstrip("/") != _CHAT_PATH:
            self._send_error_json(404, f"OpenAIStub has no route POST {self.path}", "not_found")
            return
        if payload is None:
            self._send_error_json(400, "OpenAIStub expected a JSON object body", "invalid_json")
            return
        reply = self.server.stub._next_reply()
        if reply is None:
            message = f"OpenAIStub script exhausted: no scripted reply left for POST {self.path}"
            self._send_error_json(500, message, "script_exhausted", retry=False)
            return
        self._send_reply(reply, payload)

    def _read_json(self) -> dict[str, Any] | None:
        """Read the request body and parse it as a JSON object, else return None."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None

    def _record(self, payload: dict[str, Any] | None) -> None:
        """Record this request on the stub."""
        headers = {name.lower(): value for name, value in self.headers.items()}
        body = payload or {}
        tools = body.get("tools")
        recorded = RecordedRequest(
            self.path,
            headers,
            payload,
            time.monotonic(),
            self.command,
            stream=_is_streaming(body),
            tools=[tool for tool in tools if isinstance(tool, dict)]
            if isinstance(tools, list)
            else [],
            include_usage=_include_usage(body),
        )
        self.server.stub._record(recorded)

    def _send_reply(self, reply: Reply, payload: dict[str, Any]) -> None:
        """Send one scripted reply, as Server-Sent Events if the request asked to stream."""
        if isinstance(reply, Delay):
            if self._sleep(reply.seconds):
                self._send_reply(reply.then, payload)
            else:
                self.close_connection = True
        elif isinstance(reply, (Completion, Respond, ToolCalls)):
            try:
                answer = self._resolve(reply, payload)
            except Exception as exc:
                message = f"OpenAIStub responder raised {type(exc).__name__}: {exc}"
                self._send_error_json(500, message, "responder_error", retry=False)
                return
            if _is_streaming(payload):
                self._send_stream(answer, payload)
            else:
                self._send_json(200, _completion(answer))
        elif isinstance(reply, HTTPError):
            self._send_json(reply.status, _error_body(reply.status, reply.body), reply.headers)
        else:
            self._send(reply.status, reply.body.encode(), {"Content-Type": reply.content_type})

    def _resolve(self, reply: Completion | Respond | ToolCalls, payload: dict[str, Any]) -> _Answer:
        """Turn a message reply into an ``_Answer``; a ``Respond`` function may raise."""
        if isinstance(reply, Respond):
            produced = reply.fn(payload)
            if isinstance(produced, ToolCalls):
                return self._resolve(produced, payload)
            content: str | None = produced
            tool_calls: list[dict[str, Any]] = []
        elif isinstance(reply, Completion):
            content, tool_calls = reply.content, []
        else:
            content = reply.content
            tool_calls = [self._tool_call(spec) for spec in reply.calls]
        return _Answer(
            content=content,
            tool_calls=tool_calls,
            finish_reason=reply.finish_reason,
            prompt_tokens=reply.prompt_tokens,
            completion_tokens=reply.completion_tokens,
            model=reply.model or payload.get("model") or self.server.stub.model,
        )

    def _tool_call(self, spec: ToolCallSpec) -> dict[str, Any]:
        """Build one OpenAI ``tool_calls`` entry, generating an id if the spec has none."""
        name, arguments = spec[0], spec[1]
        call_id = spec[2] if len(spec) == 3 else self.server.stub._next_call_id()
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments)
        return {
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": arguments},
        }

    def _send_stream(self, answer: _Answer, payload: dict[str, Any]) -> None:
        """Stream ``answer`` as ``chat.completion.chunk`` events, then close the connection."""
        self.close_connection = True  # HTTP/1.0 without Content-Length: EOF ends the body
        events = [f"data: {json.dumps(chunk)}\n\n" for chunk in _chunks(answer, payload)]
        events.append("data: [DONE]\n\n")
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            delay = self.server.stub.stream_chunk_delay
            for number, event in enumerate(events):
                if number and delay > 0 and not self._sleep(delay):
                    return
                self.wfile.write(event.encode())
                self.wfile.flush()
        except (OSError, ValueError):
            pass

    def _sleep(self, seconds: float) -> bool:
        """Sleep in short slices; return False early if the server stops or the client leaves."""
        # Waiting on the socket wakes only when the client sends, leaves or stop() shuts the
        # socket down: 64 sleeping handlers polling every slice took a tenth of a core.
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if self.server.stop_event.is_set():
                return False
            try:
                readable, _, _ = select.select([self.connection], [], [], remaining)
            except (OSError, ValueError):
                return False
            if readable:
                if self._client_gone():
                    return False
                # The client sent its next request early: it waits unread; poll in slices.
                if self.server.stop_event.wait(min(_SLEEP_SLICE, remaining)):
                    return False
        return not self.server.stop_event.is_set()

    def _client_gone(self) -> bool:
        """Return True if the client has closed or reset its connection."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _send_error_json(self, status: int, message: str, code: str, retry: bool = True) -> None:
        """Send a stub-generated error; ``retry=False`` tells OpenAI clients not to retry it."""
        headers = {} if retry else {"x-should-retry": "false"}
        body = {"error": {"message": message, "type": "stub_error", "param": None, "code": code}}
        self._send_json(status, body, headers)

    def _send_json(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        """Send ``body`` as JSON with extra ``headers``."""
        self._send(status, json.dumps(body).encode(), {"Content-Type": "application/json"}, headers)

    def _send(
        self,
        status: int,
        data: bytes,
        defaults: dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> None:
        """Write a complete response, ignoring a client that has already disconnected."""
        merged = {name.lower(): (name, value) for name, value in defaults.items()}
        merged.update({name.lower(): (name, value) for name, value in (headers or {}).items()})
        merged["content-length"] = ("Content-Length", str(len(data)))
        try:
            self.send_response(status)
            for name, value in merged.values():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (ConnectionError, TimeoutError, ValueError):
            self.close_connection = True


class _KeepAliveHandler(_Handler):
    """The same answers over HTTP/1.1: a connection serves one request after another."""

    protocol_version = "HTTP/1.1"


def _is_streaming(payload: dict[str, Any]) -> bool:
    """Return True if the request body asked for a streamed answer."""
    return payload.get("stream") is True


def _include_usage(payload: dict[str, Any]) -> bool:
    """Return True if the request body asked for a usage chunk at the end of the stream."""
    options = payload.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


def _usage(answer: _Answer) -> dict[str, int]:
    """Build the ``usage`` object."""
    total = answer.prompt_tokens + answer.completion_tokens
    return {
        "prompt_tokens": answer.prompt_tokens,
        "completion_tokens": answer.completion_tokens,
        "total_tokens": total,
    }


def _completion_id() -> str:
    """Return a fresh ``chatcmpl-`` id."""
    return f"chatcmpl-stub-{uuid.uuid4().hex[:24]}"


def _completion(answer: _Answer) -> dict[str, Any]:
    """Build a ``chat.completion`` object."""
    message: dict[str, Any] = {"role": "assistant", "content": answer.content, "refusal": None}
    if answer.tool_calls:
        message["tool_calls"] = answer.tool_calls
    return {
        "id": _completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": answer.model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": answer.finish_reason,
            }
        ],
        "usage": _usage(answer),
        "system_fingerprint": None,
    }


def _chunks(answer: _Answer, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Build the ``chat.completion.chunk`` objects OpenAI would stream for ``answer``."""
    include_usage = _include_usage(payload)
    base = {
        "id": _completion_id(),
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": answer.model,
        "system_fingerprint": None,
    }

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        extra = {"usage": None} if include_usage else {}
        return {**base, "choices": [choice], **extra}

    chunks = [chunk({"role": "assistant", "content": "", "refusal": None})]
    chunks += [chunk({"content": word}) for word in _WORD.findall(answer.content or "")]
    for index, call in enumerate(answer.tool_calls):
        function = call["function"]
        head = {"name": function["name"], "arguments": ""}
        first = {"index": index, "id": call["id"], "type": call["type"], "function": head}
        chunks.append(chunk({"tool_calls": [first]}))
        arguments = function["arguments"]
        for start in range(0, len(arguments), _ARGUMENT_FRAGMENT):
            fragment = arguments[start : start + _ARGUMENT_FRAGMENT]
            chunks.append(
                chunk({"tool_calls": [{"index": index, "function": {"arguments": fragment}}]})
            )
    chunks.append(chunk({}, answer.finish_reason))
    if include_usage:
        chunks.append({**base, "choices": [], "usage": _usage(answer)})
    return chunks


def _error_body(status: int, body: dict[str, Any] | str | None) -> dict[str, Any]:
    """Build an OpenAI-style error body for ``status``."""
    if isinstance(body, dict):
        return body
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    message = body if body is not None else f"OpenAIStub scripted HTTP {status} {phrase}"
    if status == 429:
        error_type, code = "requests", "rate_limit_exceeded"
    elif status == 401:
        error_type, code = "invalid_request_error", "invalid_api_key"
    elif status >= 500:
        error_type, code = "server_error", None
    else:
        error_type, code = "invalid_request_error", None
    return {"error": {"message": message, "type": error_type, "param": None, "code": code}}
