"""JavaScript pages get rendered (or explained), and the page cache saves refetching."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.fakes.fault_web import FaultWeb, Route
from tests.fakes.js_site import JsSite
from tools.browser_render import BrowserPool
from tools.page_cache import PageCache
from tools.page_fetch import FetchError, FetchLimits, PageFetcher
from tools.profile_research import research_profile_page

LOOPBACK = FetchLimits(allow_private_networks=True)  # the fixture web is on 127.0.0.1


async def test_an_app_shell_is_rendered_in_chromium(chromium: str) -> None:
    with JsSite() as site:
        pool = BrowserPool(chromium)
        fetcher = PageFetcher(limits=LOOPBACK, renderer=pool)
        page = await fetcher.fetch(f"{site.base_url}/")
        await fetcher.aclose()
        await pool.aclose()
    assert page.warning is None
    assert '<article class="post">' in page.html
    assert pool.pages_rendered == 1


async def test_without_rendering_the_shell_is_kept_with_a_readable_warning() -> None:
    with JsSite() as site:
        fetcher = PageFetcher(limits=LOOPBACK)
        result = await research_profile_page(fetcher, f"{site.base_url}/", "Ada Lin", NOW)
        await fetcher.aclose()
    assert [e.message for e in result.errors] == [
        "page needs JavaScript, and JavaScript rendering is off"
    ]


async def test_missing_chromium_is_explained(tmp_path: Path) -> None:
    with JsSite() as site:
        pool = BrowserPool(str(tmp_path / "no-such-chromium"))
        fetcher = PageFetcher(limits=LOOPBACK, renderer=pool)
        page = await fetcher.fetch(f"{site.base_url}/")
        await fetcher.aclose()
        await pool.aclose()
    assert page.warning is not None
    assert page.warning.startswith("page needs JavaScript, but")
    assert "apt-get install chromium" in page.warning


async def test_cache_serves_a_second_run_without_the_network(tmp_path: Path) -> None:
    routes = {
        "/": Route(body=b"<html><body><p>Cached company page with enough words.</p></body></html>")
    }
    with FaultWeb(routes) as web:
        for _ in range(2):  # two runs, each with its own fetcher, sharing the cache file
            cache = PageCache(tmp_path / "pages.sqlite", ttl_s=3600)
            fetcher = PageFetcher(limits=LOOPBACK, cache=cache)
            page = await fetcher.fetch(f"{web.base_url}/")
            await fetcher.aclose()
            cache.close()
        assert "Cached company page" in page.html
        assert [path for path, _ in web.hits if path == "/"] == ["/"]
        assert cache.hits == 1


async def test_refresh_and_expiry_refetch(tmp_path: Path) -> None:
    routes = {"/": Route(body=b"<html><body><p>v1</p></body></html>")}
    clock = [1000.0]
    with FaultWeb(routes) as web:
        cache = PageCache(tmp_path / "pages.sqlite", ttl_s=60, clock=lambda: clock[0])
        fetcher = PageFetcher(limits=LOOPBACK, cache=cache)
        await fetcher.fetch(f"{web.base_url}/")
        await fetcher.fetch(f"{web.base_url}/")  # fresh: from cache
        clock[0] += 61
        await fetcher.fetch(f"{web.base_url}/")  # expired: refetched
        fetcher.refresh = True
        await fetcher.fetch(f"{web.base_url}/")  # --refresh: refetched
        await fetcher.aclose()
        cache.close()
        assert [path for path, _ in web.hits if path == "/"] == ["/", "/", "/"]


async def test_failed_fetches_are_not_cached(tmp_path: Path) -> None:
    with FaultWeb({"/": Route(status=500)}) as web:
        cache = PageCache(tmp_path / "pages.sqlite", ttl_s=3600)
        fetcher = PageFetcher(limits=LOOPBACK, cache=cache)
        for _ in range(2):
            with pytest.raises(FetchError, match="HTTP 500"):
                await fetcher.fetch(f"{web.base_url}/")
        await fetcher.aclose()
        cache.close()
        assert [path for path, _ in web.hits if path == "/"] == ["/", "/"]


async def test_cached_results_are_read_while_another_connection_writes(tmp_path: Path) -> None:
    """Reads run on the caller's thread beside a writer holding the database (another run's
    cache write): they are answered, and a read the database refuses goes to the thread."""
    cache = PageCache(tmp_path / "pages.sqlite", ttl_s=3600)
    await cache.put_result("research_profile:maya", '{"facts": []}')
    writer = sqlite3.connect(tmp_path / "pages.sqlite")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO research VALUES ('other', '{}', 0)")
    assert await cache.get_result("research_profile:maya") == '{"facts": []}'  # WAL: no wait
    writer.rollback()
    writer.close()

    class Busy:
        def execute(self, *args: object) -> None:
            raise sqlite3.OperationalError("database is locked")

    cache._local.db = Busy()  # this thread's reader finds the database busy
    assert await cache.get_result("research_profile:maya") == '{"facts": []}'
    assert await cache.get_result("research_profile:priya") is None
    cache.close()


async def test_concurrent_requests_for_one_page_share_one_fetch() -> None:
    import asyncio

    routes = {"/": Route(body=b"<html><body><p>shared</p></body></html>", delay_s=0.2)}
    with FaultWeb(routes) as web:
        fetcher = PageFetcher(limits=LOOPBACK)
        pages = await asyncio.gather(*(fetcher.fetch(f"{web.base_url}/") for _ in range(5)))
        await fetcher.aclose()
        assert {p.html for p in pages} == {"<html><body><p>shared</p></body></html>"}
        assert [path for path, _ in web.hits if path == "/"] == ["/"]


async def test_a_shared_fetch_failure_reaches_every_caller() -> None:
    import asyncio

    with FaultWeb({"/": Route(status=503, delay_s=0.2)}) as web:
        fetcher = PageFetcher(limits=LOOPBACK)
        outcomes = await asyncio.gather(
            *(fetcher.fetch(f"{web.base_url}/") for _ in range(3)), return_exceptions=True
        )
        await fetcher.aclose()
    assert all(isinstance(o, FetchError) and "HTTP 503" in str(o) for o in outcomes)


async def test_browser_requests_to_private_addresses_are_blocked(chromium: str) -> None:
    from tools.url_safety import request_guard

    page = (
        b"<!doctype html><html><body><div id='root'></div>"
        b"<img src='http://169.254.169.254/latest/meta-data/'>"
        b"<script>fetch('http://10.0.0.7/admin').catch(function(){});"
        b"document.getElementById('root').textContent='rendered';</script></body></html>"
    )
    with FaultWeb({"/": Route(body=page)}) as web:
        guard = request_guard(overrides={}, allow_private=False, allowed_networks=("127.0.0.1/32",))
        pool = BrowserPool(chromium, request_guard=guard)
        rendered = await pool.render(f"{web.base_url}/")
        await pool.aclose()
    assert "rendered" in rendered.html
    blocked = "\n".join(pool.blocked_requests)
    assert "169.254.169.254" in blocked and "a link-local address" in blocked
    assert "10.0.0.7" in blocked and "a private address" in blocked


async def test_research_results_are_cached_and_refresh_redoes_them(
    tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    from tools.research_tools import build_research_tools

    args = {"url": "http://lumenledger.example/", "company_name": "Lumen Ledger"}
    results = []
    for refresh in (False, False, True):
        cache = PageCache(tmp_path / "pages.sqlite", ttl_s=3600)
        fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve, cache=cache, refresh=refresh)
        tool = {t.name: t for t in build_research_tools(fetcher, clock=lambda: NOW)}
        results.append(await tool["research_company"].ainvoke(args))
        await fetcher.aclose()
        cache.close()
        results.append((fetcher.pages_fetched, cache.result_hits))
    first, first_counts, second, second_counts, third, third_counts = results
    assert first == second == third
    assert first_counts[0] > 0 and first_counts[1] == 0
    assert second_counts == (0, 1), "a re-run neither fetches nor re-extracts"
    assert third_counts[0] > 0 and third_counts[1] == 0, "--refresh redoes the research"


async def test_browser_redirects_and_websockets_into_private_addresses_are_blocked(
    chromium: str,
) -> None:
    from tools.browser_render import RenderError

    with FaultWeb({"/secret": Route(body=b"<p>internal secret</p>")}) as internal:
        port = internal.base_url.rsplit(":", 1)[1]
        script = (
            "<div id='root'>page</div><script>"
            "fetch('/hop').then(r => r.text()).then(t => document.body.append(t));"
            f"try {{ new WebSocket('ws://127.0.0.1:{port}/'); }} catch (e) {{}}</script>"
        ).encode()
        hop = Route(status=302, headers={"Location": f"{internal.base_url}/secret"})
        with FaultWeb({"/": Route(body=script), "/hop": hop, "/go": hop}) as public:

            async def guard(url: str) -> str | None:
                # Stands in for the SSRF check: the "public" server is the only public address.
                return None if url.startswith(public.base_url) else "a private address"

            pool = BrowserPool(chromium, request_guard=guard)
            page = await pool.render(f"{public.base_url}/")
            with pytest.raises(RenderError):
                await pool.render(f"{public.base_url}/go")  # a navigation that redirects inside
            await pool.aclose()
        internal_hits = list(internal.hits)
    assert "internal secret" not in page.html
    assert internal_hits == [], "no request, redirect or WebSocket reached the internal server"
    assert f"{internal.base_url}/secret: a private address" in pool.blocked_requests
