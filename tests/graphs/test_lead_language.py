"""Which language a lead is written to in, and the reason a reviewer sees: the campaign's
setting, then the lead's row, then the lead's profile page, then their company site, else
English; a page in a language we do not write in means English, and the reason says so."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from graphs.lead import Campaign, CampaignCopy, Lead
from graphs.lead_language import facts_language, infer_language, writable_language
from tests.conftest import NOW
from tools.company_research import TOOL_NAME as COMPANY_TOOL
from tools.facts import Fact, FactKind, make_fact
from tools.page_fetch import FetchLimits, PageFetcher
from tools.profile_research import TOOL_NAME as PROFILE_TOOL
from tools.research_tools import build_research_tools

GERMAN_TEXT = "Jonas leitet seit 2024 die Softwareentwicklung bei Bergwerk Logistik in Leipzig."
SPANISH_TEXT = "Lucía dirige el equipo de datos de Solana Analítica desde 2025 en Valencia."
CAMPAIGN = Campaign(value_proposition="Faster CI for platform teams.")
LEAD = Lead(name="Jonas Weber", company="Bergwerk Logistik")


def fact(
    tool: str, text: str, language: str | None = None, kind: FactKind = FactKind.PROFILE
) -> Fact:
    return make_fact(
        kind=kind,
        text=text,
        source_url=f"http://example.test/{tool}",
        tool=tool,
        retrieved_at=NOW,
        attributes={"language": language} if language else {},
    )


def test_the_campaign_setting_wins_over_everything() -> None:
    campaign = CAMPAIGN.model_copy(update={"language": "de"})
    lead = LEAD.model_copy(update={"language": "fr"})
    facts = [fact(PROFILE_TOOL, SPANISH_TEXT, "es")]
    assert infer_language(lead, facts, campaign) == ("de", "campaign setting")


def test_the_lead_row_wins_over_the_pages() -> None:
    lead = LEAD.model_copy(update={"language": "fr"})
    facts = [fact(PROFILE_TOOL, GERMAN_TEXT, "de"), fact(COMPANY_TOOL, GERMAN_TEXT, "de")]
    assert infer_language(lead, facts, CAMPAIGN) == ("fr", "lead row")


def test_the_profile_page_wins_over_the_company_site() -> None:
    facts = [
        fact(COMPANY_TOOL, "Bergwerk builds warehouse software.", "en", FactKind.COMPANY),
        fact(PROFILE_TOOL, GERMAN_TEXT, "de"),
    ]
    assert infer_language(LEAD, facts, CAMPAIGN) == ("de", "profile page (de)")


def test_the_company_site_speaks_when_there_is_no_profile_page() -> None:
    facts = [
        fact(COMPANY_TOOL, SPANISH_TEXT, "es", FactKind.COMPANY),
        fact("research_company_news", GERMAN_TEXT, "de", FactKind.NEWS),
    ]
    assert infer_language(LEAD, facts, CAMPAIGN) == ("es", "company site (es)")


def test_nothing_known_is_english_by_default() -> None:
    assert infer_language(LEAD, [], CAMPAIGN) == ("en", "default")
    news_only = [fact("research_company_news", GERMAN_TEXT, "de", FactKind.NEWS)]
    assert infer_language(LEAD, news_only, CAMPAIGN) == ("en", "default")


def test_a_page_in_another_language_means_english_and_the_reason_says_so() -> None:
    facts = [
        fact(PROFILE_TOOL, "Giulia guida il team dati di Officine Brera dal 2025.", "it"),
        fact(COMPANY_TOOL, SPANISH_TEXT, "es", FactKind.COMPANY),
    ]
    language, reason = infer_language(LEAD, facts, CAMPAIGN)
    assert language == "en"
    assert reason == (
        "default: the profile page is in it, not a language messages are written in "
        "(en, es, fr, de)"
    )


def test_facts_researched_before_languages_were_recorded_are_read_from_their_text() -> None:
    facts = [fact(PROFILE_TOOL, GERMAN_TEXT), fact(PROFILE_TOOL, "Jonas Weber: Leiter Technik")]
    assert infer_language(LEAD, facts, CAMPAIGN) == ("de", "profile page (de)")
    too_short = [fact(PROFILE_TOOL, "Jonas Weber: Leiter Technik")]
    assert infer_language(LEAD, too_short, CAMPAIGN) == ("en", "default")


def test_the_language_most_of_a_sources_pages_are_in_is_its_language() -> None:
    facts = [
        fact(COMPANY_TOOL, "a", "de", FactKind.COMPANY),
        fact(COMPANY_TOOL, "b", "en", FactKind.HIRING),
        fact(COMPANY_TOOL, "c", "de", FactKind.NEWS),
    ]
    assert facts_language(facts) == "de"
    assert facts_language([facts[1], facts[0]]) == "en", "a tie goes to the page read first"


@pytest.fixture
async def research(demo_resolve: dict[str, str]) -> AsyncIterator[dict[str, object]]:
    fetcher = PageFetcher(limits=FetchLimits(allow_private_networks=True), resolve=demo_resolve)
    yield {tool.name: tool for tool in build_research_tools(fetcher, clock=lambda: NOW)}
    await fetcher.aclose()


async def _researched(research: dict[str, object], lead: Lead) -> list[Fact]:
    facts: list[Fact] = []
    calls = [
        ("research_profile", {"url": lead.profile_url, "person_name": lead.name}),
        ("research_company", {"url": lead.company_url, "company_name": lead.company}),
    ]
    for name, args in calls:
        if args["url"]:
            result = await research[name].ainvoke(args)  # type: ignore[attr-defined]
            facts += [Fact.model_validate(f) for f in result["facts"]]
    return facts


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (
            Lead(
                name="Jonas Weber",
                company="Bergwerk Logistik",
                profile_url="http://bergwerk-logistik.example/team/jonas-weber",
                company_url="http://bergwerk-logistik.example/",
            ),
            ("de", "profile page (de)"),
        ),
        (
            Lead(
                name="Lucía Herrera",
                company="Solana Analítica",
                company_url="http://solana-analitica.example/",
            ),
            ("es", "company site (es)"),
        ),
        (
            Lead(
                name="Maya Okafor",
                company="Northwind Robotics",
                profile_url="http://northwind-robotics.example/team/maya-okafor",
                company_url="http://northwind-robotics.example/",
            ),
            ("en", "profile page (en)"),
        ),
    ],
    ids=["german-profile", "spanish-company-site", "english"],
)
async def test_leads_researched_on_the_fixture_web_are_written_to_in_their_pages_language(
    research: dict[str, object], lead: Lead, expected: tuple[str, str]
) -> None:
    facts = await _researched(research, lead)
    assert facts
    assert infer_language(lead, facts, CAMPAIGN) == expected


def test_the_offline_writer_writes_english_when_it_cannot_write_the_leads_language() -> None:
    plain = Campaign(value_proposition="We find slow builds.")
    german = plain.model_copy(
        update={"translations": {"de": CampaignCopy(value_proposition="Wir finden Builds.")}}
    )
    wanted = ("de", "lead row")
    # A model writes it, translating the pitch if it must.
    assert writable_language(wanted, plain, None) == wanted
    # The offline writer needs a phrasebook for it...
    language, reason = writable_language(wanted, german, frozenset({"en"}))
    assert language == "en" and "lead row" in reason and "no de phrasebook" in reason
    # ...and the campaign's own words in it: it cannot translate a pitch.
    language, reason = writable_language(wanted, plain, frozenset({"en", "de"}))
    assert language == "en" and "no de pitch" in reason
    assert writable_language(wanted, german, frozenset({"en", "de"})) == wanted
