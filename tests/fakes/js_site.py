"""A loopback website whose pages are empty app shells that JavaScript fills in."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.fakes.loopback_server import LoopbackServer, ServedFake

APP_SHELL = b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Northwind Robotics</title></head>
<body>
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root"></div>
<script src="/app.js"></script>
</body>
</html>
"""

# The heading and intro are written at once; the article arrives from a slower API call,
# so it is only in the rendered HTML if the renderer waited for the network to go idle.
APP_JS = b"""
const root = document.getElementById("root");
root.innerHTML = `
  <h1>Northwind Robotics Engineering Blog</h1>
  <p class="intro">Northwind Robotics builds autonomous forklifts for mid-sized warehouses.
  Our engineering team writes here about fleet scheduling, safety certification, battery
  swapping, the sensors we trust and the ones we stopped trusting, and how we run a hundred
  robots in a building that was never designed for them. We publish a new post every month
  and we answer every email that our readers send us about the work.</p>
  <section id="posts"></section>`;
fetch("/api/posts.json")
  .then((answer) => answer.json())
  .then((posts) => {
    const section = document.getElementById("posts");
    for (const post of posts) {
      const article = document.createElement("article");
      article.className = "post";
      article.innerHTML =
        `<h3>${post.title}</h3><time datetime="${post.date}">${post.shown}</time>` +
        `<p>${post.summary}</p>`;
      section.appendChild(article);
    }
  });
"""

POSTS_JSON = b"""[
  {"title": "Scheduling 120 forklifts without a central planner",
   "date": "2026-11-05", "shown": "5 November 2026",
   "summary": "We replaced our central planner with local negotiation between robots."}
]
"""

POLL_PAGE = b"""<!doctype html><html><body><div id="app"></div><script>
document.getElementById("app").textContent = "Polling page rendered";
setInterval(() => fetch("/api/ping"), 100);
</script></body></html>
"""

COOKIE_SET_PAGE = b"""<!doctype html><html><body><script>
document.cookie = "visitor=first-render; path=/";
document.body.textContent = "cookie set";
</script></body></html>
"""

COOKIE_SHOW_PAGE = b"""<!doctype html><html><body><script>
document.body.textContent = "cookies=[" + document.cookie + "]";
</script></body></html>
"""

# A profile whose root shows a placeholder until an inline script (no src) fills it in; the
# name and headline outside the root are the shell's own, server-rendered facts.
LOADING_PROFILE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mara Quint</title></head>
<body>
<header><h1 class="name">Mara Quint</h1><p class="headline">VP Engineering, Northwind</p></header>
<div id="app">Loading…</div>
<script>
document.getElementById("app").innerHTML =
  '<p class="bio">Mara Quint runs the fleet software group at Northwind Robotics, where she ' +
  'moved scheduling from one central planner to robots that negotiate with each other.</p>';
</script>
</body>
</html>
""".encode()

# Only visitors without JavaScript see the noscript paragraph: it is not about Mara, though
# it is the first paragraph in the page, rendered or not.
NOSCRIPT_PROFILE = b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mara Quint</title></head>
<body>
<noscript><p>Please enable JavaScript in your browser to see this profile page.</p></noscript>
<div id="root"><div class="spinner" role="progressbar" aria-busy="true">Please wait</div></div>
<script src="/profile.js"></script>
</body>
</html>
"""
PROFILE_JS = b"""
document.getElementById("root").innerHTML =
  '<h1 class="name">Mara Quint</h1><p class="headline">VP Engineering, Northwind</p>' +
  '<p>Mara Quint runs the fleet software group at Northwind Robotics.</p>';
"""

# A server-rendered article with an analytics snippet: the text is all there, so rendering
# it would only cost a browser; the beacon request shows whether a browser ran the script.
ANALYTICS_PROFILE = (
    b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mara Quint</title>
<script>fetch("/collect?event=view");</script></head>
<body>
<h1 class="name">Mara Quint</h1><p class="headline">VP Engineering, Northwind</p>
<p class="bio">"""
    + b"Mara Quint runs the fleet software group at Northwind Robotics. " * 8
    + b"""</p>
</body>
</html>
"""
)

SLOW_PAGE = b"<!doctype html><html><body><p>Slow but static.</p></body></html>"


@dataclass(frozen=True)
class _Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    delay_s: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()


ROUTES = {
    "/": _Route(APP_SHELL),
    "/app.js": _Route(APP_JS, "text/javascript; charset=utf-8"),
    "/api/posts.json": _Route(POSTS_JSON, "application/json", delay_s=0.3),
    "/poll": _Route(POLL_PAGE),
    "/api/ping": _Route(b"{}", "application/json"),
    "/cookie-set": _Route(COOKIE_SET_PAGE),
    "/cookie-show": _Route(COOKIE_SHOW_PAGE),
    "/loading-profile": _Route(LOADING_PROFILE),
    "/noscript-profile": _Route(NOSCRIPT_PROFILE),
    "/profile.js": _Route(PROFILE_JS, "text/javascript; charset=utf-8"),
    "/analytics-profile": _Route(ANALYTICS_PROFILE),
    "/collect": _Route(b"", "text/plain"),
    "/slow": _Route(SLOW_PAGE, delay_s=0.4),
    "/hang": _Route(SLOW_PAGE, delay_s=30.0),
    "/brochure.pdf": _Route(b"%PDF-1.7 not really", "application/pdf"),
    "/download": _Route(
        b"name,email\n", "text/csv", headers=(("Content-Disposition", "attachment; x.csv"),)
    ),
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        route = ROUTES.get(path)
        self.server.record(path, self.headers.get("Host", ""), self.headers.get("User-Agent", ""))
        self.server.enter(path)
        try:
            deadline = time.monotonic() + (route.delay_s if route else 0.0)
            while time.monotonic() < deadline and not self.server.stopping.is_set():
                time.sleep(0.02)
            headers = route.headers if route else ()
            status, body, content_type = (
                (200, route.body, route.content_type) if route else (404, b"missing", "text/plain")
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for key, value in headers:
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.server.leave(path)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


class _Server(LoopbackServer):
    def __init__(self) -> None:
        super().__init__(_Handler)
        self.requests: list[tuple[str, str, str]] = []
        self.in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    def record(self, path: str, host: str, user_agent: str) -> None:
        with self._lock:
            self.requests.append((path, host, user_agent))

    def enter(self, path: str) -> None:
        with self._lock:
            self.in_flight[path] = self.in_flight.get(path, 0) + 1
            self.peak_in_flight[path] = max(self.peak_in_flight.get(path, 0), self.in_flight[path])

    def leave(self, path: str) -> None:
        with self._lock:
            self.in_flight[path] -= 1


class JsSite(ServedFake):
    """Serve the JavaScript app on 127.0.0.1 for the duration of a with-block."""

    def __init__(self) -> None:
        self._server = _Server()

    @property
    def address(self) -> str:
        """Return 127.0.0.1:PORT."""
        return self._server.address

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        """Return (path, Host header, User-Agent) for every request so far."""
        with self._server._lock:
            return list(self._server.requests)

    def peak_in_flight(self, path: str) -> int:
        """Return the most requests for a path that were ever being answered at once."""
        with self._server._lock:
            return self._server.peak_in_flight.get(path, 0)
