"""Research over the fictional sites: the facts a message will rely on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import NOW
from tools.facts import FactKind
from tools.page_fetch import FetchLimits, PageFetcher
from tools.research_tools import build_research_tools

LOOPBACK = FetchLimits(allow_private_networks=True)  # the fixture web is on 127.0.0.1


@pytest.fixture
async def tools(demo_resolve: dict[str, str]):  # type: ignore[no-untyped-def]
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    yield {tool.name: tool for tool in build_research_tools(fetcher, clock=lambda: NOW)}
    await fetcher.aclose()


async def test_company_research_finds_offer_size_tech_hiring_and_dated_news(tools) -> None:  # type: ignore[no-untyped-def]
    result = await tools["research_company"].ainvoke(
        {"url": "http://northwind-robotics.example/", "company_name": "Northwind Robotics"}
    )
    facts = result["facts"]
    assert result["errors"] == []
    texts = [f["text"] for f in facts]
    assert any("fleet management software" in t for t in texts)
    assert "Northwind Robotics has about 180 employees." in texts
    tech = next(f for f in facts if f["kind"] == FactKind.TECHNOLOGY)
    assert {"Kubernetes", "GitHub Actions", "Rust", "Python"} <= set(
        tech["attributes"]["technologies"]
    )
    hiring = next(f for f in facts if f["kind"] == FactKind.HIRING)
    assert (
        hiring["text"]
        == "Northwind Robotics lists 14 open roles (9 Engineering, 3 Platform, 2 Sales)."
    )
    assert hiring["source_url"] == "http://northwind-robotics.example/careers"
    news = {f["title"]: f for f in facts if f["kind"] == FactKind.NEWS}
    funding = news["Northwind Robotics raises $40M Series B to expand fleet software"]
    assert funding["published"] == "2026-10-28"
    assert funding["source_url"].startswith("http://northwind-robotics.example/news/")
    assert all(f["id"].startswith("f_") and f["tool"] == "research_company" for f in facts)


async def test_profile_research_reads_headline_bio_posts_and_talks(tools) -> None:  # type: ignore[no-untyped-def]
    result = await tools["research_profile"].ainvoke(
        {"url": "http://northwind-robotics.example/team/maya-okafor", "person_name": "Maya Okafor"}
    )
    facts = result["facts"]
    assert facts[0]["text"] == "Maya Okafor: VP Engineering at Northwind Robotics"
    posts = {f["title"]: f for f in facts if f["kind"] == FactKind.POST}
    assert set(posts) == {
        "What we learned moving 40 services into one monorepo",
        "Keeping CI under ten minutes at 200 engineers",
    }
    interests = [f for f in facts if "interests" in f["attributes"]]
    assert [f["text"] for f in interests] == [
        "Maya Okafor's interests: Outside work she coaches a youth rowing club and writes "
        "about engineering management."
    ]
    talk = posts["Keeping CI under ten minutes at 200 engineers"]
    assert talk["attributes"]["format"] == "talk"
    assert talk["published"] == date(2026, 10, 12).isoformat()


async def test_a_profile_page_without_posts_yields_no_fake_posts(tools) -> None:  # type: ignore[no-untyped-def]
    result = await tools["research_profile"].ainvoke(
        {
            "url": "http://copperleaf-health.example/team/priya-natarajan",
            "person_name": "Priya Natarajan",
        }
    )
    assert [f for f in result["facts"] if f["kind"] == FactKind.POST] == []
    assert any("CTO at Copperleaf Health" in f["text"] for f in result["facts"])


async def test_fact_ids_are_stable_across_runs(demo_resolve: dict[str, str]) -> None:
    args = {"url": "http://lumenledger.example/", "company_name": "Lumen Ledger"}
    ids = []
    for day in (NOW, NOW + timedelta(days=3)):  # a later run must not mint new ids
        fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
        tool = {t.name: t for t in build_research_tools(fetcher, clock=lambda d=day: d)}
        result = await tool["research_company"].ainvoke(args)
        ids.append([f["id"] for f in result["facts"]])
        await fetcher.aclose()
    assert ids[0] == ids[1] and len(ids[0]) > 5


async def test_broken_site_yields_an_error_not_an_exception(tools) -> None:  # type: ignore[no-untyped-def]
    result = await tools["research_company"].ainvoke(
        {"url": "http://brokenlink-labs.example/", "company_name": "Brokenlink Labs"}
    )
    assert result["facts"] == []
    assert result["errors"][0]["message"] == "the server answered HTTP 404"


def test_tools_describe_themselves_for_a_model(tools) -> None:  # type: ignore[no-untyped-def]
    schema = tools["research_company"].args
    assert set(schema) == {"url", "company_name"}
    assert "fact" in tools["research_profile"].description


def test_tools_carry_resolved_types(tools) -> None:  # type: ignore[no-untyped-def]
    """LangChain reads a tool function's type hints at every call: written as strings (this
    codebase's `from __future__ import annotations`) they are evaluated each time."""
    for tool in tools.values():
        hints = tool.coroutine.__annotations__
        assert hints and not any(isinstance(hint, str) for hint in hints.values()), tool.name


GITHUB_STYLE = b"""<!doctype html><html><head><title>adalin</title></head><body>
<div class="h-card vcard">
  <span class="p-name vcard-fullname" itemprop="name">Ada Lin</span>
  <span class="p-nickname">adalin</span>
  <div class="p-note user-profile-bio"><div>Staff engineer at Acme Cloud. Build systems, Bazel, and fast CI.</div></div>
  <span class="p-job-title">Staff Engineer at Acme Cloud</span>
</div>
<article class="post"><h3>Remote caching with Bazel</h3><time datetime="2026-11-01">Nov 1</time><p>Notes.</p></article>
</body></html>"""
ORG_JSON_LD = b"""<!doctype html><html><head>
<meta name="description" content="Acme Cloud runs build farms.">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization",
"name":"Acme Cloud","numberOfEmployees":{"@type":"QuantitativeValue","value":340}}</script>
</head><body><p>Acme Cloud runs build farms for large engineering teams.</p></body></html>"""


async def test_github_style_profile_with_microformats() -> None:
    from tests.fakes.fault_web import FaultWeb, Route
    from tools.profile_research import research_profile_page

    with FaultWeb({"/adalin": Route(body=GITHUB_STYLE)}) as web:
        fetcher = PageFetcher(limits=LOOPBACK)
        result = await research_profile_page(fetcher, f"{web.base_url}/adalin", "Ada Lin", NOW)
        await fetcher.aclose()
    texts = [f.text for f in result.facts]
    assert "Ada Lin: Staff Engineer at Acme Cloud" in texts
    assert any("Build systems, Bazel, and fast CI." in t for t in texts)
    post = next(f for f in result.facts if f.kind == FactKind.POST)
    assert post.attributes["age_days"] == 21


async def test_schema_org_employee_count_is_the_size_signal() -> None:
    from tests.fakes.fault_web import FaultWeb, Route
    from tools.company_research import research_company_site

    with FaultWeb({"/": Route(body=ORG_JSON_LD)}) as web:
        fetcher = PageFetcher(limits=LOOPBACK)
        result = await research_company_site(fetcher, f"{web.base_url}/", "Acme Cloud", NOW)
        await fetcher.aclose()
    assert "Acme Cloud has about 340 employees." in [f.text for f in result.facts]


async def test_company_news_items_record_their_age_and_trigger(tools) -> None:  # type: ignore[no-untyped-def]
    result = await tools["research_company"].ainvoke(
        {"url": "http://northwind-robotics.example/", "company_name": "Northwind Robotics"}
    )
    news = {f["title"]: f for f in result["facts"] if f["kind"] == FactKind.NEWS}
    funding = news["Northwind Robotics raises $40M Series B to expand fleet software"]
    assert funding["attributes"] == {"age_days": 25, "trigger": "funding", "language": "en"}
