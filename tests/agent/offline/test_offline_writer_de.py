"""The offline writer in German: every first touch it writes to a German lead reads as German
(Sie, German dates, no English frame words), passes the critic in German, fits its channel, reads
the same twice and differs from lead to lead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import pytest

from agent.offline.analyst import analyze_offline
from agent.offline.phrasebooks import phrasebook
from agent.offline.writer import OfflineWriter
from evals.golden_set import campaign_for, load_golden
from graphs.context import CriticSettings, Thresholds
from graphs.critic.checks import sms_segments
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, GenerateInput
from tests.factories import fact
from tools.facts import Fact, FactKind

TODAY = date(2026, 11, 20)
CHANNELS = (Channel.EMAIL, Channel.LINKEDIN, Channel.SMS)
ENGLISH_WORDS = re.compile(r"(?i:\bthe\b|\byour\b|\band\b)|\bHi\b|Best regards")
"""Frame words of the English phrasebook that must not leak into a German message."""
QUOTED = re.compile(r"„[^“\n]*“|“[^”\n]*”|\"[^\"\n]*\"")
ENGLISH_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}\b"
)


@dataclass(frozen=True)
class GermanLead:
    """A lead written to in German, with what research found about it."""

    lead: Lead
    facts: tuple[Fact, ...]
    dates: tuple[str, ...]
    """How its email says the dates of its facts, in German ("6. November")."""


def _lead(name: str, company: str, title: str) -> Lead:
    domain = company.split()[0].lower()
    return Lead(name=name, company=company, title=title, email=f"x@{domain}.example")


def post_hiring_stack() -> GermanLead:
    """A growing company: a post, a hiring surge and the stack."""
    url = "http://nordlicht.example/"
    title = "Warum unsere Builds so lange dauern"
    return GermanLead(
        _lead("Jana Keller", "Nordlicht Software", "Head of Platform"),
        (
            fact(
                "Jana Keller wrote “Warum unsere Builds so lange dauern” on 2026-11-10.",
                kind=FactKind.POST,
                title=title,
                published=date(2026, 11, 10),
                url=f"{url}blog/builds",
            ),
            fact(
                "Nordlicht Software lists 9 open roles (6 Engineering, 2 Sales).",
                kind=FactKind.HIRING,
                url=f"{url}karriere",
            ),
            fact(
                "Nordlicht Software mentions Kubernetes, GitLab CI, Java on its website.",
                kind=FactKind.TECHNOLOGY,
                url=url,
            ),
        ),
        ("10. November",),
    )


def news() -> GermanLead:
    """A company in the news: a round of funding and a launch."""
    url = "http://elbwerk.example/presse/"
    funding = "Elbwerk Analytics schließt Finanzierungsrunde über 9 Millionen Euro ab"
    launch = "Elbwerk Analytics startet neue Plattform für Lagerdaten"
    return GermanLead(
        _lead("Timo Brandt", "Elbwerk Analytics", "CTO"),
        (
            fact(
                f"Elbwerk Analytics published “{funding}” on 2026-10-27.",
                title=funding,
                published=date(2026, 10, 27),
                url=f"{url}finanzierung",
            ),
            fact(
                f"Elbwerk Analytics published “{launch}” on 2026-11-12.",
                title=launch,
                published=date(2026, 11, 12),
                url=f"{url}plattform",
            ),
        ),
        ("27. Oktober", "12. November"),
    )


def talks() -> GermanLead:
    """A speaker: a recent talk and a post from last year, dated with its year."""
    url = "http://isarsoft.example/"
    return GermanLead(
        _lead("Miriam Vogt", "Isarsoft", "Engineering Manager"),
        (
            fact(
                "Miriam Vogt gave the talk “Flaky Tests im Griff” on 2026-09-15.",
                kind=FactKind.POST,
                title="Flaky Tests im Griff",
                published=date(2026, 9, 15),
                url=f"{url}talks",
            ),
            fact(
                "Miriam Vogt wrote “Monorepo oder nicht?” on 2025-02-11.",
                kind=FactKind.POST,
                title="Monorepo oder nicht?",
                published=date(2025, 2, 11),
                url=f"{url}blog",
            ),
        ),
        ("15. September",),
    )


def g13() -> GermanLead:
    """The golden German lead (Kranwerk Logistik): a post, Series A news, hiring, stack."""
    golden = next(g for g in load_golden()[0] if g.id == "g13-non-english-german-email")
    return GermanLead(golden.lead, tuple(golden.facts), ("6. November",))


LEADS = {"post_hiring_stack": post_hiring_stack, "news": news, "talks": talks, "g13": g13}


@cache
def german_campaign() -> Campaign:
    """The Brightpath campaign with its German pitch, short pitch and ask."""
    leads, campaigns = load_golden()
    golden = next(g for g in leads if g.id == "g13-non-english-german-email")
    return campaign_for(golden, campaigns).in_language("de")


def payload_for(german: GermanLead, channel: Channel) -> GenerateInput:
    campaign = german_campaign().model_copy(update={"channel": channel})
    briefs = [FactBrief.of(f) for f in german.facts]
    analysis = analyze_offline(
        AnalyzeInput(today=TODAY, lead=german.lead, campaign=campaign, facts=briefs)
    )
    return GenerateInput(
        today=TODAY,
        channel=channel,
        language="de",
        tones=list(Tone),
        attempt=1,
        lead=german.lead,
        campaign=campaign,
        analysis=analysis,
        facts=briefs,
    )


@cache
def drafts_for(name: str, channel: Channel) -> tuple[DraftOut, ...]:
    return tuple(OfflineWriter().write(payload_for(LEADS[name](), channel)).variants)


def outside_quotes(body: str) -> str:
    """The body without its quoted titles (a title is in the language its page is in)."""
    return QUOTED.sub(" ", body)


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
@pytest.mark.parametrize("name", list(LEADS))
def test_every_german_draft_passes_the_critic_in_german(name: str, channel: Channel) -> None:
    german = LEADS[name]()
    campaign = german_campaign().model_copy(update={"channel": channel})
    drafts = drafts_for(name, channel)
    assert [d.tone for d in drafts] == list(Tone)
    for draft in drafts:
        verdict = critique(
            Variant(tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks),
            lead=german.lead,
            campaign=campaign,
            facts=list(german.facts),
            settings=CriticSettings(),
            thresholds=Thresholds(),
            language="de",
            today=TODAY,
        )
        assert verdict.passed, (draft.tone, draft.body, verdict.issues)


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
@pytest.mark.parametrize("name", list(LEADS))
def test_no_english_frame_word_leaks_into_a_german_draft(name: str, channel: Channel) -> None:
    for draft in drafts_for(name, channel):
        said = outside_quotes(draft.body)
        assert not ENGLISH_WORDS.search(said), (draft.tone, draft.body)
        assert not ENGLISH_DATE.search(said), (draft.tone, draft.body)
        assert re.search(r"\b(?:Sie|Ihnen|Ihr\w*)\b", said), (draft.tone, draft.body)
        if draft.subject is not None:
            assert not ENGLISH_WORDS.search(outside_quotes(draft.subject)), draft.subject


@pytest.mark.parametrize("name", list(LEADS))
def test_an_email_says_its_dates_the_german_way(name: str) -> None:
    german = LEADS[name]()
    bodies = "\n".join(d.body for d in drafts_for(name, Channel.EMAIL))
    assert any(day in bodies for day in german.dates), bodies
    for draft in drafts_for(name, Channel.EMAIL):
        assert draft.body.startswith(("Guten Tag ", "Hallo ")), draft.body
        # "6. November": the day with its full stop, then the month's German name.
        for day, month in re.findall(r"\b(\d{1,2})\.? ([A-ZÄÖÜ][a-zäöü]+)", draft.body):
            if month in phrasebook("de").hooks.months:
                assert f"{day}. {month}" in draft.body, draft.body


def test_an_old_post_is_dated_with_its_month_and_year_in_german() -> None:
    emails = [d.body for d in drafts_for("talks", Channel.EMAIL)]
    dated = [body for body in emails if "„Monorepo oder nicht?“ (Februar 2025)" in body]
    dated += [body for body in emails if "„Monorepo oder nicht?“ vom Februar 2025" in body]
    assert dated, emails
    assert all("February" not in body and "2025-02" not in body for body in emails)


def test_the_golden_lead_hears_about_its_post_in_german() -> None:
    """g13: the post's German title in German quotes, its date, and the stack joined with
    "und"."""
    emails = drafts_for("g13", Channel.EMAIL)
    professional = emails[0].body
    assert "„Warum unsere Pipeline 40 Minuten brauchte und wie wir sie halbiert haben“" in (
        professional
    )
    assert "vom 6. November" in professional
    assert "Hätten Sie nächste Woche 15 Minuten Zeit" in professional  # the campaign's ask
    bodies = "\n".join(d.body for d in emails)
    assert "GitLab CI, Java" not in bodies
    texts = drafts_for("g13", Channel.SMS)
    assert all("6. Nov." in d.body or "Warum unsere" in d.body for d in texts), texts


@pytest.mark.parametrize("name", list(LEADS))
def test_a_text_is_one_segment_and_a_note_fits_300_characters(name: str) -> None:
    for draft in drafts_for(name, Channel.SMS):
        assert sms_segments(draft.body)[0] == 1, draft.body
        assert "„" not in draft.body and "“" not in draft.body, draft.body
        assert draft.body.endswith("?"), draft.body
    for draft in drafts_for(name, Channel.LINKEDIN):
        assert len(draft.body) <= 300, draft.body
        assert draft.body.endswith(" Alex"), draft.body


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
def test_the_same_payload_reads_the_same_twice(channel: Channel) -> None:
    payload = payload_for(LEADS["post_hiring_stack"](), channel)
    first = OfflineWriter().write(payload).variants
    again = OfflineWriter().write(payload.model_copy()).variants
    assert [(d.subject, d.body) for d in first] == [(d.subject, d.body) for d in again]


def _masked(draft: DraftOut, lead: Lead) -> str:
    body = draft.body.replace(lead.company, "<company>")
    return body.replace(lead.first_name, "<name>")


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.value)
def test_two_leads_never_get_the_same_message(channel: Channel) -> None:
    for index, tone in enumerate(Tone):
        bodies = [_masked(drafts_for(n, channel)[index], LEADS[n]().lead) for n in LEADS]
        assert len(set(bodies)) == len(bodies), (tone, bodies)


def test_leads_alike_in_their_facts_still_get_different_framings() -> None:
    """Eight companies with the same kind of facts: the pitch is framed several ways."""
    framings = set()
    for company in (
        "Nordlicht Software",
        "Weserwerk",
        "Hafenkran",
        "Elbdata",
        "Spreeware",
        "Rheinpfad",
        "Alsterdata",
        "Mainwerk",
    ):
        domain = company.split()[0].lower()
        german = GermanLead(
            _lead(f"Kim {company}", company, "CTO"),
            (
                fact(
                    f"{company} lists 7 open roles (5 Engineering, 2 Sales).",
                    kind=FactKind.HIRING,
                    url=f"http://{domain}.example/karriere",
                ),
                fact(
                    f"{company} mentions Go, Rust on its website.",
                    kind=FactKind.TECHNOLOGY,
                    url=f"http://{domain}.example/",
                ),
            ),
            (),
        )
        email = OfflineWriter().write(payload_for(german, Channel.EMAIL)).variants[0]
        pitch = email.body.split("\n\n")[-3]
        framings.add(pitch.replace(company, "<company>"))
    assert len(framings) >= 3, framings


def test_the_german_phrasebook_states_no_fact_of_its_own() -> None:
    texts = list(phrasebook("de").texts())
    assert len(texts) > 100
    for text in texts:
        words = re.sub(r"\{\w+\}", "", text)
        assert not re.search(r"\d", words), text
        assert not ENGLISH_WORDS.search(words), text
