"""The language of a researched page, on every fact read from it: what the page declares
(<html lang>), else what its text reads as; a template's lang="en" over a page written in
another language gives way to the text; short text decides nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from bs4 import BeautifulSoup

from tests.conftest import NOW
from tests.fakes.fault_web import FaultWeb, Route
from tools.company_research import research_company_site
from tools.html_extract import parse_html
from tools.page_fetch import FetchLimits, PageFetcher
from tools.page_language import (
    declared_language,
    detect_language,
    language_code,
    page_language,
    visible_text,
)
from tools.profile_research import research_profile_page

LOOPBACK = FetchLimits(allow_private_networks=True)

FRENCH = (
    "Maison Delorme conçoit des logiciels de planification pour les hôpitaux de province. "
    "Nos équipes aident les services d'urgence à prévoir l'affluence et à répartir le "
    "personnel soignant d'une semaine sur l'autre. Nous sommes quarante personnes à Lyon et "
    "nous travaillons avec une vingtaine d'établissements publics et privés en France."
)
ITALIAN = (
    "Officine Brera sviluppa software per la gestione dei magazzini delle aziende di medie "
    "dimensioni. I nostri clienti sono produttori e distributori in tutta Italia."
)


def page(body: str, lang: str | None = None, head: str = "") -> str:
    html_lang = f' lang="{lang}"' if lang is not None else ""
    return f"<!DOCTYPE html><html{html_lang}><head>{head}</head><body>{body}</body></html>"


@pytest.fixture
async def fetcher(demo_resolve: dict[str, str]) -> AsyncIterator[PageFetcher]:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=demo_resolve)
    yield fetcher
    await fetcher.aclose()


async def test_a_german_company_site_marks_every_fact_german(fetcher: PageFetcher) -> None:
    result = await research_company_site(
        fetcher, "http://bergwerk-logistik.example/", "Bergwerk Logistik", NOW
    )
    assert result.errors == []
    assert len(result.facts) >= 3
    assert {f.attributes.get("language") for f in result.facts} == {"de"}
    tech = next(f for f in result.facts if "technologies" in f.attributes)
    assert tech.attributes["technologies"] == ["Kubernetes", "Python", "TypeScript"]


async def test_a_profile_page_without_lang_is_read_from_its_text(fetcher: PageFetcher) -> None:
    result = await research_profile_page(
        fetcher, "http://solana-analitica.example/equipo/lucia-herrera", "Lucía Herrera", NOW
    )
    assert result.facts[0].text == "Lucía Herrera: Directora de Datos en Solana Analítica"
    assert [f.attributes.get("language") for f in result.facts] == ["es", "es"]


async def test_english_sites_are_marked_english_profile_posts_included(
    fetcher: PageFetcher,
) -> None:
    result = await research_profile_page(
        fetcher, "http://northwind-robotics.example/team/maya-okafor", "Maya Okafor", NOW
    )
    assert {f.kind for f in result.facts} >= {"profile", "post"}
    assert {f.attributes.get("language") for f in result.facts} == {"en"}


async def test_a_template_lang_en_over_french_text_is_read_as_french() -> None:
    body = f"<main><h1>Maison Delorme</h1><p>{FRENCH}</p></main>"
    with FaultWeb({"/": Route(body=page(body, lang="en").encode())}) as web:
        fetcher = PageFetcher(limits=LOOPBACK)
        result = await research_company_site(fetcher, f"{web.base_url}/", "Maison Delorme", NOW)
        await fetcher.aclose()
    assert result.facts and {f.attributes.get("language") for f in result.facts} == {"fr"}


async def test_a_page_in_a_language_we_do_not_write_records_it_as_it_is() -> None:
    body = f"<main><p>{ITALIAN}</p></main>"
    with FaultWeb({"/": Route(body=page(body).encode())}) as web:
        fetcher = PageFetcher(limits=LOOPBACK)
        result = await research_company_site(fetcher, f"{web.base_url}/", "Officine Brera", NOW)
        await fetcher.aclose()
    assert {f.attributes.get("language") for f in result.facts} == {"it"}


async def test_a_page_that_neither_declares_nor_says_enough_gets_no_language() -> None:
    body = '<p class="headline">CTO at Acme Cloud</p><h1 class="name">Ada Lin</h1>'
    with FaultWeb({"/ada": Route(body=page(body).encode())}) as web:
        fetcher = PageFetcher(limits=LOOPBACK)
        result = await research_profile_page(fetcher, f"{web.base_url}/ada", "Ada Lin", NOW)
        await fetcher.aclose()
    assert [f.text for f in result.facts] == ["Ada Lin: CTO at Acme Cloud"]
    assert "language" not in result.facts[0].attributes


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("fr_FR", "fr"),
        ("EN-us", "en"),
        (" es ", "es"),
        ("x-default", None),
        ("zxx", None),
        ("", None),
        (None, None),
        ("<script>", None),
    ],
)
def test_language_tags_give_their_two_letter_language(tag: str | None, code: str | None) -> None:
    assert language_code(tag) == code


def test_a_declaration_comes_from_html_lang_else_a_content_language_meta() -> None:
    assert declared_language(parse_html(page("<p>x</p>", lang="de-CH"))) == "de"
    meta = '<meta http-equiv="Content-Language" content="es-ES, en">'
    assert declared_language(parse_html(page("<p>x</p>", head=meta))) == "es"
    assert declared_language(parse_html(page("<p>x</p>", lang="x-default"))) is None


def test_script_and_style_text_are_not_read_as_the_page() -> None:
    script = "<script>var greeting = 'Wir bauen Software für Logistikunternehmen';</script>"
    soup = parse_html(page(f"{script}<p>{ITALIAN}</p>"))
    assert page_language(soup) == "it"


def test_short_or_uncertain_text_decides_nothing() -> None:
    assert detect_language("Jonas Weber, Bergwerk") is None
    assert detect_language("Hallo") is None
    assert detect_language("Kubernetes, Docker, Terraform, GitHub Actions, Rust, Python") is None
    assert detect_language(FRENCH) == "fr"
    assert detect_language(ITALIAN) == "it"


def test_visible_text_skips_scripts_and_head_and_reads_deep_nesting_in_one_pass() -> None:
    nested = "<div>" * 200 + "Tief verschachtelt" + "</div>" * 200
    soup = BeautifulSoup(
        f"<html><head><title>Titel</title><script>var x = 1;</script></head><body>{nested}"
        "<script>var y = 2;</script><style>p {}</style><p>Mehr Text</p></body></html>",
        "lxml",
    )
    assert visible_text(soup) == "Tief verschachtelt Mehr Text"
