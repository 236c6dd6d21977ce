"""Spam, clichés, register markers and placeholders are known in Spanish, French and German;
compliance lines, names, the sender's own links and quoted titles raise no alarm."""

from __future__ import annotations

import pytest

from graphs.critic import checks
from graphs.critic.copy_checks import check_wording
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Lead, SenderProfile
from tests.factories import fact
from tools.facts import FactKind

LEAD = Lead(name="Maya Okafor", company="Northwind Robotics")
CAMPAIGN = Campaign(
    value_proposition="Brightpath flags flaky tests before they block merges.",
    sender=SenderProfile(
        name="Alex Rivera", company="Brightpath", booking_url="https://cal.brightpath.example/alex"
    ),
)


def draft(body: str, tone: Tone = Tone.PROFESSIONAL, subject: str | None = None) -> Variant:
    return Variant(tone=tone, subject=subject, body=body)


@pytest.mark.parametrize(
    ("language", "body", "found"),
    [
        ("es", "Prueba gratis nuestra oferta exclusiva.", "gratis, oferta exclusiva"),
        ("fr", "Profitez de notre offre exclusive, 100% gratuit.", "offre exclusive, 100% gratuit"),
        ("de", "Jetzt kaufen: ein exklusives Angebot, kostenlos.",
         "jetzt kaufen, exklusives angebot, kostenlos"),
    ],
)  # fmt: skip
def test_spam_is_caught_in_each_language(language: str, body: str, found: str) -> None:
    result = checks.check_spam(draft(body), language=language)
    assert not result.passed
    assert sorted(result.detail.split(", ")) == sorted(found.split(", "))


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("es", "Reducimos el tiempo de CI a la mitad. ¿Hablamos el jueves?"),
        ("fr", "Nous réduisons le temps de CI de moitié. Un échange jeudi ?"),
        ("de", "Wir halbieren die CI-Zeit. Passt Ihnen ein Gespräch am Donnerstag?"),
    ],
)
def test_plain_messages_in_each_language_are_not_spam(language: str, body: str) -> None:
    assert checks.check_spam(draft(body), language=language).detail == "none"


def test_two_cliches_fail_in_french_and_an_unknown_language_reads_every_list() -> None:
    cliched = "J'espère que vous allez bien. Je me permets de vous contacter au sujet du CI."
    result = checks.check_spam(draft(cliched), language="fr")
    assert not result.passed and "je me permets de vous contacter" in result.detail
    assert not checks.check_spam(draft("Prova kostenlos!"), language="it").passed


@pytest.mark.parametrize(
    ("language", "tone", "body", "register"),
    [
        ("es", Tone.FRIENDLY,
         "Por medio de la presente le informamos que reducimos el CI. Atentamente, Alex",
         "formal"),
        ("fr", Tone.PROFESSIONAL, "Votre post sur le CI, mdr. Un appel ?", "slang"),
        ("de", Tone.DIRECT,
         "Vielleicht ist Ihr CI langsam, eventuell auch nicht. Ein Gespräch?", "hedging"),
    ],
)  # fmt: skip
def test_a_register_clash_is_caught_in_each_language(
    language: str, tone: Tone, body: str, register: str
) -> None:
    result = checks.check_tone(draft(body, tone), language=language)
    assert not result.passed and register in result.detail


@pytest.mark.parametrize(
    ("language", "body", "leak"),
    [
        ("es", "Hola [nombre], una pregunta.", "[nombre]"),
        ("fr", "Bonjour <PRENOM>, une question.", "<PRENOM>"),
        ("de", "Hallo [Vorname], eine Frage.", "[Vorname]"),
        ("de", "Hallo {{first_name}}, eine Frage.", "{{first_name}}"),
    ],
)
def test_placeholders_are_caught_in_each_language(language: str, body: str, leak: str) -> None:
    result = checks.check_placeholders(draft(body), language=language)
    assert not result.passed and leak in result.detail


def test_compliance_lines_and_names_raise_no_spam_or_tone_alarm() -> None:
    lead = Lead(name="Maya Okafor", company="LOL Labs")
    campaign = CAMPAIGN.model_copy(
        update={"sender": SenderProfile(name="Alex Rivera", company="WINNER Analytics")}
    )
    body = (
        "Maya, Alex from WINNER Analytics. We cut CI time at teams like LOL Labs. Quick call?\n"
        "Reply STOP to opt out. To UNSUBSCRIBE, reply UNSUBSCRIBE."
    )
    spam = checks.check_spam(draft(body, Tone.DIRECT), lead, campaign)
    assert spam.passed, spam.detail
    assert checks.check_tone(draft(body, Tone.PROFESSIONAL), lead, campaign).passed
    # Without the campaign and lead, the same words read as shouting and slang.
    assert not checks.check_spam(draft(body.replace("Reply STOP", "ACT NOW")), lead).passed
    assert not checks.check_tone(draft("We cut CI time, lol. Quick call?")).passed


def test_capitals_the_facts_use_are_names_not_shouting() -> None:
    body = "Your HIPAA audit is close. Quick call?"
    assert checks.check_spam(draft(body), sources=["Mediquay prepares its HIPAA audit."]).passed
    assert not checks.check_spam(draft(body)).passed


def test_a_quoted_title_is_not_the_drafts_register() -> None:
    body = "Saw your post “Perhaps we were wrong, possibly twice”. Worth a call?"
    assert checks.check_tone(draft(body, Tone.DIRECT)).passed
    assert not checks.check_tone(draft(body.replace("“", "").replace("”", ""), Tone.DIRECT)).passed


def test_the_campaigns_own_links_are_not_foreign() -> None:
    booking = draft("Pick a time: https://cal.brightpath.example/alex. Quick call?")
    assert checks.check_links(booking, CAMPAIGN).passed
    footer = "Quick call?\nTo unsubscribe, visit https://app.brightpath.example/unsubscribe/7.ab12"
    assert checks.check_links(draft(footer), CAMPAIGN, ["https://app.brightpath.example"]).passed
    # The same notice pointing elsewhere is phishing, compliance wording or not.
    phishing = footer.replace("app.brightpath.example", "evil.example")
    result = checks.check_links(draft(phishing), CAMPAIGN, ["https://app.brightpath.example"])
    assert not result.passed and "evil.example/unsubscribe" in result.detail


def test_a_placeholder_quoted_from_a_fact_is_no_leak() -> None:
    post = fact(
        "Maya wrote “Why {{ ref }} breaks our dbt builds”.",
        kind=FactKind.POST,
        title="Why {{ ref }} breaks our dbt builds",
    )
    body = "I read “Why {{ ref }} breaks our dbt builds”. Worth a call?"
    assert checks.check_placeholders(draft(body), CAMPAIGN, [post]).passed
    assert not checks.check_placeholders(draft(body), CAMPAIGN).passed


def test_the_senders_signature_is_spelt_as_the_campaign_gives_it() -> None:
    campaign = CAMPAIGN.model_copy(
        update={
            "sender": SenderProfile(
                name="Alex Rivera", company="Brightpath", signature="alex @ brightpath labs"
            )
        }
    )
    body = "Hi Maya, quick one. Worth a call?\n\nalex @ brightpath labs"
    assert check_wording(draft(body), LEAD, campaign, {}).passed
    assert not check_wording(draft(body.replace("Hi Maya, quick", "Hi Maya, brightpath is")),
                             LEAD, campaign, {}).passed  # fmt: skip


@pytest.mark.parametrize(
    ("body", "passed"),
    [
        ("Hallo zusammen, eine Frage.", True),
        ("Hi Team, quick question.", True),
        ("Hola Maya, una pregunta.", True),
        ("Bonjour Mme Okafor, une question.", True),
        ("Hola Lucía, una pregunta.", False),
        ("Sehr geehrter Herr Weber, eine Frage.", False),
    ],
)
def test_greetings_in_each_language_name_the_lead(body: str, passed: bool) -> None:
    assert checks.check_recipient_name(draft(body), LEAD).passed is passed
