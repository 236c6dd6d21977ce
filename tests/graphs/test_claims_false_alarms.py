"""What every good message contains is no claim: compliance lines, the sender, the filled
template, the campaign's translations, ordinary words opening a sentence, German nouns, asks
about time and figures of speech."""

from __future__ import annotations

from datetime import date

import pytest

from graphs.context import CriticSettings, Thresholds
from graphs.critic.grounding import campaign_texts
from graphs.critic.review import critique
from graphs.drafts import CheckResult, Tone, Variant
from graphs.lead import Campaign, CampaignCopy, Channel, Lead, SenderProfile
from tests.factories import POST, fact
from tests.graphs.claim_grounding import grounding_of
from tools.delivery.sms import OPT_OUT_LINE

TODAY = date(2026, 11, 20)
FUNDING = fact(
    "Northwind Robotics raises $32M Series B to expand into Europe.", published=date(2026, 9, 17)
)
TALK = fact(
    "Maya Okafor gave the talk “Keeping CI under ten minutes at 200 engineers” at ShipConf.",
    published=date(2026, 11, 5),
)
FACTS = [FUNDING, TALK]
LEAD = Lead(name="Maya Okafor", company="Northwind Robotics", title="VP Engineering")
SENDER = SenderProfile(
    name="Alex Rivera",
    title="Head of Partnerships",
    company="Brightpath",
    signature="Alex Rivera\nHead of Partnerships, Brightpath",
    postal_address="Brightpath Inc., 500 Market Street, Suite 210, San Francisco, CA 94105",
)
CAMPAIGN = Campaign(
    value_proposition="Brightpath finds slow and flaky CI builds.",
    template="I met the {{company}} team at DevOpsDays Warsaw.",
    sender=SENDER,
    translations={
        "es": CampaignCopy(
            value_proposition="Brightpath reduce el tiempo de CI un 30 % con Flakeguard.",
            call_to_action="¿Hablamos 20 minutos la semana que viene?",
        )
    },
)


def check(
    body: str, *, language: str = "en", subject: str | None = None, campaign: Campaign = CAMPAIGN
) -> CheckResult:
    return grounding_of(
        body, language, lead=LEAD, facts=FACTS, campaign=campaign, today=TODAY, subject=subject
    )


def test_a_compliant_text_passes() -> None:
    sms = CAMPAIGN.model_copy(update={"channel": Channel.SMS})
    body = f"Hi Maya, congrats on the $32M Series B. Brightpath finds flaky CI builds. Up for a call? {OPT_OUT_LINE}"
    result = check(body, campaign=sms)
    assert result.passed, result.detail


def test_the_signature_and_postal_address_are_no_claims() -> None:
    body = (
        "Hi Maya,\n\nCongrats on the $32M Series B.\n\nBest,\nAlex Rivera\n"
        "Head of Partnerships, Brightpath\n"
        "Brightpath Inc., 500 Market Street, Suite 210, San Francisco, CA 94105\n"
        "Not interested? Reply unsubscribe and I will not write again."
    )
    assert check(body).passed


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (None, "Welcome to the hardest part of scaling CI, Maya."),
        (None, "Calendars fill up fast before Q4. Clean builds matter more then."),
        (None, "Quick question about your ShipConf talk. Curious how you got there?"),
        (None, "Thrilled to see the Series B, Maya."),
        ("Quick question on flaky builds", "Hi Maya, how do you keep CI fast?"),
        (None, "Software teams feel slow builds first. Two things stood out in your talk."),
    ],
)
def test_ordinary_words_opening_a_sentence_or_subject_are_no_names(
    subject: str | None, body: str
) -> None:
    result = check(body, subject=subject)
    assert result.passed, result.detail


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("Amazon runs fleet software like yours.", "Amazon"),
        ("Loved your talk at KubeCon.", "KubeCon"),
        ("Clean Code Labs said hi.", "Clean Code Labs"),
    ],
)
def test_invented_names_still_fail(body: str, name: str) -> None:
    assert [f.text for f in check(body).findings] == [name]


def test_the_filled_template_is_evidence() -> None:
    # The template says the sender met the lead's team at DevOpsDays Warsaw.
    assert check("I met the Northwind Robotics team at DevOpsDays Warsaw.").passed
    assert [f.text for f in check("I met the team at DevOpsDays Berlin.").findings] == [
        "DevOpsDays Berlin"
    ]


def test_the_campaign_s_translations_are_evidence() -> None:
    assert "Brightpath reduce el tiempo de CI un 30 % con Flakeguard." in campaign_texts(CAMPAIGN)
    body = "Hola Maya, Brightpath reduce el tiempo de CI un 30 % con Flakeguard."
    assert check(body, language="es").passed


def test_german_nouns_are_no_names_but_brands_are() -> None:
    body = "Ihr Team wächst, und die Frage ist, wie schnell Ihre Builds bleiben."
    assert check(body, language="de").passed
    assert [f.text for f in check("Ihr Team nutzt Google.", language="de").findings] == ["Google"]


@pytest.mark.parametrize(
    "body",
    [
        "Worth a 20-minute call on Tuesday?",
        "Could we find time in December, or before Q4 planning?",
        "Have a great Friday, Maya.",
        "Free for a chat next Thursday?",
        "¿Hablamos el martes?",
        "Un appel de 20 minutes jeudi ?",
        "Hätten Sie am Dienstag Zeit für ein kurzes Gespräch?",
    ],
)
def test_asks_about_time_are_no_claims(body: str) -> None:
    language = {"¿": "es", "U": "fr", "H": "de"}.get(body[0], "en")
    result = check(body, language=language)
    assert result.passed, result.detail


@pytest.mark.parametrize(
    "body",
    [
        "Most teams keep it up for a sprint or two.",
        "Two things stood out, and three quick questions follow.",
        "It was showing yesterday's numbers to people making today's decisions.",
        "That is the biggest difference, and the fastest way to see it is a call.",
    ],
)
def test_figures_of_speech_are_no_claims(body: str) -> None:
    result = check(body)
    assert result.passed, result.detail


def test_the_pitch_may_address_the_reader_and_keep_its_claim() -> None:
    """ "Brightpath can cut your pipeline time by a third" is the campaign's own promise: its
    "your" does not make it a claim about what the lead did."""
    pitch = "Brightpath can cut your pipeline time by a third."
    body = (
        "Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo”. "
        f"{pitch}\n\nWorth a 15-minute call next week?\n\nAlex"
    )
    verdict = critique(
        Variant(tone=Tone.PROFESSIONAL, subject="Your monorepo post", body=body),
        lead=Lead(name="Maya Okafor", company="Northwind Robotics"),
        campaign=Campaign(value_proposition=pitch),
        facts=[POST],
        settings=CriticSettings(),
        thresholds=Thresholds(),
    )
    grounding = next(c for c in verdict.checks if c.name == "grounding")
    assert grounding.passed, grounding.detail
