"""A loopback web server whose routes misbehave on purpose: errors, slowness, loops."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.fakes.loopback_server import LoopbackServer, ServedFake


@dataclass(frozen=True)
class Route:
    """What one path answers."""

    status: int = 200
    body: bytes = b"<html><body><p>ok</p></body></html>"
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        server = self.server
        with server.lock:
            server.hits.append((self.path, time.monotonic()))
            server.in_flight += 1
            server.peak_in_flight = max(server.peak_in_flight, server.in_flight)
        try:
            self._answer()
        finally:
            with server.lock:
                server.in_flight -= 1

    def _answer(self) -> None:
        route = self.server.routes.get(self.path.split("?")[0], Route(status=404, body=b"missing"))
        deadline = time.monotonic() + route.delay_s
        while time.monotonic() < deadline and not self.server.stopping.is_set():
            time.sleep(0.02)
        try:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


class _Server(LoopbackServer):
    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(_Handler)
        self.routes = routes
        self.lock = threading.Lock()
        self.hits: list[tuple[str, float]] = []
        self.in_flight = 0
        self.peak_in_flight = 0


class FaultWeb(ServedFake):
    """Serve scripted routes on 127.0.0.1 for the duration of a with-block."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self._server = _Server(routes)

    @property
    def hits(self) -> list[tuple[str, float]]:
        """Return (path, monotonic time) of every request so far."""
        with self._server.lock:
            return list(self._server.hits)

    @property
    def peak_in_flight(self) -> int:
        """Return the most requests that were being answered at once."""
        return self._server.peak_in_flight
