"""Fetch web pages over HTTP with the limits a polite research bot keeps."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

DEFAULT_USER_AGENT = "OutreachArchitect/0.1 (+https://github.com/outreach-architect; research bot)"


class FetchError(Exception):
    """A page could not be fetched; the message says why in plain words."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


@dataclass(frozen=True)
class FetchLimits:
    """Limits applied to every request."""

    timeout_s: float = 10.0
    max_bytes: int = 2_000_000
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT


@dataclass(frozen=True)
class Page:
    """A fetched HTML page."""

    url: str
    final_url: str
    status: int
    content_type: str
    html: str


class _ResolvingTransport(httpx.AsyncBaseTransport):
    """Send requests for some hosts to another address, like curl's --resolve."""

    def __init__(self, overrides: dict[str, str], inner: httpx.AsyncBaseTransport) -> None:
        self._overrides = {host.lower(): target for host, target in overrides.items()}
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self._overrides.get(request.url.host.lower())
        if target is None:
            return await self._inner.handle_async_request(request)
        original = request.url
        host, _, port = target.partition(":")
        # The Host header keeps the original name, so the server can route by virtual host.
        request.url = original.copy_with(host=host, port=int(port) if port else None)
        try:
            return await self._inner.handle_async_request(request)
        finally:
            # Restored so that redirects and the page's reported URL keep the public name.
            request.url = original

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class PageFetcher:
    """Fetch HTML pages with timeouts, a size cap and a redirect cap."""

    limits: FetchLimits = field(default_factory=FetchLimits)
    resolve: dict[str, str] = field(default_factory=dict)
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)

    def _get_client(self) -> httpx.AsyncClient:
        if self._client is None:
            transport: httpx.AsyncBaseTransport = httpx.AsyncHTTPTransport(retries=1)
            if self.resolve:
                transport = _ResolvingTransport(self.resolve, transport)
            self._client = httpx.AsyncClient(
                transport=transport,
                timeout=self.limits.timeout_s,
                follow_redirects=True,
                max_redirects=self.limits.max_redirects,
                headers={"User-Agent": self.limits.user_agent, "Accept": "text/html,*/*;q=0.5"},
            )
        return self._client

    async def fetch(self, url: str) -> Page:
        """Fetch one page, raising FetchError with a readable reason on any failure."""
        client = self._get_client()
        try:
            async with client.stream("GET", url) as response:
                content_type = response.headers.get("content-type", "").split(";")[0].strip()
                if response.status_code >= 400:
                    raise FetchError(url, f"the server answered HTTP {response.status_code}")
                if content_type and content_type not in ("text/html", "application/xhtml+xml"):
                    raise FetchError(url, f"not an HTML page (content type {content_type})")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > self.limits.max_bytes:
                        raise FetchError(
                            url, f"page is larger than the {self.limits.max_bytes} byte limit"
                        )
                encoding = response.encoding or "utf-8"
                html = bytes(body).decode(encoding, errors="replace")
                return Page(
                    url=url,
                    final_url=str(response.url),
                    status=response.status_code,
                    content_type=content_type or "text/html",
                    html=html,
                )
        except httpx.TooManyRedirects:
            raise FetchError(url, f"more than {self.limits.max_redirects} redirects") from None
        except httpx.TimeoutException:
            raise FetchError(url, f"no answer within {self.limits.timeout_s:g} s") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"could not connect ({type(exc).__name__}: {exc})") from None

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
