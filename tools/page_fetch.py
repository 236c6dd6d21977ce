"""Fetch web pages safely and politely: SSRF guard, robots.txt, per-host pacing, limits."""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass, field, replace
from functools import partial
from urllib.parse import urljoin, urlsplit

import httpx
from bs4 import UnicodeDammit
from protego import Protego

from tools.browser_render import (
    BrowserPool,
    BrowserUnavailable,
    RenderError,
    looks_like_app_shell,
)
from tools.host_pacing import HostPacer
from tools.page_cache import PageCache
from tools.page_fetch_types import HTML_TYPES, REDIRECT_STATUSES, Page, media_type
from tools.rate_limits import RateLimiter
from tools.tls_context import shared_tls_context
from tools.url_safety import UnsafeURLError, resolve_target

DEFAULT_USER_AGENT = "OutreachArchitect/0.1 (+https://github.com/outreach-architect; research bot)"
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
    "application/rdf+xml",
)  # fmt: skip
MAX_CRAWL_DELAY_S = 10.0


def decode_body(body: bytes, declared: str | None) -> str:
    """Decode a page, trusting the declared charset only when the bytes agree with it."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    label = (declared or "utf-8").lower()
    # Browsers read these labels as windows-1252, whose curly quotes and dashes live where
    # ISO-8859-1 has control characters; pages labelled latin-1 are nearly always cp1252.
    if label in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        label = "cp1252"
    try:
        return body.decode(label)
    except (UnicodeDecodeError, LookupError):
        # Servers often send "utf-8" for old cp1252 pages: let the page's own <meta charset>
        # and byte statistics decide, as browsers do.
        guessed = UnicodeDammit(body, [], is_html=True).unicode_markup
        return guessed if guessed is not None else body.decode("utf-8", errors="replace")


class FetchError(Exception):
    """A page could not be fetched; the message says why in plain words."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


@dataclass(frozen=True)
class FetchLimits:
    """Limits and manners applied to every request."""

    timeout_s: float = 10.0
    """Per connect/read; total_timeout_s bounds a whole fetch (a slow drip cannot hold on)."""
    total_timeout_s: float = 30.0
    max_bytes: int = 2_000_000
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    per_host_concurrency: int = 2
    per_host_delay_s: float = 0.0
    respect_robots: bool = True
    allow_private_networks: bool = False
    allowed_networks: tuple[str, ...] = ()
    """CIDRs reachable even though private (e.g. "10.1.2.0/24" for an intranet wiki)."""


@dataclass
class PageFetcher:
    """Fetch HTML pages (or feeds) with every safety and politeness rule applied per hop."""

    limits: FetchLimits = field(default_factory=FetchLimits)
    resolve: dict[str, str] = field(default_factory=dict)
    """Host → "ip:port" overrides, like curl's --resolve (the demo serves fictional hosts)."""
    cache: PageCache | None = None
    """Disk cache consulted before the network (see refresh)."""
    refresh: bool = False
    """Fetch again even when the cache holds a fresh copy (the copy is replaced)."""
    renderer: BrowserPool | None = None
    """Renders JavaScript app shells (little text, a script); None turns rendering off."""
    shared_limits: RateLimiter | None = None
    """Keeps each host's gap across every worker (Redis); None: within this process."""
    pages_fetched: int = field(default=0, init=False)
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    _pacer: HostPacer | None = field(default=None, init=False, repr=False)
    _robots: dict[str, Protego | None] = field(default_factory=dict, init=False, repr=False)
    _robots_loading: dict[str, asyncio.Future[Protego | None]] = field(
        default_factory=dict, init=False, repr=False
    )
    _in_flight: dict[tuple[str, str], asyncio.Task[Page]] = field(
        default_factory=dict, init=False, repr=False
    )

    def _get_client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                transport=httpx.AsyncHTTPTransport(retries=1, verify=shared_tls_context()),
                timeout=self.limits.timeout_s,
                follow_redirects=False,  # each hop is checked here, not followed blindly
                headers={"User-Agent": self.limits.user_agent},
            )
            self._pacer = HostPacer(
                self.limits.per_host_concurrency,
                self.limits.per_host_delay_s,
                shared=self.shared_limits,
            )
        return self._client

    async def fetch(self, url: str, *, accept: tuple[str, ...] = HTML_TYPES) -> Page:
        """Fetch one document, raising FetchError with a readable reason on any failure."""
        kind = "html" if accept == HTML_TYPES else "feed"
        # Leads at one company ask for the same pages at once: one fetch serves them all.
        # The fetch runs as the fetcher's own task, so a caller that gives up (cancelled,
        # timed out) does not cancel it for the others waiting on it.
        task = self._in_flight.get((url, kind))
        if task is None:
            task = asyncio.ensure_future(self._fetch_once(url, kind, accept))
            self._in_flight[(url, kind)] = task
            task.add_done_callback(lambda _: self._in_flight.pop((url, kind), None))
        return await asyncio.shield(task)

    async def _fetch_once(self, url: str, kind: str, accept: tuple[str, ...]) -> Page:
        if self.cache is not None and not self.refresh:
            cached = await self.cache.get(url, kind)
            if cached is not None:
                return cached
        page = await self._fetch_live(url, accept=accept)
        # The substring test spares a second parse of the (many) pages without scripts.
        if kind == "html" and "<script" in page.html.lower() and looks_like_app_shell(page.html):
            page = await self._render(page)
        # A page with a warning (say, an unrendered app shell) is not worth keeping.
        if self.cache is not None and page.warning is None:
            await self.cache.put(page, kind)
        return page

    async def _render(self, page: Page) -> Page:
        """Run the page's JavaScript in Chromium; keep the shell with a warning if impossible."""
        if self.renderer is None:
            return replace(page, warning="page needs JavaScript, and JavaScript rendering is off")
        try:
            rendered = await self.renderer.render(page.final_url)
        except BrowserUnavailable as exc:
            return replace(page, warning=f"page needs JavaScript, but {exc}")
        except RenderError as exc:
            return replace(page, warning=f"page needs JavaScript; rendering failed: {exc.reason}")
        return replace(page, final_url=rendered.final_url, html=rendered.html)

    async def _fetch_live(self, url: str, *, accept: tuple[str, ...]) -> Page:
        current = url
        for _ in range(self.limits.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(
                    current, "invalid URL (only http and https pages can be researched)"
                )
            if self.limits.respect_robots and not await self._robots_allow(current):
                raise FetchError(current, "robots.txt does not allow fetching this page")
            response, body = await self._get(current, accept=accept)
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                current = urljoin(current, location)
                continue
            if response.status_code >= 400:
                raise FetchError(url, f"the server answered HTTP {response.status_code}")
            content_type = media_type(response.headers.get("content-type", ""))
            if content_type and content_type not in accept:
                what = "an HTML page" if accept == HTML_TYPES else "a feed"
                raise FetchError(url, f"not {what} (content type {content_type})")
            self.pages_fetched += 1
            return Page(
                url=url,
                final_url=current,
                status=response.status_code,
                content_type=content_type or accept[0],
                html=decode_body(body, response.encoding),
            )
        raise FetchError(url, f"more than {self.limits.max_redirects} redirects")

    async def _get(self, url: str, *, accept: tuple[str, ...]) -> tuple[httpx.Response, bytes]:
        """GET one URL at its checked address, reading at most max_bytes."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "invalid URL (only http and https pages can be researched)")
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            target = await resolve_target(
                host,
                port,
                overrides=self.resolve,
                allow_private=self.limits.allow_private_networks,
                allowed_networks=self.limits.allowed_networks,
            )
        except UnsafeURLError as exc:
            raise FetchError(url, str(exc)) from None
        client = self._get_client()
        assert self._pacer is not None
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        headers = {
            "Host": host_header,
            "Accept": ", ".join((*accept, "*/*;q=0.1")),
            "Accept-Encoding": "gzip, deflate",
        }
        if parts.scheme == "https":
            # Connections are pooled by address: a TLS connection verified for one host name
            # must not be reused for another name on the same address.
            headers["Connection"] = "close"
        request = client.build_request(
            "GET",
            httpx.URL(url).copy_with(host=target.ip, port=target.port),
            headers=headers,
            extensions={"sni_hostname": host},
        )
        try:
            async with (
                self._pacer.slot(host, self._crawl_delay(url)),
                asyncio.timeout(self.limits.total_timeout_s),
            ):
                response = await client.send(request, stream=True)
                try:
                    body = await self._read_body(url, response)
                finally:
                    await response.aclose()
        except TimeoutError:
            limit = self.limits.total_timeout_s
            raise FetchError(url, f"the page took longer than {limit:g} s to arrive") from None
        except httpx.TimeoutException:
            raise FetchError(url, f"no answer within {self.limits.timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"could not connect ({type(exc).__name__}: {exc})") from None
        return response, bytes(body)

    def _crawl_delay(self, url: str) -> float:
        """Return the site's robots.txt Crawl-delay for us, capped so a site cannot stall a run."""
        parts = urlsplit(url)
        rules = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        if not self.limits.respect_robots or rules is None:
            return 0.0
        delay = rules.crawl_delay(self._robots_token)
        return min(float(delay), MAX_CRAWL_DELAY_S) if delay else 0.0

    async def _read_body(self, url: str, response: httpx.Response) -> bytes:
        """Read and decompress at most max_bytes, so a compression bomb cannot inflate."""
        encodings = [
            e.strip().lower() for e in response.headers.get("content-encoding", "").split(",")
        ]
        encodings = [e for e in encodings if e and e != "identity"]
        if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(url, f"unsupported content encoding {', '.join(encodings)}")
        limit = self.limits.max_bytes
        inflater = None
        if encodings:
            window = 31 if encodings[0] in ("gzip", "x-gzip") else 15
            inflater = zlib.decompressobj(window)
        body = bytearray()
        async for chunk in response.aiter_raw():
            piece = inflater.decompress(chunk, limit + 1 - len(body)) if inflater else chunk
            body.extend(piece)
            if len(body) > limit or (inflater is not None and inflater.unconsumed_tail):
                raise FetchError(url, f"page is larger than the {limit} byte limit")
        return bytes(body)

    async def _robots_allow(self, url: str) -> bool:
        """Check robots.txt for the URL's origin, fetching it once per origin."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots[origin] if origin in self._robots else await self._rules(origin)
        return rules is None or rules.can_fetch(url, self._robots_token)

    async def _rules(self, origin: str) -> Protego | None:
        """The origin's rules, loaded once however many fetches ask at the same time (each
        asking alone had cost the site one robots.txt request per concurrent page)."""
        loading = self._robots_loading.get(origin)
        if loading is None:
            loading = asyncio.ensure_future(self._load_robots(origin))
            self._robots_loading[origin] = loading
            loading.add_done_callback(partial(self._robots_loaded, origin))
        # Shielded: one fetch cancelled must not cancel the load the others wait on.
        return await asyncio.shield(loading)

    def _robots_loaded(self, origin: str, loading: asyncio.Future[Protego | None]) -> None:
        del self._robots_loading[origin]
        if not loading.cancelled() and loading.exception() is None:
            self._robots[origin] = loading.result()

    @property
    def _robots_token(self) -> str:
        """Return our product token ("OutreachArchitect"): robots.txt groups match on it."""
        return self.limits.user_agent.split("/", 1)[0].split()[0]

    async def _load_robots(self, origin: str) -> Protego | None:
        """Return the origin's rules; None (allow all) when it has no robots.txt."""
        try:
            response, body = await self._get(f"{origin}/robots.txt", accept=("text/plain",))
        except FetchError as exc:
            if (
                "no answer within" in exc.reason
                or "took longer" in exc.reason
                or ("larger than" in exc.reason)
            ):
                # A server that answers robots.txt too slowly (or absurdly) is asking to be
                # left alone: RFC 9309 treats an unreachable robots.txt as "disallow".
                return Protego.parse("User-agent: *\nDisallow: /")
            return None  # the site is down or refused: the page fetch will say so clearly
        if response.status_code >= 500:
            # A failing robots.txt means "stay away for now", as the big crawlers treat it.
            return Protego.parse("User-agent: *\nDisallow: /")
        if response.status_code >= 400:
            return None
        return Protego.parse(body.decode("utf-8", errors="replace"))

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
