"""Fetching pages: every failure becomes a readable reason, never a crash."""

from __future__ import annotations

import socket

import pytest

from tests.fakes.fault_web import FaultWeb, Route
from tools.page_fetch import FetchError, FetchLimits, PageFetcher

LOOPBACK = FetchLimits(allow_private_networks=True)  # the fixture web is on 127.0.0.1
ROUTES = {
    "/ok": Route(body="<html><body><p>héllo</p></body></html>".encode()),
    "/missing": Route(status=404),
    "/boom": Route(status=500, body=b"oops"),
    "/pdf": Route(content_type="application/pdf", body=b"%PDF-1.7"),
    "/huge": Route(body=b"<p>" + b"x" * 50_000 + b"</p>"),
    "/slow": Route(delay_s=2.0),
    "/loop": Route(status=302, headers={"Location": "/loop"}),
    "/latin1": Route(
        content_type="text/html; charset=iso-8859-1", body="<p>café</p>".encode("latin-1")
    ),
}


@pytest.fixture
def web() -> FaultWeb:
    with FaultWeb(ROUTES) as server:
        yield server


async def fetch(web: FaultWeb, path: str, **limits: object) -> str:
    fetcher = PageFetcher(limits=FetchLimits(**{"allow_private_networks": True, **limits}))  # type: ignore[arg-type]
    try:
        page = await fetcher.fetch(f"{web.base_url}{path}")
        return page.html
    finally:
        await fetcher.aclose()


async def test_fetches_html_and_decodes_declared_charsets(web: FaultWeb) -> None:
    assert "héllo" in await fetch(web, "/ok")
    assert "café" in await fetch(web, "/latin1")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/boom", "HTTP 500"),
        ("/pdf", "not an HTML page (content type application/pdf)"),
        ("/loop", "more than 5 redirects"),
    ],
)
async def test_failures_have_readable_reasons(web: FaultWeb, path: str, reason: str) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch(web, path)
    assert reason in str(caught.value)


async def test_size_cap(web: FaultWeb) -> None:
    with pytest.raises(FetchError, match="larger than the 10000 byte limit"):
        await fetch(web, "/huge", max_bytes=10_000)


async def test_timeout(web: FaultWeb) -> None:
    with pytest.raises(FetchError, match=r"no answer within 0.3 s"):
        await fetch(web, "/slow", timeout_s=0.3)


async def test_connection_refused() -> None:
    with socket.socket() as probe:  # find a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fetcher = PageFetcher(limits=LOOPBACK)
    with pytest.raises(FetchError, match="could not connect"):
        await fetcher.fetch(f"http://127.0.0.1:{port}/")
    await fetcher.aclose()


async def test_sends_a_descriptive_user_agent(web: FaultWeb) -> None:
    assert FetchLimits().user_agent.startswith("OutreachArchitect/")


async def test_resolve_override_keeps_the_public_url(
    demo_web: object, demo_resolve: dict[str, str]
) -> None:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    page = await fetcher.fetch("http://northwind-robotics.example/team/maya-okafor")
    await fetcher.aclose()
    assert page.final_url == "http://northwind-robotics.example/team/maya-okafor"
    assert "Maya Okafor" in page.html
