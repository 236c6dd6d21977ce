"""Render JavaScript-built pages in a shared headless Chromium and spot pages that need it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from tools.html_extract import clean_text, parse_html
from tools.page_fetch_types import HTML_TYPES, REDIRECT_STATUSES, media_type
from tools.url_safety import RequestGuard

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, Playwright, Route, WebSocketRoute

CHROMIUM_ENV_VAR = "OUTREACH_CHROMIUM_PATH"
CHROMIUM_CANDIDATES: tuple[str, ...] = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)
DEFAULT_USER_AGENT = (
    "OutreachArchitect/0.1 (+https://github.com/outreach-architect; research bot; "
    "renders JavaScript with headless Chromium)"
)
# Debian's Chromium in a container: no setuid sandbox, no GPU, and nothing that phones home,
# because a closed network makes those background requests fail noisily or hang.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Containers often give /dev/shm only 64 MB, which crashes tabs on large pages.
    "--disable-dev-shm-usage",
)
# A page's own content (a bio, a company intro) is a paragraph or more; what a shell shows
# besides its placeholder (a title, a tagline, a cookie notice) fits in a couple of lines.
# Counting characters of main text, not of the whole page, keeps a shell with a big
# server-rendered menu a shell, and lets a full article with an analytics snippet stay HTML.
APP_SHELL_MAX_TEXT_CHARS = 250
APP_ROOT_IDS = frozenset({"root", "app", "__next", "__nuxt"})
_INVISIBLE_TAGS = ("script", "style", "noscript", "template")
# Menus and footers repeat on every page of a site; they are not what this page says.
_PAGE_CHROME = ("nav", "header", "footer", "aside")
# Scripts a browser runs; JSON-LD and other data blocks build nothing.
_SCRIPT_TYPES = frozenset(
    {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
     "application/ecmascript", "application/x-javascript"}
)  # fmt: skip
_NET_ERROR = re.compile(r"net::(ERR_[A-Z0-9_]+)")
_NET_ERROR_WORDS = {
    "ERR_CONNECTION_REFUSED": "connection refused",
    "ERR_CONNECTION_RESET": "connection reset",
    "ERR_CONNECTION_CLOSED": "connection closed without an answer",
    "ERR_EMPTY_RESPONSE": "the server closed the connection without an answer",
    "ERR_NAME_NOT_RESOLVED": "host name not found",
    "ERR_ADDRESS_UNREACHABLE": "address unreachable",
    "ERR_TIMED_OUT": "connection timed out",
    "ERR_TOO_MANY_REDIRECTS": "too many redirects",
    "ERR_CERT_AUTHORITY_INVALID": "untrusted TLS certificate",
    "ERR_ABORTED": "navigation aborted",
}


class BrowserUnavailable(Exception):
    """Chromium or Playwright is missing, so JavaScript pages cannot be rendered."""


class RenderError(Exception):
    """A page could not be rendered; the message says why in plain words."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


@dataclass(frozen=True)
class RenderedPage:
    """The HTML of a page after its scripts ran."""

    url: str
    final_url: str
    status: int | None
    html: str


def find_chromium() -> str | None:
    """Return the Chromium binary to use: OUTREACH_CHROMIUM_PATH, else the first one installed."""
    configured = os.environ.get(CHROMIUM_ENV_VAR, "").strip()
    if configured:
        # Returned even if missing, so the error names the path the user chose.
        return os.path.expanduser(configured)
    return next((path for path in CHROMIUM_CANDIDATES if os.path.isfile(path)), None)


def looks_like_app_shell(html: str) -> bool:
    """Tell whether a page is a shell whose content only its JavaScript will build."""
    soup = parse_html(html)  # without hidden text and placeholders such as "Loading…"
    runs_script = any(
        str(script.get("type") or "").split(";")[0].strip().lower() in _SCRIPT_TYPES
        for script in soup.find_all("script")
    )
    for tag in soup.find_all([*_INVISIBLE_TAGS, *_PAGE_CHROME]):
        if not tag.decomposed:
            tag.decompose()
    body = soup.body or soup
    if len(clean_text(body.get_text(" "))) >= APP_SHELL_MAX_TEXT_CHARS:
        return False
    has_empty_root = any(
        not element.get_text(strip=True)
        for element in soup.find_all(id=True)
        if element.get("id") in APP_ROOT_IDS
    )
    return runs_script or has_empty_root


def _host_resolver_rules(rules: dict[str, str]) -> str:
    """Build Chromium's --host-resolver-rules value from a host to "ip:port" map."""
    parts = []
    for host, target in rules.items():
        # Commas and spaces separate rules, so they would let one entry inject another.
        if not host or not target or re.search(r"[\s,]", host + target):
            raise ValueError(f"bad host resolver rule {host!r} -> {target!r}")
        parts.append(f"MAP {host} {target}")
    return ", ".join(parts)


def _is_executable(path: str) -> bool:
    """Tell whether a path is a file this process may run."""
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _missing_browser_message(executable: str | None, playwright_missing: bool) -> str:
    """Explain what is missing and how to install it."""
    problems = []
    if playwright_missing:
        problems.append("Playwright is not installed (pip install playwright)")
    if executable is None:
        problems.append(
            "Chromium was not found in " + ", ".join(CHROMIUM_CANDIDATES) + " "
            "(apt-get install chromium)"
        )
    elif not _is_executable(executable):
        problems.append(f"no Chromium executable at {executable} (apt-get install chromium)")
    return (
        "Rendering JavaScript pages needs headless Chromium: "
        + "; ".join(problems)
        + f". To use another Chromium or Chrome binary, set {CHROMIUM_ENV_VAR} to its path."
    )


def _readable_reason(error: Exception, timeout_s: float) -> str:
    """Turn a Playwright error into a short reason without its call log."""
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    if isinstance(error, PlaywrightTimeoutError):
        return f"no answer within {timeout_s:g} s"
    text = str(error)
    net_error = _NET_ERROR.search(text)
    if net_error:
        code = net_error.group(1)
        words = _NET_ERROR_WORDS.get(code)
        return f"{words} (net::{code})" if words else f"net::{code}"
    if "Download is starting" in text:
        return "the URL starts a download, not a page"
    if "has been closed" in text:
        return "the browser closed while rendering"
    first_line = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return first_line.removeprefix("Page.goto: ").removeprefix("Page.content: ")


async def _content(page: Page, timeout_ms: float) -> str:
    """Return the page's HTML, waiting once if a script is navigating away right now."""
    from playwright.async_api import Error as PlaywrightError

    try:
        return await page.content()
    except PlaywrightError as exc:
        if "navigating" not in str(exc):
            raise
        await page.wait_for_load_state("load", timeout=timeout_ms)
        return await page.content()


_MAX_BROWSER_REDIRECTS = 5


async def _refuse_web_socket(socket: WebSocketRoute) -> None:
    await socket.close()


class BrowserPool:
    """Render pages in one shared Chromium, each in a fresh context, a few at a time."""

    def __init__(
        self,
        executable_path: str | None = None,
        *,
        max_pages: int = 4,
        timeout_s: float = 15.0,
        user_agent: str = DEFAULT_USER_AGENT,
        host_resolver_rules: dict[str, str] | None = None,
        request_guard: RequestGuard | None = None,
    ) -> None:
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.executable_path = executable_path
        self.max_pages = max_pages
        self.timeout_s = timeout_s
        self.user_agent = user_agent
        self.host_resolver_rules = dict(host_resolver_rules or {})
        # Validated now so a bad rule fails at construction, not on the first render.
        self._resolver_arg = _host_resolver_rules(self.host_resolver_rules)
        self.launches = 0
        self.pages_rendered = 0
        self._request_guard = request_guard
        self.blocked_requests: list[str] = []
        """Browser requests the guard refused, with the reason (e.g. a private address)."""
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._launch_lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(max_pages)

    async def __aenter__(self) -> BrowserPool:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _ensure_browser(self) -> Browser:
        """Launch Chromium once, or again if it crashed, and return it."""
        async with self._launch_lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            await self.aclose()
            executable = self.executable_path or find_chromium()
            try:
                from playwright.async_api import async_playwright
            except ImportError:
                raise BrowserUnavailable(_missing_browser_message(executable, True)) from None
            if executable is None or not _is_executable(executable):
                raise BrowserUnavailable(_missing_browser_message(executable, False))
            args = list(CHROMIUM_ARGS)
            if self._resolver_arg:
                args.append(f"--host-resolver-rules={self._resolver_arg}")
            playwright = await async_playwright().start()
            try:
                browser = await playwright.chromium.launch(
                    executable_path=executable, args=args, headless=True
                )
            except Exception as exc:
                await playwright.stop()
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise BrowserUnavailable(
                    f"Chromium at {executable} did not start ({first_line}). "
                    f"Reinstall it (apt-get install chromium) or set {CHROMIUM_ENV_VAR} "
                    "to another Chromium or Chrome binary."
                ) from exc
            self._playwright, self._browser = playwright, browser
            self.launches += 1
            return browser

    async def render(self, url: str) -> RenderedPage:
        """Load a URL, let its scripts run until the network is idle, and return the HTML."""
        async with self._slots:
            # Launching first turns a missing Playwright into BrowserUnavailable, not ImportError.
            browser = await self._ensure_browser()
            from playwright.async_api import Error as PlaywrightError
            from playwright.async_api import TimeoutError as PlaywrightTimeoutError

            context = await browser.new_context(
                user_agent=self.user_agent,
                accept_downloads=False,
                # A service worker could answer later renders from its cache and break isolation.
                service_workers="block",
            )
            if self._request_guard is not None:
                await context.route("**/*", self._guarded)
                # WebSockets are not routed like requests: refuse them outright.
                await context.route_web_socket("**/*", _refuse_web_socket)
            try:
                deadline = time.monotonic() + self.timeout_s
                page = await context.new_page()
                response = await page.goto(url, wait_until="load", timeout=self.timeout_s * 1000)
                content_type = (
                    media_type(response.headers.get("content-type", "")) if response else ""
                )
                if content_type and content_type not in HTML_TYPES:
                    # Chromium would show a PDF in its viewer; that HTML is not the document.
                    raise RenderError(url, f"not an HTML page (content type {content_type})")
                # Waiting for idle after "load" rather than navigating with "networkidle"
                # keeps a page that polls forever from costing a second navigation.
                remaining_ms = (deadline - time.monotonic()) * 1000
                if remaining_ms > 0:
                    # On timeout the page as it was at "load" is the best we will get.
                    with contextlib.suppress(PlaywrightTimeoutError):
                        await page.wait_for_load_state("networkidle", timeout=remaining_ms)
                html = await _content(page, max((deadline - time.monotonic()) * 1000, 1000))
                final_url = page.url
                if self._request_guard is not None:
                    problem = await self._request_guard(final_url)
                    if problem is not None:
                        raise RenderError(url, f"the page ended at a refused address: {problem}")
            except PlaywrightError as exc:
                raise RenderError(url, _readable_reason(exc, self.timeout_s)) from None
            finally:
                # The browser may have crashed; that must not hide the error being raised.
                with contextlib.suppress(PlaywrightError):
                    await context.close()
            self.pages_rendered += 1
            return RenderedPage(
                url=url,
                final_url=final_url,
                status=response.status if response is not None else None,
                html=html,
            )

    async def _guarded(self, route: Route) -> None:
        """Let a browser request through only if the guard allows its address."""
        assert self._request_guard is not None
        from playwright.async_api import Error as PlaywrightError

        url = route.request.url
        host = (urlsplit(url).hostname or "").lower()
        if host in self.host_resolver_rules and await self._request_guard(url) is None:
            await route.continue_()  # explicitly mapped by configuration (demo, staging)
            return
        # Redirects are followed here, one checked hop at a time: Chromium would follow a
        # redirect itself without routing the next request back through this guard.
        current = url
        for _ in range(_MAX_BROWSER_REDIRECTS + 1):
            problem = await self._request_guard(current)
            if problem is not None:
                self.blocked_requests.append(f"{current}: {problem}")
                await route.abort("blockedbyclient")
                return
            try:
                response = await route.fetch(url=current, max_redirects=0)
            except PlaywrightError:
                await route.abort("failed")
                return
            location = response.headers.get("location")
            if response.status in REDIRECT_STATUSES and location:
                current = urljoin(current, location)
                continue
            await route.fulfill(response=response)
            return
        await route.abort("failed")

    async def aclose(self) -> None:
        """Close the browser and stop Playwright; the next render launches a new one."""
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            # A crashed browser cannot be closed, and that is fine.
            with contextlib.suppress(Exception):
                await browser.close()
        if playwright is not None:
            await playwright.stop()
