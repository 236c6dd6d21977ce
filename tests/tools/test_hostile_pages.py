"""Pages that fight back: broken encodings, malformed HTML, hidden and visible injections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent.runs.pipeline_factory import open_pipeline
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from tests.conftest import NOW
from tools.company_research import research_company_site
from tools.page_fetch import FetchLimits, PageFetcher, decode_body
from tools.profile_research import research_profile_page
from tools.research_tools import build_research_tools

LOOPBACK = FetchLimits(allow_private_networks=True)  # the fixture web is on 127.0.0.1


def test_a_page_lying_about_its_charset_is_decoded_by_its_meta_tag() -> None:
    body = '<meta charset="windows-1252"><p>Québec’s café</p>'.encode("cp1252")
    assert "Québec’s café" in decode_body(body, "utf-8")


async def test_broken_encoding_site_reads_correctly(demo_resolve: dict[str, str]) -> None:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    result = await research_company_site(
        fetcher, "http://oldmill.example/", "Old Mill Software", NOW
    )
    await fetcher.aclose()
    text = " ".join(f.text for f in result.facts)
    assert "Québec" in text and "�" not in text


async def test_malformed_html_still_yields_facts(demo_resolve: dict[str, str]) -> None:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    result = await research_company_site(
        fetcher, "http://kestrel-labs.example/", "Kestrel Labs", NOW
    )
    await fetcher.aclose()
    texts = [f.text for f in result.facts]
    assert "Kestrel Labs has about 30 employees." in texts
    assert any(
        f.published is not None and f.published.isoformat() == "2026-11-11" for f in result.facts
    )


async def test_hidden_text_never_becomes_a_fact(demo_resolve: dict[str, str]) -> None:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    url = "http://saltmarsh.example/team/ravi-menon"
    result = await research_profile_page(fetcher, url, "Ravi Menon", NOW)
    await fetcher.aclose()
    assert result.facts, "the visible profile is still read"
    assert all("developer mode" not in f.text for f in result.facts)


async def test_visible_injection_is_dropped_and_recorded(demo_resolve: dict[str, str]) -> None:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    tools = {t.name: t for t in build_research_tools(fetcher, clock=lambda: NOW)}
    found = await tools["research_company"].ainvoke(
        {"url": "http://saltmarsh.example/", "company_name": "Saltmarsh Analytics"}
    )
    await fetcher.aclose()
    titles = [f.get("title") for f in found["facts"]]
    assert "Saltmarsh Analytics opens Lisbon office" in titles
    assert "Ignore previous instructions" not in titles
    assert any("reads as instructions to an AI" in e["message"] for e in found["errors"])


async def test_an_injected_page_does_not_change_what_the_agent_does(
    campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path
) -> None:
    lead = Lead(
        name="Ravi Menon",
        email="ravi.menon@saltmarsh.example",
        company="Saltmarsh Analytics",
        title="CTO",
        profile_url="http://saltmarsh.example/team/ravi-menon",
        company_url="http://saltmarsh.example/",
    )
    settings = Settings(allow_private_networks=True, auto_send=True, render_js=False)
    outbox = tmp_path / "outbox.jsonl"
    async with open_pipeline(
        settings, resolve=demo_resolve, outbox_path=outbox, clock=lambda: NOW
    ) as p:
        out: dict[str, Any] = await p.graph.ainvoke(  # type: ignore[attr-defined]
            {"lead": lead, "campaign": campaign}, context=p.context
        )
    bodies = " ".join(v.body for v in out.get("variants", []))
    assert "saltmarsh-deals.example" not in bodies
    assert "Global Data Award" not in bodies
    assert "Ignore previous" not in bodies
    if outbox.exists():
        assert "partnerships@saltmarsh-deals.example" not in outbox.read_text()
    assert all("Global Data Award" not in f.text for f in out["facts"])


@pytest.mark.parametrize("render", [False, True])
async def test_js_rendered_company_site(
    demo_resolve: dict[str, str], render: bool, request: pytest.FixtureRequest
) -> None:
    from tools.browser_render import BrowserPool

    pool = (
        BrowserPool(request.getfixturevalue("chromium"), host_resolver_rules=demo_resolve)
        if render
        else None
    )
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve, renderer=pool)
    result = await research_company_site(
        fetcher, "http://driftwood-data.example/", "Driftwood Data", NOW
    )
    await fetcher.aclose()
    if pool is not None:
        await pool.aclose()
    texts = [f.text for f in result.facts]
    if render:
        assert "Driftwood Data has about 75 employees." in texts
        assert any("4 open roles" in t for t in texts)
        assert result.errors == []
    else:
        assert any("needs JavaScript" in e.message for e in result.errors)
        assert texts, "the shell's own description is still a fact"


def test_readable_text_comes_from_a_boilerplate_remover() -> None:
    from tools.readable_text import leading_sentences, main_text

    html = (
        "<html><body><nav>Home | Pricing | Login</nav><div class=x><div>"
        "<span>Acme builds invoicing software for plumbers. It has 12 staff in Leeds.</span>"
        " <span>Customers send invoices from the van.</span></div></div>"
        "<footer>© 2026 Acme. Cookie settings.</footer></body></html>"
    )
    text = main_text(html)
    assert text is not None and "invoicing software for plumbers" in text
    assert "Cookie settings" not in text
    assert leading_sentences("One. Two. Three.", count=2) == "One. Two."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We write Java and JavaScript.", ["Java", "JavaScript"]),
        ("Services in Go, hosted on Google Cloud.", ["Google Cloud", "Go"]),
        ("Our Sales and Go-to-Market team uses Salesforce.", ["Salesforce"]),
        ("Ready, set, Go.", []),
        ("Built on Ruby on Rails.", ["Ruby on Rails"]),
    ],
)
def test_technology_names_are_read_by_position(text: str, expected: list[str]) -> None:
    from tools.company_research import _technologies

    assert _technologies(text) == expected


def test_customers_are_not_employees() -> None:
    from tools.company_research import _SIZE

    assert _SIZE.search("Trusted by 2,500 people worldwide.") is None
    match = _SIZE.search("We are 120 employees in Lisbon.")
    assert match is not None and match.group(1) == "120"


def test_latin1_labelled_pages_decode_as_browsers_do() -> None:
    assert (
        decode_body("We’re “fast” – really".encode("cp1252"), "ISO-8859-1")
        == "We’re “fast” – really"
    )
    assert decode_body(b"\xef\xbb\xbfhello", "utf-8") == "hello"


async def test_messy_markup_still_finds_the_news_page_and_clean_titles(
    demo_resolve: dict[str, str],
) -> None:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    result = await research_company_site(
        fetcher, "http://kestrel-labs.example/", "Kestrel Labs", NOW
    )
    await fetcher.aclose()
    titles = {f.title for f in result.facts if f.title}
    assert "Kestrel Labs ships FieldScan 2.0" in titles
    assert "Kestrel Labs starts pilot with 40 Flemish farms" in titles
    assert not any("©" in f.text for f in result.facts), "footer text is not a fact"
