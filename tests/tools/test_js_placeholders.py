"""A page's "Loading…" or "enable JavaScript" text is never a fact, rendered or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.fakes.js_site import JsSite
from tools.browser_render import BrowserPool
from tools.company_research import research_company_site
from tools.facts import ResearchResult
from tools.page_fetch import FetchLimits, PageFetcher
from tools.profile_research import research_profile_page

LOOPBACK = FetchLimits(allow_private_networks=True)  # the fixture web is on 127.0.0.1
PLACEHOLDER_WORDS = ("loading", "please wait", "javascript")
RENDERING_OFF = "page needs JavaScript, and JavaScript rendering is off"


def placeholder_facts(result: ResearchResult) -> list[str]:
    """Return the facts that repeat a page's placeholder instead of saying something."""
    return [
        fact.text
        for fact in result.facts
        if any(word in fact.text.lower() for word in PLACEHOLDER_WORDS)
    ]


async def research(site: JsSite, path: str, renderer: BrowserPool | None) -> ResearchResult:
    """Research the fixture profile at path, rendering with renderer when given."""
    fetcher = PageFetcher(limits=LOOPBACK, renderer=renderer)
    try:
        return await research_profile_page(fetcher, f"{site.base_url}{path}", "Mara Quint", NOW)
    finally:
        await fetcher.aclose()
        if renderer is not None:
            await renderer.aclose()


async def test_a_loading_placeholder_with_an_inline_script_is_rendered(chromium: str) -> None:
    with JsSite() as site:
        pool = BrowserPool(chromium)
        result = await research(site, "/loading-profile", pool)
    texts = [fact.text for fact in result.facts]
    assert any(text.startswith("Mara Quint runs the fleet software group") for text in texts)
    assert "Mara Quint: VP Engineering, Northwind" in texts
    assert placeholder_facts(result) == []
    assert result.errors == []
    assert pool.pages_rendered == 1


async def test_without_rendering_a_loading_placeholder_is_not_a_fact() -> None:
    with JsSite() as site:
        result = await research(site, "/loading-profile", None)
    assert placeholder_facts(result) == []
    # The shell's own server-rendered headline is still worth keeping.
    assert [fact.text for fact in result.facts] == ["Mara Quint: VP Engineering, Northwind"]
    assert [error.message for error in result.errors] == [RENDERING_OFF]


async def test_without_chromium_the_error_says_what_to_install(tmp_path: Path) -> None:
    with JsSite() as site:
        result = await research(
            site, "/loading-profile", BrowserPool(str(tmp_path / "no-such-chromium"))
        )
    assert placeholder_facts(result) == []
    [error] = result.errors
    assert error.message.startswith("page needs JavaScript, but")
    assert "apt-get install chromium" in error.message


async def test_noscript_and_spinner_text_is_not_a_fact_without_rendering() -> None:
    with JsSite() as site:
        profile = await research(site, "/noscript-profile", None)
        fetcher = PageFetcher(limits=LOOPBACK)
        company = await research_company_site(
            fetcher, f"{site.base_url}/noscript-profile", "Northwind", NOW
        )
        await fetcher.aclose()
    assert placeholder_facts(profile) == []
    assert placeholder_facts(company) == []
    assert [error.message for error in profile.errors] == [RENDERING_OFF]


async def test_noscript_text_is_not_a_fact_after_rendering(chromium: str) -> None:
    with JsSite() as site:
        pool = BrowserPool(chromium)
        result = await research(site, "/noscript-profile", pool)
    texts = [fact.text for fact in result.facts]
    assert "Mara Quint runs the fleet software group at Northwind Robotics." in texts
    assert placeholder_facts(result) == []
    assert pool.pages_rendered == 1


@pytest.mark.parametrize("rendering", [True, False], ids=["rendering-on", "rendering-off"])
async def test_a_content_rich_page_with_analytics_is_read_as_html(
    chromium: str, rendering: bool
) -> None:
    with JsSite() as site:
        pool = BrowserPool(chromium) if rendering else None
        result = await research(site, "/analytics-profile", pool)
        paths = [path for path, _, _ in site.requests]
    assert any(f.text.startswith("Mara Quint runs the fleet software group") for f in result.facts)
    assert result.errors == [], "no warning about JavaScript on a page that does not need it"
    # A browser would have run the analytics snippet and sent its beacon.
    assert "/collect" not in paths
    assert pool is None or pool.pages_rendered == 0
