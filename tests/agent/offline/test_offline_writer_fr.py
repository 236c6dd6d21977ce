"""The offline writer in French: every draft passes the critic read as French, says "vous",
dates in French, leaks no English frame word, fits its channel, and reads the same for the
same lead and differently for another."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import pytest

from agent.offline.analyst import analyze_offline
from agent.offline.phrasebooks import phrasebook
from agent.offline.phrasebooks.hook_book import HOOK_KINDS, SHORT_FORMS
from agent.offline.writer import OfflineWriter
from evals.golden_set import load_campaigns, load_golden
from graphs.context import CriticSettings, Thresholds
from graphs.critic.checks import sms_segments
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, CampaignCopy, Channel, Lead
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, GenerateInput
from tests.factories import fact
from tools.facts import Fact, FactKind

TODAY = date(2026, 11, 20)
FRENCH = phrasebook("fr")
CAMPAIGNS = load_campaigns()
BRIGHTPATH = CAMPAIGNS["brightpath"]
VAULTLINE = CAMPAIGNS["vaultline"].model_copy(
    update={
        "translations": {
            "fr": CampaignCopy(
                value_proposition=(
                    "Vaultline se connecte à vos comptes cloud, à votre fournisseur d'identité et "
                    "à vos dépôts de code, et collecte les preuves que demandent les auditeurs, "
                    "pour que les audits SOC 2 et ISO 27001 ne mobilisent plus des semaines "
                    "d'ingénierie. Il rédige aussi les réponses aux questionnaires de sécurité à "
                    "partir des contrôles que vous avez déjà en place."
                ),
                short_pitch="Vaultline collecte automatiquement les preuves d'audit SOC 2 et ISO 27001.",
                call_to_action=(
                    "Une démonstration de 20 minutes avant votre prochain audit, cela vous "
                    "intéresserait ?"
                ),
            )
        }
    }
)
"""The golden security campaign with its French copy written here, as the test needs it."""


@dataclass(frozen=True)
class Case:
    """A French lead, what research found about them, and the campaign writing to them."""

    lead: Lead
    facts: tuple[Fact, ...]
    campaign: Campaign
    dates: tuple[str, ...]
    """The dates, as French says them, that the emails cite."""
    today: date = TODAY


def _copperleaf() -> Case:
    url = "http://copperleaf.example/"
    title = "Pourquoi notre file CI a doublé"
    return Case(
        Lead(name="Dana Whitfield", company="Copperleaf Health", title="VP Engineering",
             email="dana@copperleaf.example"),
        (
            fact("Copperleaf Health lists 6 open roles (4 Engineering, 2 Sales).",
                 kind=FactKind.HIRING, url=f"{url}careers"),
            fact(f"Dana Whitfield wrote “{title}” on 2026-11-10.", kind=FactKind.POST,
                 title=title, published=date(2026, 11, 10), url=f"{url}blog"),
            fact("Copperleaf Health mentions Kubernetes, GitLab CI, Java on its website.",
                 kind=FactKind.TECHNOLOGY, url=url),
        ),
        BRIGHTPATH,
        ("10 novembre",),
    )  # fmt: skip


def _tallyfold() -> Case:
    title = "Tallyfold lève 20 millions d'euros pour accélérer en Europe"
    return Case(
        Lead(name="Luc Bernard", company="Tallyfold", title="CTO", email="luc@tallyfold.example"),
        (
            fact(f"Tallyfold published “{title}” on 2026-11-05.", title=title,
                 published=date(2026, 11, 5), url="http://tallyfold.example/actualites"),
        ),
        BRIGHTPATH,
        ("5 novembre",),
    )  # fmt: skip


def _orniva() -> Case:
    """A funding round announced in English, written about in French, with hiring."""
    title = "Orniva raises $32M Series B"
    return Case(
        Lead(name="Sarah Lemoine", company="Orniva", title="RSSI", email="sarah@orniva.example"),
        (
            fact(f"Orniva published “{title}” on 2026-11-03.", title=title,
                 published=date(2026, 11, 3), url="http://orniva.example/news"),
            fact("Orniva lists 3 open roles (2 Engineering, 1 Sales).", kind=FactKind.HIRING,
                 url="http://orniva.example/jobs"),
        ),
        VAULTLINE,
        ("3 novembre",),
    )  # fmt: skip


def _soignelia() -> Case:
    """The golden lead g31: an RSSI at a Lyon home-care software company, facts in French."""
    leads, _ = load_golden()
    golden = next(g for g in leads if g.id == "g31-vault-non-english-french-email")
    return Case(golden.lead, tuple(golden.facts), VAULTLINE, ("4 novembre",), golden.today)


CASES = {"copperleaf": _copperleaf(), "tallyfold": _tallyfold(), "orniva": _orniva()}
CASES["soignelia"] = _soignelia()
CHANNELS = (Channel.EMAIL, Channel.LINKEDIN, Channel.SMS)
ENGLISH_WORDS = (" the ", " your ", "Hi ", "Best regards", " and ", "Cheers", " I ", " with ")
TUTOIEMENT = re.compile(r"(?<![\w'-])(?:tu|te|toi|ton|ta|tes|t')(?![\w-])", re.IGNORECASE)
ENGLISH_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")


def payload(case: Case, channel: Channel) -> GenerateInput:
    campaign = case.campaign.in_language("fr").model_copy(
        update={"channel": channel, "linkedin_format": "connection_note"}
    )
    briefs = [FactBrief.of(f) for f in case.facts]
    analysis = analyze_offline(
        AnalyzeInput(today=case.today, lead=case.lead, campaign=campaign, facts=briefs)
    )
    return GenerateInput(
        today=case.today, channel=channel, tones=list(Tone), attempt=1, lead=case.lead,
        campaign=campaign, analysis=analysis, facts=briefs, language="fr",
    )  # fmt: skip


@cache
def drafts(name: str, channel: Channel) -> tuple[DraftOut, ...]:
    return tuple(OfflineWriter().write(payload(CASES[name], channel)).variants)


def unquoted(body: str) -> str:
    """The writer's own words: the body without the titles it quotes."""
    return " " + QUOTED.sub(" ", body.replace("\n", " ")) + " "


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
@pytest.mark.parametrize("name", CASES)
def test_every_french_draft_passes_the_critic_read_as_french(name: str, channel: Channel) -> None:
    case = CASES[name]
    campaign = payload(case, channel).campaign
    written = drafts(name, channel)
    assert [d.tone for d in written] == list(Tone)
    for draft in written:
        verdict = critique(
            Variant(tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks),
            lead=case.lead, campaign=campaign, facts=list(case.facts), settings=CriticSettings(),
            thresholds=Thresholds(), language="fr", today=case.today,
        )  # fmt: skip
        assert verdict.passed, (draft.tone, draft.body, verdict.issues)


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
@pytest.mark.parametrize("name", CASES)
def test_french_drafts_say_vous_and_leak_no_english_frame_word(name: str, channel: Channel) -> None:
    for draft in drafts(name, channel):
        own = unquoted(draft.body)
        for word in ENGLISH_WORDS:
            assert word not in own, (word, draft.body)
        assert not TUTOIEMENT.search(own), draft.body
        assert not ENGLISH_MONTHS.search(own), draft.body
        if channel is Channel.EMAIL:
            assert re.search(r"\b(?:vous|votre|vos)\b", own), draft.body
        if draft.subject:
            assert not any(w in f" {draft.subject} " for w in ENGLISH_WORDS), draft.subject


@pytest.mark.parametrize("name", CASES)
def test_the_emails_say_their_dates_in_french(name: str) -> None:
    emails = " ".join(d.body for d in drafts(name, Channel.EMAIL))
    for said in CASES[name].dates:
        assert said in emails, emails


def test_a_text_dates_a_long_headline_with_a_short_french_month() -> None:
    for draft in drafts("tallyfold", Channel.SMS):
        assert "l'annonce de Tallyfold (5 nov)" in draft.body, draft.body


def test_the_golden_french_lead_gets_its_news_and_post_in_french() -> None:
    emails = drafts("soignelia", Channel.EMAIL)
    professional = emails[0].body
    assert professional.startswith("Bonjour Camille,\n\n")
    assert "« Soignelia obtient la certification HDS et vise l’ISO 27001 en 2027 »" in professional
    assert "« Questionnaires de sécurité : ce que nos clients hospitaliers" in professional
    assert "(19 octobre)" in professional
    assert professional.rstrip().endswith("Jordan Ellis\nAccount Director, Vaultline")
    assert "Bien cordialement," in professional
    ask = "Une démonstration de 20 minutes avant votre prochain audit, cela vous intéresserait ?"
    assert all(ask in d.body for d in emails)


@pytest.mark.parametrize("name", CASES)
def test_a_french_text_is_one_segment_and_ends_with_its_ask(name: str) -> None:
    for draft in drafts(name, Channel.SMS):
        assert sms_segments(draft.body)[0] == 1, draft.body
        assert draft.body.endswith(" ?"), draft.body
        assert CASES[name].lead.first_name in draft.body


@pytest.mark.parametrize("name", CASES)
def test_a_french_connection_note_fits_and_goes_on_after_its_greeting(name: str) -> None:
    case = CASES[name]
    for draft in drafts(name, Channel.LINKEDIN):
        assert len(draft.body) <= 300, draft.body
        assert draft.body.endswith(f" {case.campaign.sender.name.split()[0]}"), draft.body
        greeting = re.match(rf"(?:Bonjour )?{case.lead.first_name}(,| !) (\S+)", draft.body)
        assert greeting is not None, draft.body
        word = greeting.group(2)
        if greeting.group(1) == ",":  # "Bonjour Dana, j'ai lu …": the sentence goes on
            assert word[0].islower() or case.lead.company.startswith(word), draft.body


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
def test_the_same_french_payload_reads_the_same_twice(channel: Channel) -> None:
    for name in CASES:
        again = OfflineWriter().write(payload(CASES[name], channel)).variants
        assert [(d.subject, d.body) for d in again] == [
            (d.subject, d.body) for d in drafts(name, channel)
        ]


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
def test_two_french_leads_do_not_get_the_same_body(channel: Channel) -> None:
    for tone_index in range(len(Tone)):
        bodies = []
        for name, case in CASES.items():
            body = drafts(name, channel)[tone_index].body
            for own in (case.lead.name, case.lead.first_name, case.lead.company):
                body = body.replace(own, "<name>")
            bodies.append(body)
        assert len(set(bodies)) == len(bodies), bodies


def test_the_french_book_says_every_hook_and_states_no_fact_of_its_own() -> None:
    hooks = FRENCH.hooks
    assert set(hooks.frames) == set(HOOK_KINDS) and set(hooks.shorts) == set(SHORT_FORMS)
    assert all(len(frames) == 8 for frames in hooks.frames.values())
    assert hooks.long(date(2026, 11, 5)) == "5 novembre"
    assert hooks.month(date(2024, 8, 1)) == "août 2024"
    assert hooks.brief_date(date(2026, 2, 14)) == "14 févr"
    for text in FRENCH.texts():
        assert not re.search(r"\d", re.sub(r"\{\w+\}", "", text)), text
    # What a text may say stays in GSM-7, so a text keeps its 160 characters.
    texted = [
        *(t for tone in Tone for t in FRENCH.text_intros[tone]),
        *FRENCH.text_hooks.values(), *FRENCH.fallback_text_asks, *FRENCH.short_text_asks,
        *hooks.shorts.values(), *hooks.short_intros.values(), hooks.withheld_intro,
        *hooks.short_months, *(frames[4] for frames in hooks.frames.values()),
    ]  # fmt: skip
    for text in texted:
        assert sms_segments(text)[1] == "GSM-7", text
