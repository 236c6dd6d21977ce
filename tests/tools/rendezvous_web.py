"""A loopback page that is answered only when N requests for it are being served at once.

Concurrency tests use it instead of a slow route: a slow route overlaps requests only if the
client happens to send them close enough together, so on a busy machine a correct client
can be seen running one at a time. Here each request waits until N are in flight, so a
client that allows N at once is seen with exactly N, deterministically; one that allows
fewer leaves a request waiting until `timeout_s`, and that request is answered 503 and
counted in `stranded`, which the test reports.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler

from tests.fakes.loopback_server import LoopbackServer, ServedFake

PATH = "/together"
BODY = b"<!doctype html><html><body><p>Answered together.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        server = self.server
        if self.path.split("?")[0] != PATH:
            self._send(404, b"missing")
            return
        with server.lock:
            server.in_flight += 1
            server.peak_in_flight = max(server.peak_in_flight, server.in_flight)
        try:
            try:
                server.barrier.wait()
            except threading.BrokenBarrierError:
                with server.lock:
                    server.stranded += 1
                self._send(503, b"the other requests never arrived")
                return
            self._send(200, BODY)
        finally:
            with server.lock:
                server.in_flight -= 1

    def _send(self, status: int, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


class _Server(LoopbackServer):
    def __init__(self, parties: int, timeout_s: float) -> None:
        super().__init__(_Handler)
        self.barrier = threading.Barrier(parties, timeout=timeout_s)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak_in_flight = 0
        self.stranded = 0

    def stop(self) -> None:
        self.barrier.abort()  # release anyone still waiting, so leaving takes no time
        super().stop()


class RendezvousWeb(ServedFake):
    """Serve PATH on 127.0.0.1, answering its requests `parties` at a time."""

    def __init__(self, parties: int, timeout_s: float = 10.0) -> None:
        self._server = _Server(parties, timeout_s)

    @property
    def url(self) -> str:
        """Return the URL of the page that is answered only in company."""
        return f"{self.base_url}{PATH}"

    @property
    def peak_in_flight(self) -> int:
        """Return the most requests for PATH that were being answered at once."""
        with self._server.lock:
            return self._server.peak_in_flight

    @property
    def stranded(self) -> int:
        """Return how many requests gave up waiting for company (answered 503)."""
        with self._server.lock:
            return self._server.stranded
