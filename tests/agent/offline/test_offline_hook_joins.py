"""A company description that already names the company is joined once, names keep their case.

Issue 16, item 8: "Copperleaf Health: Copperleaf Health makes appointment scheduling software
…" was joined to the frame "Copperleaf Health makes …" with its first letter lowered, and the
offline writer sent "Copperleaf Health makes copperleaf Health makes …" scored 1.0.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

import pytest

from agent.offline.analyst import analyze_offline
from agent.offline.hooks import lower_opening, phrases_for
from agent.offline.writer import OfflineWriter
from graphs.context import CriticSettings, Thresholds
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, GenerateInput
from tests.factories import fact
from tools.facts import Fact, FactKind

TODAY = date(2026, 11, 20)
DESCRIPTION = fact(
    "Copperleaf Health: Copperleaf Health makes appointment scheduling software for "
    "outpatient clinics.",
    kind=FactKind.COMPANY,
    url="http://copperleaf.example/",
)
"""What company research records when the site's meta description names the company."""
HIRING = fact(
    "Copperleaf Health lists 6 open roles (4 Engineering, 2 Sales).",
    kind=FactKind.HIRING,
    url="http://copperleaf.example/careers",
)
FACTS: list[Fact] = [DESCRIPTION, HIRING]
SENTENCE = "Copperleaf Health makes appointment scheduling software for outpatient clinics."


@pytest.fixture
def dana() -> Lead:
    return Lead(
        name="Dana Whitfield",
        email="dana.whitfield@copperleaf.example",
        company="Copperleaf Health",
        title="VP Engineering",
        company_url="http://copperleaf.example/",
    )


def company_fact(text: str) -> FactBrief:
    return FactBrief.of(fact(text, kind=FactKind.COMPANY, url="http://copperleaf.example/"))


def sentences(brief: FactBrief, company: str = "Copperleaf Health", **kw: object) -> list[str]:
    phrases = phrases_for(brief, company, TODAY, **kw)  # type: ignore[arg-type]
    assert phrases is not None
    return [phrases.hook.text, *(p for p in astuple(phrases)[2:] if isinstance(p, str))]


def test_a_description_that_names_the_company_is_not_prefixed_with_it_again() -> None:
    phrases = phrases_for(FactBrief.of(DESCRIPTION), "Copperleaf Health", TODAY)
    assert phrases is not None
    assert phrases.direct == SENTENCE
    assert phrases.professional == f"I see {SENTENCE}"
    assert phrases.hook.text == (
        "what Copperleaf Health makes (appointment scheduling software for outpatient clinics)"
    )
    for text in sentences(FactBrief.of(DESCRIPTION)):
        assert "copperleaf" not in text, text
        assert text.count("Copperleaf Health") <= 1, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Another verb: the description is said as it is, with the company's own spelling.
        (
            "Copperleaf Health: Copperleaf Health helps outpatient clinics fill their calendars.",
            "Copperleaf Health helps outpatient clinics fill their calendars.",
        ),
        (
            "Copperleaf Health: copperleaf health is appointment scheduling for clinics.",
            "Copperleaf Health is appointment scheduling for clinics.",
        ),
        (
            "Copperleaf Health: Copperleaf Health's scheduler books patients into clinics.",
            "Copperleaf Health's scheduler books patients into clinics.",
        ),
        # A sentence about the company opening with its name in lower case.
        (
            "copperleaf health publishes a trust page describing where patient data is hosted.",
            "Copperleaf Health publishes a trust page describing where patient data is hosted.",
        ),
    ],
)
def test_a_description_opening_with_the_company_reads_once_in_its_spelling(
    text: str, expected: str
) -> None:
    said = sentences(company_fact(text))
    assert said[3] == expected  # the direct sentence
    assert all("copperleaf" not in s and s.count("Copperleaf Health") == 1 for s in said[:4]), said


def test_a_name_or_product_opening_a_description_keeps_its_capital() -> None:
    product = company_fact("Copperleaf Health: Copperleaf Scheduler, booking software for clinics.")
    assert sentences(product)[3] == (
        "Copperleaf Health makes Copperleaf Scheduler, booking software for clinics."
    )
    brand = company_fact("Plinthware: Salesforce integrations for field-service teams.")
    assert sentences(brand, "Plinthware")[3] == (
        "Plinthware makes Salesforce integrations for field-service teams."
    )
    person = company_fact("Copperleaf Health: Dana Whitfield's scheduling tools for clinics.")
    assert "makes Dana Whitfield's" in sentences(person, names=("Dana Whitfield",))[3]
    ordinary = company_fact("Plinthware: Scheduling software for field-service teams.")
    assert sentences(ordinary, "Plinthware")[3] == (
        "Plinthware makes scheduling software for field-service teams."
    )


def test_only_an_ordinary_opening_word_is_lowered() -> None:
    assert lower_opening("Payroll for small teams") == "payroll for small teams"
    assert lower_opening("Maria's tools for clinics", ("Maria Lopez",)) == (
        "Maria's tools for clinics"
    )
    assert lower_opening("Kubernetes cost reports") == "Kubernetes cost reports"
    assert lower_opening("AI scheduling") == "AI scheduling"
    assert lower_opening("A/B tests for apps") == "A/B tests for apps"
    assert lower_opening("A platform for clinics") == "a platform for clinics"
    # Written with a capital mid-sentence too: a name ("Harbor" the product).
    assert lower_opening("Harbor syncs clinics with Harbor Cloud") == (
        "Harbor syncs clinics with Harbor Cloud"
    )
    assert (
        lower_opening("Harbor tools. Harbor is a word here")
        == "harbor tools. Harbor is a word here"
    )


def write(lead: Lead, campaign: Campaign, tones: list[Tone]) -> list[DraftOut]:
    """Analyse the Copperleaf facts and write emails with the offline writer."""
    briefs = [FactBrief.of(f) for f in FACTS]
    analysis = analyze_offline(
        AnalyzeInput(today=TODAY, lead=lead, campaign=campaign, facts=briefs)
    )
    assert any(DESCRIPTION.id in h.fact_ids for h in analysis.hooks)
    payload = GenerateInput(
        today=TODAY, channel=Channel.EMAIL, tones=tones, attempt=1, lead=lead,
        campaign=campaign, analysis=analysis, facts=briefs,
    )  # fmt: skip
    return OfflineWriter().write(payload).variants


def test_the_offline_writer_says_what_the_company_makes_once(
    dana: Lead, campaign: Campaign
) -> None:
    drafts = write(dana, campaign, list(Tone))
    assert SENTENCE in drafts[2].body  # the direct email says it as one sentence
    for draft in drafts:
        assert "copperleaf" not in draft.body, draft.body
        assert draft.body.count("appointment scheduling software") == 1, draft.body
        assert "makes Copperleaf" not in draft.body and "Health makes copperleaf" not in draft.body
        verdict = critique(
            Variant(tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks),
            lead=dana, campaign=campaign, facts=FACTS, settings=CriticSettings(),
            thresholds=Thresholds(),
        )  # fmt: skip
        assert verdict.passed, verdict.issues


def test_guidance_naming_a_product_keeps_its_capital(dana: Lead, campaign: Campaign) -> None:
    guided = campaign.model_copy(
        update={"custom_context": "Mention Brightpath's free pipeline audit for clinics."}
    )
    drafts = write(dana, guided, [Tone.PROFESSIONAL])
    assert "Worth adding: Brightpath's free pipeline audit for clinics." in drafts[0].body
