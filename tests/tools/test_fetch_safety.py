"""SSRF guard, robots.txt and per-host pacing: research that a security review would accept."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import pytest

from tests.fakes.fault_web import FaultWeb, Route
from tests.tools.rendezvous_web import RendezvousWeb
from tools.page_fetch import FetchError, FetchLimits, PageFetcher
from tools.url_safety import address_problem

PAGE = Route(body=b"<html><body><p>public page</p></body></html>")


@pytest.fixture
def web() -> Iterator[FaultWeb]:
    routes = {
        "/page": PAGE,
        "/private/report": PAGE,
        "/robots.txt": Route(
            content_type="text/plain", body=b"User-agent: *\nDisallow: /private\n"
        ),
    }
    with FaultWeb(routes) as server:
        yield server


async def fetch(url: str, limits: FetchLimits, resolve: dict[str, str] | None = None) -> str:
    fetcher = PageFetcher(limits=limits, resolve=resolve or {})
    try:
        return (await fetcher.fetch(url)).html
    finally:
        await fetcher.aclose()


@pytest.mark.parametrize(
    ("ip", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("192.168.0.10", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("::1", "a loopback address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("0.0.0.0", "a private address"),
        ("93.184.216.34", None),
    ],
)
def test_address_classes(ip: str, problem: str | None) -> None:
    assert address_problem(ip) == problem


async def test_loopback_is_refused_by_default(web: FaultWeb) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch(f"{web.base_url}/page", FetchLimits())
    assert "a loopback address" in str(caught.value)
    assert "OUTREACH_ALLOW_PRIVATE_NETWORKS=1" in str(caught.value)
    assert web.hits == [], "nothing was sent"


async def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(
        FetchError, match=r"intranet\.example resolves to 10\.0\.0\.5, a private address"
    ):
        await fetch("http://intranet.example/", FetchLimits(), {"intranet.example": "10.0.0.5:80"})


async def test_metadata_endpoint_is_refused() -> None:
    with pytest.raises(FetchError, match="link-local"):
        await fetch("http://169.254.169.254/latest/meta-data/", FetchLimits())


async def test_redirect_into_a_private_address_is_refused(web: FaultWeb) -> None:
    port = web.base_url.rsplit(":", 1)[1]
    web_routes = {"/hop": Route(status=302, headers={"Location": f"http://127.0.0.2:{port}/page"})}
    with FaultWeb(web_routes) as hopper:
        limits = FetchLimits(allowed_networks=("127.0.0.1/32",))
        with pytest.raises(FetchError, match=r"127\.0\.0\.2, a loopback address"):
            await fetch(f"{hopper.base_url}/hop", limits)
    assert [path for path, _ in web.hits] == [], "the redirect target was never contacted"


async def test_explicit_allow_reaches_loopback(web: FaultWeb) -> None:
    assert "public page" in await fetch(
        f"{web.base_url}/page", FetchLimits(allow_private_networks=True)
    )
    allowed = FetchLimits(allowed_networks=("127.0.0.0/8",))
    assert "public page" in await fetch(f"{web.base_url}/page", allowed)


async def test_non_http_schemes_are_refused() -> None:
    with pytest.raises(FetchError, match="only http and https"):
        await fetch("file:///etc/passwd", FetchLimits(allow_private_networks=True))


async def test_robots_txt_is_honoured_and_can_be_turned_off(web: FaultWeb) -> None:
    limits = FetchLimits(allow_private_networks=True)
    with pytest.raises(FetchError, match=r"robots\.txt does not allow"):
        await fetch(f"{web.base_url}/private/report", limits)
    ignoring = FetchLimits(allow_private_networks=True, respect_robots=False)
    assert "public page" in await fetch(f"{web.base_url}/private/report", ignoring)


async def test_robots_txt_is_fetched_once_per_site(web: FaultWeb) -> None:
    fetcher = PageFetcher(limits=FetchLimits(allow_private_networks=True))
    for _ in range(3):
        await fetcher.fetch(f"{web.base_url}/page")
    await fetcher.aclose()
    assert [path for path, _ in web.hits].count("/robots.txt") == 1


async def test_robots_txt_is_fetched_once_when_pages_of_a_site_are_fetched_at_once() -> None:
    # robots.txt answers slowly, so every fetch asks for the rules while they are loading.
    robots = Route(content_type="text/plain", body=b"User-agent: *\nAllow: /\n", delay_s=0.3)
    with FaultWeb({"/robots.txt": robots, "/page": PAGE}) as server:
        limits = FetchLimits(allow_private_networks=True, per_host_concurrency=4)
        fetcher = PageFetcher(limits=limits)
        try:
            pages = await asyncio.gather(
                *(fetcher.fetch(f"{server.base_url}/page?n={n}") for n in range(4))
            )
        finally:
            await fetcher.aclose()
    assert all("public page" in page.html for page in pages)
    assert [path for path, _ in server.hits].count("/robots.txt") == 1


async def test_a_failing_robots_txt_means_stay_away() -> None:
    routes = {"/robots.txt": Route(status=503), "/page": PAGE}
    with FaultWeb(routes) as server, pytest.raises(FetchError, match=r"robots\.txt"):
        await fetch(f"{server.base_url}/page", FetchLimits(allow_private_networks=True))


async def test_per_host_concurrency_cap() -> None:
    # Each request is answered only when two are in flight, so the fetcher is seen using both
    # slots however it is scheduled; a cap of one would strand a request, and a missing cap
    # would show as more than two at once.
    limits = FetchLimits(allow_private_networks=True, per_host_concurrency=2, respect_robots=False)
    # A stranded request is answered within the fetcher's 10 s read timeout, so it shows.
    with RendezvousWeb(parties=2, timeout_s=5.0) as web:
        fetcher = PageFetcher(limits=limits)
        try:
            pages = await asyncio.gather(
                *(fetcher.fetch(f"{web.url}?i={i}") for i in range(6)), return_exceptions=True
            )
        finally:
            await fetcher.aclose()
    assert web.stranded == 0, "fewer than two requests were ever in flight at once"
    assert [getattr(page, "status", page) for page in pages] == [200] * 6
    assert web.peak_in_flight == 2


async def test_robots_crawl_delay_spaces_requests() -> None:
    robots = Route(content_type="text/plain", body=b"User-agent: *\nCrawl-delay: 0.3\n")
    with FaultWeb({"/robots.txt": robots, "/page": PAGE}) as server:
        fetcher = PageFetcher(limits=FetchLimits(allow_private_networks=True))
        await asyncio.gather(*(fetcher.fetch(f"{server.base_url}/page?i={i}") for i in range(3)))
        await fetcher.aclose()
        starts = sorted(t for path, t in server.hits if path.startswith("/page"))
    assert len(starts) == 3
    assert all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(starts))


async def test_per_host_delay_spaces_requests(web: FaultWeb) -> None:
    limits = FetchLimits(allow_private_networks=True, per_host_delay_s=0.25, respect_robots=False)
    fetcher = PageFetcher(limits=limits)
    # Distinct URLs: three fetches of one URL would share one request and prove nothing.
    await asyncio.gather(*(fetcher.fetch(f"{web.base_url}/page?i={i}") for i in range(3)))
    await fetcher.aclose()
    starts = sorted(t for path, t in web.hits if path.startswith("/page"))
    assert len(starts) == 3
    # Arrival times carry connection-setup jitter, so the bound leaves room below the gap.
    assert all(later - earlier >= 0.15 for earlier, later in itertools.pairwise(starts))


@pytest.mark.parametrize(
    ("ip", "problem"),
    [
        ("100.100.100.200", "a non-public address"),  # shared address space (cloud metadata)
        ("2002:a9fe:a9fe::1", "a link-local address"),  # 6to4 wrapping 169.254.169.254
        ("fec0::1", "a site-local address"),
    ],
)
def test_more_non_public_address_forms(ip: str, problem: str) -> None:
    assert address_problem(ip) == problem


async def test_bracketed_ipv6_override_is_parsed_and_refused() -> None:
    with pytest.raises(FetchError, match=r"resolves to ::1, a loopback address"):
        await fetch("http://v6.example/", FetchLimits(), {"v6.example": "[::1]:8080"})


async def test_a_compression_bomb_is_stopped_at_the_size_cap() -> None:
    import gzip

    bomb = gzip.compress(gzip.compress(b"\0" * 50_000_000))
    routes = {"/bomb": Route(body=bomb, headers={"Content-Encoding": "gzip, gzip"})}
    single = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    routes["/big"] = Route(body=single, headers={"Content-Encoding": "gzip"})
    routes["/small"] = Route(
        body=gzip.compress(b"<p>fine</p>"), headers={"Content-Encoding": "gzip"}
    )
    limits = FetchLimits(allow_private_networks=True, max_bytes=100_000, respect_robots=False)
    with FaultWeb(routes) as server:
        with pytest.raises(FetchError, match="unsupported content encoding gzip, gzip"):
            await fetch(f"{server.base_url}/bomb", limits)
        with pytest.raises(FetchError, match="larger than the 100000 byte limit"):
            await fetch(f"{server.base_url}/big", limits)
        assert "fine" in await fetch(f"{server.base_url}/small", limits)


async def test_a_slow_drip_is_cut_off_by_the_total_deadline() -> None:
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
        while not stop.wait(0.2):
            try:
                conn.sendall(b"x")
            except OSError:
                break
        conn.close()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    limits = FetchLimits(
        allow_private_networks=True, respect_robots=False, timeout_s=1.0, total_timeout_s=1.5
    )
    try:
        with pytest.raises(FetchError, match=r"took longer than 1\.5 s"):
            await fetch(f"http://127.0.0.1:{port}/", limits)
    finally:
        stop.set()
        listener.close()


async def test_a_cancelled_caller_does_not_cancel_a_shared_fetch() -> None:
    with FaultWeb({"/slow": Route(delay_s=0.3)}) as server:
        fetcher = PageFetcher(limits=FetchLimits(allow_private_networks=True, respect_robots=False))
        first = asyncio.create_task(fetcher.fetch(f"{server.base_url}/slow"))
        second = asyncio.create_task(fetcher.fetch(f"{server.base_url}/slow"))
        # Cancel once the shared request has reached the server, not after a guessed sleep.
        # The server answers from its own thread and offers no event to await.
        async with asyncio.timeout(10):
            while not server.hits:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        first.cancel()
        page = await second
        await fetcher.aclose()
        hits = [path for path, _ in server.hits]
    assert page.status == 200
    assert hits == ["/slow"], "the second caller got the shared fetch, not a new one"


async def test_robots_groups_match_our_product_token_not_words_in_our_user_agent() -> None:
    robots = Route(
        content_type="text/plain",
        body=b"User-agent: bot\nDisallow: /\n\nUser-agent: OutreachArchitect\nDisallow: /private\n",
    )
    with FaultWeb({"/robots.txt": robots, "/page": PAGE, "/private": PAGE}) as server:
        limits = FetchLimits(allow_private_networks=True)
        assert "public page" in await fetch(f"{server.base_url}/page", limits)
        with pytest.raises(FetchError, match="robots"):
            await fetch(f"{server.base_url}/private", limits)
