"""Company news from feeds: discovered, dated, aged and classified as triggers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import NOW
from tests.fakes.fault_web import FaultWeb, Route
from tools.facts import FactKind
from tools.news_research import discover_feeds, research_company_news
from tools.news_triggers import classify_trigger
from tools.page_fetch import FetchLimits, PageFetcher

LOOPBACK = FetchLimits(allow_private_networks=True)  # the fixture web is on 127.0.0.1
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Tech Wire search: Lumen Ledger</title>
  <entry>
    <title>Lumen Ledger acquires Reconcily</title>
    <link href="https://techwire.example/lumen-acquires-reconcily"/>
    <updated>2026-11-18T10:00:00Z</updated>
    <summary type="html">&lt;p&gt;The &lt;b&gt;deal&lt;/b&gt; closed this week.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Lumen Ledger opens Berlin office</title>
    <link href="https://techwire.example/lumen-berlin"/>
    <updated>2025-01-10T10:00:00Z</updated>
  </entry>
</feed>"""


@pytest.fixture
def news_web() -> Iterator[FaultWeb]:
    routes = {
        "/search": Route(content_type="application/atom+xml", body=ATOM),
        "/notafeed": Route(body=b"<html><body>hi</body></html>"),
    }
    with FaultWeb(routes) as server:
        yield server


@pytest.mark.parametrize(
    ("headline", "trigger"),
    [
        ("Northwind Robotics raises $40M Series B", "funding"),
        ("Copperleaf Health names Priya Natarajan as CTO", "leadership_change"),
        ("Quiet Peak opens Montreal office", "expansion"),
        ("Launching Lumen Close: month-end close in a day", "product_launch"),
        ("Lumen Ledger partners with Tallybank", "partnership"),
        ("Lumen Ledger acquires Reconcily", "acquisition"),
        ("Our winter menu is here", None),
        ("Tallyfold lève 20 millions d'euros en série B", "funding"),
        ("Pagaluna cierra una ronda de financiación de 8 millones", "funding"),
        ("Kranwerk Logistik schließt Series-A-Finanzierung über 14 Millionen Euro ab", "funding"),
        ("Pagaluna amplía su equipo de ingeniería en Valencia", "hiring_surge"),
        ("Nordlicht eröffnet ein neues Büro in Wien", "expansion"),
        ("Soignelia nomme une nouvelle directrice technique", "leadership_change"),
        ("Soignelia obtient la certification HDS", None),
        ("Acme closes $20M Series A", "funding"),
        ("Kranich: Finanzierung geplatzt, Insolvenz beantragt", None),
        ("Orniva lève le voile sur un plan social", None),
        ("Tramalia presenta concurso de acreedores", None),
        ("Orniva ouvre une procédure de sauvegarde", None),
        ("Northwind lays off 10% of staff after funding round stalls", None),
    ],
)
def test_trigger_classification(headline: str, trigger: str | None) -> None:
    assert classify_trigger(headline) == trigger


def test_feed_discovery() -> None:
    html = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="alternate" type="application/atom+xml" href="https://x.example/atom">'
        '<link rel="stylesheet" href="/style.css"></head></html>'
    )
    assert discover_feeds(html, "http://acme.example/") == [
        "http://acme.example/feed.xml",
        "https://x.example/atom",
    ]


async def test_site_feed_is_discovered_and_items_dated_aged_and_classified(
    demo_resolve: dict[str, str],
) -> None:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    result = await research_company_news(
        fetcher, "http://northwind-robotics.example/", "Northwind Robotics", NOW
    )
    await fetcher.aclose()
    assert result.errors == []
    news = {f.title: f for f in result.facts}
    funding = news["Northwind Robotics raises $40M Series B to expand fleet software"]
    assert funding.kind is FactKind.NEWS
    assert funding.published is not None and funding.published.isoformat() == "2026-10-28"
    assert funding.attributes["trigger"] == "funding"
    assert funding.attributes["age_days"] == 25
    assert funding.attributes["source"] == "Northwind Robotics News"
    assert funding.source_url == "http://northwind-robotics.example/news/series-b"
    assert funding.tool == "research_company_news"


async def test_configured_news_search_feed(news_web: FaultWeb) -> None:
    fetcher = PageFetcher(limits=LOOPBACK)
    template = f"{news_web.base_url}/search?q={{company}}"
    result = await research_company_news(
        fetcher, None, "Lumen Ledger", NOW, search_feeds=(template,)
    )
    await fetcher.aclose()
    assert [path for path, _ in news_web.hits if path.startswith("/search")] == [
        "/search?q=Lumen+Ledger"
    ]
    acquisition, berlin = result.facts
    assert acquisition.attributes["trigger"] == "acquisition"
    assert acquisition.attributes["age_days"] == 4
    assert "The deal closed this week." in acquisition.text
    assert berlin.attributes["age_days"] > 600, "stale news is kept but marked old"


async def test_feed_failures_are_recorded(news_web: FaultWeb) -> None:
    fetcher = PageFetcher(limits=LOOPBACK)
    templates = (f"{news_web.base_url}/missing?q={{company}}", f"{news_web.base_url}/notafeed")
    result = await research_company_news(fetcher, None, "Acme", NOW, search_feeds=templates)
    await fetcher.aclose()
    assert result.facts == []
    assert [e.message for e in result.errors] == [
        "the server answered HTTP 404",
        "not a feed (content type text/html)",
    ]
