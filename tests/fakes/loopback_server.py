"""The plumbing every fake web service shares: a threaded HTTP server on a free loopback port,
run in the background for the duration of a with-block."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Protocol, Self


def answer_json(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    headers: dict[str, str] | None = None,
) -> None:
    """Answer with a JSON body (none when empty) and headers; a client that gave up is fine."""
    try:
        handler.send_response(status)
        if body:
            handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up; nothing to answer


class LoopbackServer(ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1; handlers can watch `stopping` to end slow answers."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.stopping = threading.Event()
        # A short poll interval, so leaving the with-block takes milliseconds, not half a second.
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def address(self) -> str:
        """Return 127.0.0.1:PORT."""
        host, port = self.server_address[:2]
        return f"{host!s}:{port}"

    def start(self) -> None:
        """Serve from a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Release slow handlers, stop serving and close the socket."""
        self.stopping.set()
        self.shutdown()
        self.server_close()


class Serving(Protocol):
    """A background server: where it listens, and how to start and stop it."""

    @property
    def address(self) -> str:
        """Return 127.0.0.1:PORT."""
        ...

    def start(self) -> None:
        """Serve from a background thread."""

    def stop(self) -> None:
        """Stop serving and close the socket."""


class ServedFake:
    """A service that serves from `self._server` while its with-block runs."""

    _server: Serving

    @property
    def base_url(self) -> str:
        """Return http://127.0.0.1:PORT."""
        return f"http://{self._server.address}"

    def __enter__(self) -> Self:
        self._server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.stop()
