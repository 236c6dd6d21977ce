"""Rendering JavaScript pages: one shared Chromium, isolated renders, readable failures."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.fakes import js_site
from tests.fakes.js_site import APP_SHELL, JsSite
from tests.tools.rendezvous_web import RendezvousWeb
from tools import browser_render
from tools.browser_render import (
    DEFAULT_USER_AGENT,
    BrowserPool,
    BrowserUnavailable,
    RenderError,
    find_chromium,
    looks_like_app_shell,
)

# Read before conftest's autouse fixture clears OUTREACH_* variables, so a developer whose
# Chromium lives elsewhere still runs these tests against it.

STATIC_PAGE = (
    "<html><head><title>About</title></head><body><h1>About Northwind</h1><p>"
    + " ".join(["Northwind builds autonomous forklifts for warehouses."] * 10)
    + "</p><script src='/analytics.js'></script></body></html>"
)

# A root showing a placeholder until an inline script (no src) replaces it.
INLINE_SHELL = (
    "<html><head><title>Mara Quint</title></head><body><div id='app'>{}</div>"
    "<script>document.getElementById('app').textContent = 'Mara Quint';</script></body></html>"
)
# Fills its root at once, then asks the silent /hang route for data that never comes.
NEVER_IDLE_PAGE = b"""<!doctype html><html><body><div id="app"></div><script>
document.getElementById("app").textContent = "Never idle, rendered anyway";
fetch("/hang");
setInterval(() => fetch("/api/ping"), 100);
</script></body></html>
"""
# Server-rendered navigation and footer are the same on every page, not the page's content.
SHELL_WITH_CHROME = (
    "<html><body><nav>"
    + " ".join(f"<a href='/{n}'>Section number {n}</a>" for n in range(20))
    + "</nav><div id='root'>Loading…</div><footer>"
    + "Copyright Northwind Robotics, all rights reserved. " * 4
    + "</footer><script src='/app.js'></script></body></html>"
)
# JSON-LD is data for search engines, not code that builds the page.
DATA_ONLY_PAGE = (
    "<html><body><p>Two open roles.</p><script type='application/ld+json'>"
    '{"@type": "JobPosting", "title": "Engineer"}</script></body></html>'
)

SHELL_CASE_IDS = (
    "app-shell", "empty-next-root", "empty-app-root", "static", "empty-static", "short",
    "loading-ellipsis", "loading-dots", "es", "fr", "de", "pt", "enable-js", "spinner",
    "progressbar", "placeholder-without-script", "short-with-script", "static-inline-script",
    "shell-with-nav", "data-only-script",
)  # fmt: skip


@pytest.fixture
def site() -> Iterator[JsSite]:
    """Serve the JavaScript app on loopback."""
    with JsSite() as server:
        yield server


@pytest.fixture
async def pool(chromium: str) -> AsyncIterator[BrowserPool]:
    """Give a pool with default limits, closed after the test."""
    async with BrowserPool(chromium) as shared:
        yield shared


def closed_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- no browser needed ---


def test_find_chromium_honours_the_env_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chosen = tmp_path / "my-chrome"
    monkeypatch.setenv("OUTREACH_CHROMIUM_PATH", str(chosen))
    assert find_chromium() == str(chosen)


def test_find_chromium_takes_the_first_installed_candidate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    installed = tmp_path / "chromium-browser"
    installed.write_text("#!/bin/sh\n")
    monkeypatch.setattr(
        browser_render, "CHROMIUM_CANDIDATES", (str(tmp_path / "chromium"), str(installed))
    )
    assert find_chromium() == str(installed)
    monkeypatch.setattr(browser_render, "CHROMIUM_CANDIDATES", ())
    assert find_chromium() is None


async def test_missing_executable_says_what_to_install(tmp_path: Path) -> None:
    pool = BrowserPool(str(tmp_path / "no-such-chromium"))
    with pytest.raises(BrowserUnavailable) as caught:
        await pool.render("http://127.0.0.1:9/")
    message = str(caught.value)
    assert "apt-get install chromium" in message
    assert "OUTREACH_CHROMIUM_PATH" in message
    assert str(tmp_path / "no-such-chromium") in message
    assert pool.launches == 0


async def test_no_chromium_anywhere_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser_render, "CHROMIUM_CANDIDATES", ())
    with pytest.raises(BrowserUnavailable, match="apt-get install chromium"):
        await BrowserPool().render("http://127.0.0.1:9/")


def test_bad_host_resolver_rule_is_refused_early() -> None:
    with pytest.raises(ValueError, match="bad host resolver rule"):
        BrowserPool(host_resolver_rules={"a.example": "127.0.0.1:1, MAP * 10.0.0.1"})


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (APP_SHELL.decode(), True),
        ('<html><body><div id="__next"></div></body></html>', True),
        ('<html><body><div id="app"></div><script>boot()</script></body></html>', True),
        (STATIC_PAGE, False),
        ("<html><head><title>Nothing</title></head><body></body></html>", False),
        ("<html><body><p>Short static page.</p></body></html>", False),
        (INLINE_SHELL.format("Loading…"), True),
        (INLINE_SHELL.format("Loading..."), True),
        (INLINE_SHELL.format("Cargando…"), True),
        (INLINE_SHELL.format("Chargement…"), True),
        (INLINE_SHELL.format("Wird geladen …"), True),
        (INLINE_SHELL.format("Carregando..."), True),
        (INLINE_SHELL.format("You need to enable JavaScript to run this app."), True),
        (INLINE_SHELL.format("<span class='spinner' aria-label='Loading'></span>"), True),
        (INLINE_SHELL.format("<div role='progressbar'>42%</div><p>Please wait</p>"), True),
        # Little text is not enough without a script: there is nothing for a browser to run.
        ("<html><body><div id='app'>Loading…</div></body></html>", False),
        ("<html><body><p>Short static page.</p><script>track()</script></body></html>", True),
        (STATIC_PAGE.replace("<script src='/analytics.js'>", "<script>gtag('js')"), False),
        (SHELL_WITH_CHROME, True),
        (DATA_ONLY_PAGE, False),
    ],
    ids=SHELL_CASE_IDS,
)
def test_looks_like_app_shell(html: str, expected: bool) -> None:
    assert looks_like_app_shell(html) is expected


# --- with Chromium ---


async def test_render_runs_the_scripts(pool: BrowserPool, site: JsSite) -> None:
    page = await pool.render(f"{site.base_url}/")

    assert page.status == 200
    assert page.url == page.final_url == f"{site.base_url}/"
    assert "<h1>Northwind Robotics Engineering Blog</h1>" in page.html
    # The article comes from a delayed API call: present only because the render waited.
    assert '<article class="post"><h3>Scheduling 120 forklifts' in page.html
    assert '<time datetime="2026-11-05">5 November 2026</time>' in page.html
    assert looks_like_app_shell(APP_SHELL.decode())
    assert not looks_like_app_shell(page.html)
    assert pool.pages_rendered == 1
    assert {agent for _, _, agent in site.requests} == {DEFAULT_USER_AGENT}


async def test_concurrent_renders_share_one_browser(chromium: str) -> None:
    # The page is answered only once both renders are loading it, so they overlap however
    # slowly the machine starts them; a pool that rendered one at a time would strand one.
    with RendezvousWeb(parties=2, timeout_s=10.0) as web:  # within the 15 s render budget
        async with BrowserPool(chromium, max_pages=2) as pool:
            pages = await asyncio.gather(pool.render(web.url), pool.render(web.url))
            assert pool.launches == 1
            assert pool.pages_rendered == 2
    assert web.stranded == 0, "the two renders were never loading the page at the same time"
    assert all("Answered together." in page.html for page in pages)
    assert web.peak_in_flight == 2


async def test_max_pages_limits_concurrent_renders(chromium: str, site: JsSite) -> None:
    async with BrowserPool(chromium, max_pages=1) as pool:
        await asyncio.gather(*(pool.render(f"{site.base_url}/slow") for _ in range(2)))
        assert pool.launches == 1
    assert site.peak_in_flight("/slow") == 1


async def test_each_render_gets_a_fresh_context(pool: BrowserPool, site: JsSite) -> None:
    await pool.render(f"{site.base_url}/cookie-set")
    page = await pool.render(f"{site.base_url}/cookie-show")
    assert "cookies=[]" in page.html


async def test_host_resolver_rules_serve_a_fictional_host(chromium: str, site: JsSite) -> None:
    # "MAP host ip:port" sends the host on any port (here the default 80) to ip:port.
    rules = {"northwind.example": site.address}
    async with BrowserPool(chromium, host_resolver_rules=rules) as pool:
        page = await pool.render("http://northwind.example/")
    assert page.final_url == "http://northwind.example/"
    assert '<article class="post">' in page.html
    # The Host header keeps the public name, so a virtual-host server can route on it.
    hosts = {path: host for path, host, _ in site.requests}
    assert hosts["/"] == hosts["/api/posts.json"] == "northwind.example"


async def test_closed_port_raises_a_readable_render_error(pool: BrowserPool) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    with pytest.raises(RenderError) as caught:
        await pool.render(url)
    assert caught.value.url == url
    assert caught.value.reason == "connection refused (net::ERR_CONNECTION_REFUSED)"
    assert "Call log" not in str(caught.value)
    assert pool.pages_rendered == 0


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/brochure.pdf", "not an HTML page (content type application/pdf)"),
        ("/download", "the URL starts a download, not a page"),
    ],
)
async def test_documents_and_downloads_are_refused(
    pool: BrowserPool, site: JsSite, path: str, reason: str
) -> None:
    with pytest.raises(RenderError) as caught:
        await pool.render(f"{site.base_url}{path}")
    assert caught.value.reason == reason


async def test_a_silent_server_times_out(chromium: str, site: JsSite) -> None:
    async with BrowserPool(chromium, timeout_s=1) as pool:
        with pytest.raises(RenderError) as caught:
            await pool.render(f"{site.base_url}/hang")
    assert caught.value.reason == "no answer within 1 s"


async def test_a_page_that_never_goes_idle_is_taken_as_loaded(
    chromium: str, site: JsSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A request that is never answered keeps the network busy however slow the machine
    # (polling alone goes idle if the browser stalls for half a second between polls).
    never_idle = replace(js_site.ROUTES["/poll"], body=NEVER_IDLE_PAGE)
    monkeypatch.setitem(js_site.ROUTES, "/never-idle", never_idle)
    budget_s = 3.0  # room for the navigation itself on a slow machine
    async with BrowserPool(chromium, timeout_s=budget_s) as pool:
        await pool.render(f"{site.base_url}/cookie-show")  # launch outside the measured part
        started = time.monotonic()
        page = await pool.render(f"{site.base_url}/never-idle")
        elapsed = time.monotonic() - started
    # Giving up on idle is not a failure: the page as it was at "load" is returned, after
    # one navigation only.
    assert "Never idle, rendered anyway" in page.html
    assert [path for path, _, _ in site.requests].count("/never-idle") == 1
    # It waited for idle until its budget ran out. Only a lower bound: a slow machine makes
    # the render longer, never shorter (the small margin absorbs timer granularity).
    assert elapsed >= budget_s - 0.1


async def test_closing_and_rendering_again_relaunches(pool: BrowserPool, site: JsSite) -> None:
    await pool.render(f"{site.base_url}/cookie-show")
    await pool.aclose()
    await pool.aclose()  # closing twice is harmless
    await pool.render(f"{site.base_url}/cookie-show")
    assert pool.launches == 2
    assert pool.pages_rendered == 2
