"""What the offline writer must not do in Spanish, French and German, found in review: paste
the campaign's English words, a LinkedIn headline's English "at …", elide inside a quoted
title, or send a text that needs two segments because of an accent in a name."""

from __future__ import annotations

import re
from datetime import date

import pytest

from agent.offline.analyst import analyze_offline
from agent.offline.writer import OfflineWriter
from evals.golden_set import load_campaigns
from graphs.critic.checks import sms_segments
from graphs.drafts import Tone
from graphs.lead import Campaign, Channel, Language, Lead
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, GenerateInput
from tests.factories import fact
from tools.delivery.sms import opt_out_line
from tools.facts import FactKind

TODAY = date(2026, 11, 20)
BRIGHTPATH = load_campaigns()["brightpath"]
ENGLISH_SHORT_PITCH = "finds the slow and flaky builds"


def drafts(
    lead: Lead,
    campaign: Campaign,
    facts: list[FactBrief],
    channel: Channel,
    language: Language,
    **update: object,
) -> list[DraftOut]:
    written = campaign.in_language(language).model_copy(
        update={"channel": channel, "translations": {}}
    )
    analysis = analyze_offline(
        AnalyzeInput(today=TODAY, language=language, lead=lead, campaign=written, facts=facts)
    )
    payload = GenerateInput(
        today=TODAY, channel=channel, language=language, tones=list(Tone), attempt=1,
        lead=lead, campaign=written, analysis=analysis, facts=facts,
    ).model_copy(update=update)  # fmt: skip
    return OfflineWriter().write(payload).variants


def lead(name: str, company: str = "Kranich Logistik") -> Lead:
    return Lead(name=name, company=company, title="Head of Engineering", email="x@example.com")


POST = FactBrief.of(fact(
    "Jana wrote “Lo que aprendimos de un año con Kubernetes” on 2026-11-10.", kind=FactKind.POST,
    title="Lo que aprendimos de un año con Kubernetes", published=date(2026, 11, 10),
))  # fmt: skip


@pytest.mark.parametrize("language", ["es", "fr", "de"])
def test_a_translation_without_a_short_pitch_never_pastes_the_english_one(
    language: Language,
) -> None:
    copy = BRIGHTPATH.translations[language].model_copy(update={"short_pitch": None})
    campaign = BRIGHTPATH.model_copy(update={"translations": {language: copy}})
    for draft in drafts(lead("Jana Becker"), campaign, [POST], Channel.LINKEDIN, language):
        assert ENGLISH_SHORT_PITCH not in draft.body, draft.body


@pytest.mark.parametrize("language", ["es", "fr", "de"])
def test_a_linkedin_headline_keeps_its_title_but_not_its_english_at(language: Language) -> None:
    headline = FactBrief.of(fact(
        "Jana Becker: Head of Engineering at Kranich Logistik", kind=FactKind.PROFILE,
        url="https://www.linkedin.com/in/jana",
    ))  # fmt: skip
    for draft in drafts(lead("Jana Becker"), BRIGHTPATH, [headline], Channel.EMAIL, language):
        assert " at Kranich" not in draft.body, draft.body


def test_a_quoted_title_is_never_elided() -> None:
    news = FactBrief.of(fact(
        "Orniva published “Recruter des ingénieurs de haut niveau” on 2026-11-03.",
        kind=FactKind.NEWS, title="Recruter des ingénieurs de haut niveau",
        published=date(2026, 11, 3),
    ))  # fmt: skip
    bodies = [d.body for d in drafts(lead("Camille Roux", "Orniva"), BRIGHTPATH, [news, POST],
                                     Channel.EMAIL, "fr")]  # fmt: skip
    assert any("d'Orniva" in body for body in bodies), bodies  # the frame's own words elide
    for body in bodies:
        assert "d'haut" not in body and "qu'aprendimos" not in body and "d'un año" not in body


@pytest.mark.parametrize(("language", "name"), [("es", "José Peña"), ("fr", "Françoise Roux")])
def test_a_text_to_an_accented_name_with_no_research_fits_one_segment(
    language: Language, name: str
) -> None:
    for draft in drafts(lead(name, "Ferrovía Labs"), BRIGHTPATH, [], Channel.SMS, language):
        assert sms_segments(draft.body)[0] == 1, draft.body
        assert name.split()[0] in draft.body


def test_an_english_fallback_text_is_sized_for_the_english_opt_out_line() -> None:
    """A Spanish lead, a campaign with no Spanish pitch: the writer writes English, and the
    text is fitted to the English line the sender will then add, not the Spanish one."""
    english = BRIGHTPATH.model_copy(update={"translations": {}})
    written = drafts(
        lead("Dana Smith", "Copperleaf"), english, [POST], Channel.SMS, "es",
        copy_language="en", sms_suffix=opt_out_line("es"),
    )  # fmt: skip
    for draft in written:
        assert draft.body.startswith(("Hi ", "Dana")), draft.body
        assert sms_segments(f"{draft.body}\n{opt_out_line('en')}")[0] == 1, draft.body


USTED = re.compile(r"\b(?:[Ll]e (?:cuento|resumo|escribo|parece|vendría|interesa)|usted|se haga|"
                   r"su (?:artículo|charla|papel|trabajo)|Dígame|comentarle)\b")  # fmt: skip
HIRING = FactBrief.of(fact("Tramalia lists 9 open roles (6 Engineering, 3 Sales).",
                           kind=FactKind.HIRING, url="http://tramalia.example/empleo"))  # fmt: skip


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.LINKEDIN, Channel.SMS])
def test_a_spanish_professional_draft_says_tu_when_the_campaigns_copy_does(
    channel: Channel,
) -> None:
    """Brightpath's Spanish copy asks "¿Te encaja…?": the professional draft does not open in
    usted and close in tú."""
    person = lead("Elena Castaño", "Tramalia")
    (professional,) = [
        d for d in drafts(person, BRIGHTPATH, [POST, HIRING], channel, "es")
        if d.tone is Tone.PROFESSIONAL
    ]  # fmt: skip
    assert not USTED.search(professional.body), professional.body
    usted_ask = BRIGHTPATH.translations["es"].model_copy(update={
        "call_to_action": "¿Le encajaría una llamada de 15 minutos la semana que viene?",
        "short_pitch": "Brightpath encuentra los builds lentos e inestables.",
    })  # fmt: skip
    formal = BRIGHTPATH.model_copy(update={"translations": {"es": usted_ask}})
    (kept,) = [
        d for d in drafts(person, formal, [POST, HIRING], channel, "es")
        if d.tone is Tone.PROFESSIONAL
    ]  # fmt: skip
    # A campaign in usted keeps the professional tone's usted (a text's few words address no
    # one but the hook: "Vi tu artículo").
    if channel is not Channel.SMS:
        assert USTED.search(kept.body), kept.body
