"""The offline writer in Spanish: every draft passes the critic read as Spanish, leaks no English
frame word, says its dates in Spanish, speaks as usted in the professional tone and as tú in the
others, fits its channel, and reads the same for the same lead and differently for another."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from string import Formatter

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
from graphs.lead import Campaign, Channel, Lead
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, GenerateInput
from tests.factories import fact
from tools.facts import Fact, FactKind

TODAY = date(2026, 11, 20)
SPANISH = phrasebook("es")
BRIGHTPATH = load_campaigns()["brightpath"]
"""The golden CI campaign: its pitch and ask come translated into Spanish."""


@dataclass(frozen=True)
class Case:
    """A lead written to in Spanish, what research found about them, and the dates an email
    cites (as Spanish says them)."""

    lead: Lead
    facts: tuple[Fact, ...]
    dates: tuple[str, ...]
    today: date = TODAY


def _growing(name: str, company: str, title: str) -> Case:
    """A post, a hiring surge and the stack: what research finds about a growing company."""
    url = f"http://{company.split()[0].lower()}.example/"
    return Case(
        Lead(name=name, company=company, title="Directora de Ingeniería",
             email=f"contacto@{company.split()[0].lower()}.example", phone="+34 600 000 101"),
        (
            fact(f"{company} lists 9 open roles (6 Engineering, 2 Sales).", kind=FactKind.HIRING,
                 url=f"{url}empleo"),
            fact(f"{name} wrote “{title}” on 2026-11-10.", kind=FactKind.POST, title=title,
                 published=date(2026, 11, 10), url=f"{url}blog"),
            fact(f"{company} mentions Kubernetes, GitLab CI, Java on its website.",
                 kind=FactKind.TECHNOLOGY, url=url),
        ),
        ("10 de noviembre",),
    )  # fmt: skip


def _tramalia() -> Case:
    """News in Spanish (a funding round the English trigger words do not see) and the
    company's own description."""
    title = "Tramalia cierra una ronda de 12 millones de euros para crecer en Europa"
    return Case(
        Lead(name="Jorge Vidal", company="Tramalia", title="CTO", email="jorge@tramalia.example",
             phone="+34 600 000 102"),
        (
            fact(f"Tramalia published “{title}” on 2026-11-05.", title=title,
                 published=date(2026, 11, 5), url="http://tramalia.example/prensa"),
            fact("Tramalia: software de rutas para flotas de reparto urbano.",
                 kind=FactKind.COMPANY, url="http://tramalia.example/"),
        ),
        ("5 de noviembre",),
    )  # fmt: skip


def _corvid() -> Case:
    """A funding round announced in English (congratulated), with hiring."""
    title = "Corvid Ledger raises $32M Series B"
    return Case(
        Lead(name="Sergio Nieto", company="Corvid Ledger", title="VP Engineering",
             email="sergio@corvid.example", phone="+34 600 000 103"),
        (
            fact(f"Corvid Ledger published “{title}” on 2026-11-03.", title=title,
                 published=date(2026, 11, 3), url="http://corvid.example/news"),
            fact("Corvid Ledger lists 4 open roles (3 Engineering, 1 Sales).",
                 kind=FactKind.HIRING, url="http://corvid.example/jobs"),
        ),
        ("3 de noviembre",),
    )  # fmt: skip


def _pagaluna() -> Case:
    """The golden lead g14: a CTO whose name GSM-7 cannot spell, facts in Spanish."""
    leads, _ = load_golden()
    golden = next(g for g in leads if g.id == "g14-non-english-spanish-sms")
    return Case(golden.lead, tuple(golden.facts), ("9 de noviembre",), golden.today)


CASES = {
    "ferrovia": _growing("Ana Morales", "Ferrovía Labs", "Por qué nuestra cola de CI se duplicó"),
    "tramalia": _tramalia(),
    "corvid": _corvid(),
    "pagaluna": _pagaluna(),
}
TWIN = _growing("Marta Ruiz", "Quadrant", "Lo que aprendimos migrando el CI")
"""Another growing company, with facts of the same kinds as Ferrovía Labs'."""
CHANNELS = (Channel.EMAIL, Channel.LINKEDIN, Channel.SMS)
ENGLISH_WORDS = (
    " the ", " your ", "Hi ", "Hi,", "Best regards", " and ", "Cheers", " I ", " with ",
    "Looks like", " also ", " from ", " on its ", "Congrats", "Worth ", "Open to",
)  # fmt: skip
ENGLISH_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")
TUTEO = re.compile(r"\b(?:tu|tus|te|ti|contigo|eres|tienes|trabajáis|estáis|te hagas)\b", re.I)
USTED = re.compile(r"\b(?:usted|su (?:artículo|charla|papel)|le (?:escribo|cuento|resumo|parece)|"
                   r"se haga)\b", re.I)  # fmt: skip


def campaign_for(channel: Channel) -> Campaign:
    return BRIGHTPATH.in_language("es").model_copy(
        update={"channel": channel, "linkedin_format": "connection_note"}
    )


def payload(case: Case, channel: Channel) -> GenerateInput:
    campaign = campaign_for(channel)
    briefs = [FactBrief.of(f) for f in case.facts]
    analysis = analyze_offline(
        AnalyzeInput(today=case.today, lead=case.lead, campaign=campaign, facts=briefs)
    )
    return GenerateInput(
        today=case.today, channel=channel, language="es", tones=list(Tone), attempt=1,
        lead=case.lead, campaign=campaign, analysis=analysis, facts=briefs,
    )  # fmt: skip


@cache
def drafts(name: str, channel: Channel) -> tuple[DraftOut, ...]:
    case = TWIN if name == "twin" else CASES[name]
    return tuple(OfflineWriter().write(payload(case, channel)).variants)


def own_words(body: str) -> str:
    """The body without what the writer quotes: titles, the facts' names (tools, departments),
    the campaign's own pitch and ask (from its verb on, as a frame may take it), and the
    sender's English job title."""
    text = QUOTED.sub("«»", body)
    campaign = campaign_for(Channel.EMAIL)
    company = campaign.sender.company
    pitch = [campaign.short_pitch or "", *re.split(r"(?<=\.)\s+", campaign.value_proposition)]
    quoted = [campaign.call_to_action, campaign.sender.title or ""]
    quoted += [p.removeprefix(company).strip().rstrip(".") for p in pitch]
    quoted += ["Kubernetes, GitLab CI y Java", "GitHub Actions, Kubernetes y Kotlin", "Engineering"]
    for words in quoted:
        text = text.replace(words, " ")
    return text


ALL = [(name, channel) for name in CASES for channel in CHANNELS]


@pytest.mark.parametrize(("name", "channel"), ALL)
def test_every_draft_passes_the_critic_read_as_spanish(name: str, channel: Channel) -> None:
    case = CASES[name]
    for draft in drafts(name, channel):
        variant = Variant(
            tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks
        )
        verdict = critique(
            variant, lead=case.lead, campaign=campaign_for(channel), facts=list(case.facts),
            settings=CriticSettings(), thresholds=Thresholds(), language="es", today=case.today,
        )  # fmt: skip
        assert verdict.passed, (name, channel.value, draft.tone.value, verdict.issues, draft.body)


@pytest.mark.parametrize(("name", "channel"), ALL)
def test_no_english_frame_word_leaks_into_a_draft(name: str, channel: Channel) -> None:
    for draft in drafts(name, channel):
        for text in (own_words(draft.body), QUOTED.sub("«»", draft.subject or "")):
            leaked = [w for w in ENGLISH_WORDS if w in f" {text} "]
            assert not leaked, (leaked, draft.tone.value, draft.body)
            assert not ENGLISH_MONTHS.search(text), draft.body


@pytest.mark.parametrize("name", CASES)
def test_dates_are_said_in_spanish(name: str) -> None:
    case = CASES[name]
    emails = "\n".join(d.body for d in drafts(name, Channel.EMAIL))
    for day in case.dates:
        assert day in emails, (day, emails)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", emails)


def test_a_text_says_its_date_the_spanish_short_way() -> None:
    bodies = [d.body for d in drafts("pagaluna", Channel.SMS)]
    assert all("(9 nov)" in body for body in bodies), bodies


@pytest.mark.parametrize("name", CASES)
def test_a_text_is_one_segment_and_a_connection_note_fits(name: str) -> None:
    for draft in drafts(name, Channel.SMS):
        segments, encoding = sms_segments(draft.body)
        assert segments == 1, (encoding, len(draft.body), draft.body)
    for draft in drafts(name, Channel.LINKEDIN):
        assert len(draft.body) <= 300, draft.body


@pytest.mark.parametrize("name", ["tramalia", "corvid"])
def test_a_text_says_nothing_gsm7_lacks_unless_the_facts_do(name: str) -> None:
    """Jorge's and Sergio's texts cite news in words GSM-7 has: they keep 160 characters, room
    for more than the 70 a letter like "í" would leave."""
    for draft in drafts(name, Channel.SMS):
        assert sms_segments(draft.body) == (1, "GSM-7"), draft.body
        assert len(draft.body) > 70, draft.body


def test_the_golden_lead_is_greeted_by_her_name_with_its_accent() -> None:
    for channel in CHANNELS:
        assert all("Lucía" in d.body for d in drafts("pagaluna", channel))


@pytest.mark.parametrize("name", CASES)
def test_every_tone_says_tu_as_the_campaigns_copy_does(name: str) -> None:
    """Brightpath's Spanish copy says tú: the professional tone's usted phrasing turns to tú
    with it (a campaign in usted keeps it: tests/agent/offline/test_offline_writer_languages.py)."""
    for channel in (Channel.EMAIL, Channel.LINKEDIN):
        for draft in drafts(name, channel):
            words = own_words(draft.body)
            assert not USTED.search(words), (channel.value, draft.tone.value, draft.body)


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_same_payload_gives_the_same_text_twice(channel: Channel) -> None:
    for name in CASES:
        first = OfflineWriter().write(payload(CASES[name], channel)).variants
        again = OfflineWriter().write(payload(CASES[name], channel).model_copy()).variants
        assert [(d.subject, d.body) for d in first] == [(d.subject, d.body) for d in again]


def test_two_leads_with_the_same_kind_of_facts_read_differently() -> None:
    """Two growing companies, names and titles aside, do not get the same email word for word;
    and no two drafts of the cases are the same."""
    for ana, marta in zip(
        drafts("ferrovia", Channel.EMAIL), drafts("twin", Channel.EMAIL), strict=True
    ):
        masked = [
            re.sub(r"Ana|Marta|Ferrovía Labs|Quadrant|«[^»]*»", "·", d.body) for d in (ana, marta)
        ]
        assert masked[0] != masked[1], masked[0]
    bodies = {d.body for name in CASES for c in CHANNELS for d in drafts(name, c)}
    assert len(bodies) == len(CASES) * len(CHANNELS) * len(Tone)


def test_the_spanish_book_says_every_kind_of_hook_and_no_fact_of_its_own() -> None:
    hooks = SPANISH.hooks
    assert set(hooks.frames) == set(HOOK_KINDS)
    assert all(len(frames) == 8 for frames in hooks.frames.values())
    assert set(hooks.shorts) == set(SHORT_FORMS)
    assert hooks.long(date(2026, 11, 5)) == "5 de noviembre"
    assert hooks.month(date(2024, 3, 14)) == "marzo de 2024"
    texts = list(SPANISH.texts())
    assert len(texts) > 200
    capitals = re.compile(r"(?<![.:!?¡¿«\"(]\s)(?<![¡¿«\"(])(?<!^)\b[A-ZÁÉÍÓÚÑ]\w+")
    for text in texts:
        words = re.sub(r"\{\w+\}", "", text)
        assert not re.search(r"\d", words), text
        # A capital only where a sentence or a clause starts: no name of its own.
        assert not capitals.findall(words), text
        assert all(name.isidentifier() for _, name, _, _ in Formatter().parse(text) if name)
