"""The offline analyst and hook builder: fit abroad, stale items, company descriptions."""

from __future__ import annotations

from datetime import date

from agent.offline.analyst import analyze_offline
from agent.offline.hooks import phrases_for, rank_hooks
from agent.offline.title_terms import english_title
from graphs.lead import Campaign, Lead
from graphs.task_inputs import AnalyzeInput, FactBrief
from tests.factories import fact
from tools.facts import FactKind

TODAY = date(2026, 11, 20)


def payload(lead: Lead, campaign: Campaign, *facts: FactBrief) -> AnalyzeInput:
    return AnalyzeInput(today=TODAY, lead=lead, campaign=campaign, facts=list(facts))


def brief(text: str, **kw: object) -> FactBrief:
    return FactBrief.of(fact(text, **kw))  # type: ignore[arg-type]


def test_non_english_titles_read_as_their_english_equivalents() -> None:
    assert english_title("Leiter Plattform-Engineering") == "Head of Platform-Engineering"
    assert english_title("RSSI") == "CISO"
    assert english_title("Directora de Tecnología") == "CTO"
    assert english_title("VP Engineering") == "VP Engineering"


def test_a_target_title_in_german_counts_as_in_the_audience(campaign: Campaign) -> None:
    german = Lead(name="Lukas Brenner", company="Kranwerk", title="Leiter Plattform-Engineering")
    english = german.model_copy(update={"title": "Head of Platform"})
    german_analysis = analyze_offline(payload(german, campaign))
    english_analysis = analyze_offline(payload(english, campaign))
    assert german_analysis.relevance_score == english_analysis.relevance_score
    reasons = german_analysis.relevance_reasons
    assert any("is in the target audience" in r for r in reasons), reasons


def test_stale_news_is_no_evidence_of_fit(campaign: Campaign) -> None:
    lead = Lead(name="Ada Park", company="Quillon", title="CTO")
    keyword = campaign.target.keywords[0]
    old = brief(
        f"Quillon published “Quillon on {keyword}” on 2024-01-10.",
        title=f"Quillon on {keyword}",
        published=date(2024, 1, 10),
    )
    fresh = old.model_copy(update={"published": date(2026, 11, 1)})
    stale_analysis = analyze_offline(payload(lead, campaign, old))
    fresh_analysis = analyze_offline(payload(lead, campaign, fresh))
    assert stale_analysis.relevance_score < fresh_analysis.relevance_score
    assert not any(keyword.lower() in r for r in stale_analysis.relevance_reasons)


def test_a_company_description_becomes_a_hook_when_it_reads_as_english() -> None:
    description = brief(
        "Plinthware: scheduling software for field-service teams.",
        kind=FactKind.COMPANY,
        url="http://plinthware.example/",
    )
    phrases = phrases_for(description, "Plinthware")
    assert phrases is not None
    assert (
        phrases.professional
        == "I see Plinthware makes scheduling software for field-service teams."
    )
    assert phrases.hook.fact_ids == [description.id]
    german = brief(
        "Kranwerk: Software für Containerterminals und Hafenlogistik mit Sitz in Hamburg.",
        kind=FactKind.COMPANY,
    )
    assert phrases_for(german, "Kranwerk") is None, "quoted in German inside an English email"


def test_an_old_post_is_dated_with_its_year_and_old_news_is_never_a_hook(
    campaign: Campaign,
) -> None:
    lead = Lead(name="Nikolai Petrov", company="Ridgeway Mobile", title="CTO")
    post = brief(
        "Nikolai Petrov wrote “Notes on our CI migration” on 2024-02-20.",
        kind=FactKind.POST,
        title="Notes on our CI migration",
        published=date(2024, 2, 20),
    )
    news = brief(
        "Ridgeway Mobile published “Ridgeway launches an SDK” on 2023-09-12.",
        title="Ridgeway launches an SDK",
        published=date(2023, 9, 12),
    )
    hooks = rank_hooks(payload(lead, campaign, post, news))
    assert [h.fact_ids for h in hooks] == [[post.id]]
    assert hooks[0].text == "your post “Notes on our CI migration” (February 2024)"
    phrases = phrases_for(post, "Ridgeway Mobile", TODAY)
    assert phrases is not None and "from February 2024." in phrases.professional


def test_the_researched_profile_is_cited_before_the_lead_files_own_line(
    campaign: Campaign,
) -> None:
    lead = Lead(name="Elena Marchetti", company="Vantapoint", title="Director of Engineering")
    from_file = brief(
        "Elena Marchetti is Director of Engineering at Vantapoint.",
        kind=FactKind.PROFILE,
        url="lead-file",
    )
    researched = brief(
        "Elena Marchetti: Director of Engineering at Vantapoint",
        kind=FactKind.PROFILE,
        url="https://vantapoint.example/team/elena",
    )
    hooks = rank_hooks(payload(lead, campaign, from_file, researched))
    assert [h.fact_ids for h in hooks] == [[researched.id]]


def test_a_description_in_the_messages_language_becomes_a_hook_said_in_it(
    campaign: Campaign,
) -> None:
    """A German lead's company site describes it in German: for a German message that is a
    hook, labelled as the message will say it; for an English one it is not."""
    german = brief(
        "Kranwerk: Software für Containerterminals und Hafenlogistik.", kind=FactKind.COMPANY
    )
    lead = Lead(name="Lukas Brenner", company="Kranwerk", title="CTO", email="l@k.example")
    english = rank_hooks(AnalyzeInput(today=TODAY, lead=lead, campaign=campaign, facts=[german]))
    assert english == []
    payload = AnalyzeInput(today=TODAY, language="de", lead=lead, campaign=campaign, facts=[german])
    (hook,) = rank_hooks(payload)
    assert hook.fact_ids == [german.id]
    assert "Software für Containerterminals" in hook.text and "makes" not in hook.text
