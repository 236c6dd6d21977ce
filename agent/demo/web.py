"""Serve the bundled fictional websites on loopback, routed by Host header."""

from __future__ import annotations

import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.server.resolve(host, urlsplit(self.path).path)
        if path is None:
            body = b"<!doctype html><title>Not found</title><h1>404 Not found</h1>"
            self._reply(404, "text/html; charset=utf-8", body)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith("xml"):
            kind += "; charset=utf-8"
        self._reply(200, kind, path.read_bytes())

    def _reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal quiet."""


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections under a concurrent batch (SYN retries of 1 s+).
    request_queue_size = 256

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.root = root.resolve()

    def resolve(self, host: str, url_path: str) -> Path | None:
        site = (self.root / host).resolve()
        if not host or site.parent != self.root or not site.is_dir():
            return None
        relative = unquote(url_path).strip("/")
        candidates = (
            [f"{relative}/index.html", f"{relative}.html", relative] if relative else ["index.html"]
        )
        for candidate in candidates:
            path = (site / candidate).resolve()
            if path.is_file() and path.is_relative_to(site):
                return path
        return None


class DemoWeb:
    """The fictional sites under a folder, one subfolder per host name."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._server: _SiteServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        """Return host:port the server listens on."""
        if self._server is None:
            raise RuntimeError("the demo web server is not running")
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    def hosts(self) -> list[str]:
        """Return the host names served."""
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())

    def resolve_map(self, extra_hosts: list[str] | None = None) -> dict[str, str]:
        """Map every served host (and any extra) to this server, for the page fetcher."""
        return {host: self.address for host in [*self.hosts(), *(extra_hosts or [])]}

    def start(self) -> DemoWeb:
        """Start serving in a background thread."""
        self._server = _SiteServer(self.root)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
