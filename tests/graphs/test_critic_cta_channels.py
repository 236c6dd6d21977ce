"""The call to action a reader expects on each channel, in each tone and language, is read as
one; a message that asks for nothing (or only carries a compliance line) is not."""

from __future__ import annotations

import pytest

from graphs.context import CriticSettings, Thresholds
from graphs.critic.cta_checks import check_call_to_action
from graphs.critic.review import critique
from graphs.critic.thread_checks import check_calls_to_action
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, CampaignCopy, Channel, Lead

PITCH = {
    "en": "Brightpath flags flaky tests before they block merges.",
    "es": "Brightpath detecta los tests inestables antes de que bloqueen los merges.",
    "fr": "Brightpath repère les tests instables avant qu'ils ne bloquent les merges.",
    "de": "Brightpath erkennt instabile Tests, bevor sie Merges blockieren.",
}


def draft(body: str, tone: Tone = Tone.PROFESSIONAL) -> Variant:
    return Variant(tone=tone, body=body)


@pytest.mark.parametrize(
    ("channel", "language", "ask"),
    [
        (Channel.LINKEDIN, "en", "Would love to connect."),
        (Channel.LINKEDIN, "en", "Happy to connect if useful."),
        (Channel.LINKEDIN, "en", "Open to connecting?"),
        (Channel.EMAIL, "en", "Would it be useful to see how Tallyfold could cut that queue?"),
        (Channel.EMAIL, "en", "Worth a look?"),
        (Channel.EMAIL, "en", "Does that sound useful?"),
        (Channel.EMAIL, "en", "Want me to send over the benchmark?"),
        (Channel.EMAIL, "en", "Shall I send the numbers?"),
        (Channel.EMAIL, "en", "Any interest in a two-week pilot?"),
        (Channel.EMAIL, "en", "Is this on your radar for Q1?"),
        (Channel.EMAIL, "en", "Could I show you the report on your own pipeline?"),
        (Channel.EMAIL, "en", "Let me know if a quick call makes sense."),
        (Channel.SMS, "en", "Quick call this week?"),
        (Channel.SMS, "en", "Free Thu at 2?"),
        (Channel.EMAIL, "es", "¿Te parece si hablamos 15 minutos la próxima semana?"),
        (Channel.SMS, "es", "¿Tendría sentido una llamada?"),
        (Channel.EMAIL, "fr", "Seriez-vous disponible pour un échange de 15 minutes ?"),
        (Channel.LINKEDIN, "fr", "Un appel la semaine prochaine ?"),
        (Channel.EMAIL, "de", "Hätten Sie nächste Woche 15 Minuten für ein Gespräch?"),
        (Channel.SMS, "de", "Passt Ihnen ein kurzer Austausch?"),
        (Channel.EMAIL, "en", "Who on your team owns CI?"),
        (Channel.EMAIL, "en", "Is build speed on your list for next quarter?"),
        (Channel.EMAIL, "es", "¿Quién de tu equipo se encarga del CI?"),
        (Channel.EMAIL, "fr", "Qui dans votre équipe s'occupe de la CI ?"),
        (Channel.EMAIL, "de", "Wer in Ihrem Team kümmert sich um die CI?"),
    ],
)
@pytest.mark.parametrize("tone", list(Tone))
def test_a_channel_normal_ask_is_a_call_to_action(
    channel: Channel, language: str, ask: str, tone: Tone
) -> None:
    body = f"{PITCH[language]} {ask}"
    result = check_call_to_action(draft(body, tone), channel, None, language)
    assert result.passed, result.detail
    assert ask in result.detail


@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("en", "Teams cut pipeline time by a third.\n\nBest regards,\nAlex Rivera"),
        ("en", "Some engineers call flaky tests a tax on every merge."),
        ("en", "Ever wondered why your CI calls take so long? We fix that."),
        ("es", "Reducimos el tiempo de CI a la mitad.\n\nUn saludo,\nAlex"),
        ("fr", "Nous réduisons le temps de CI de moitié.\n\nCordialement,\nAlex"),
        ("de", "Wir halbieren die CI-Zeit. Warum dauern Builds so lange?\n\nViele Grüße\nAlex"),
    ],
)
def test_a_message_that_asks_for_nothing_fails(channel: Channel, language: str, body: str) -> None:
    result = check_call_to_action(draft(body), channel, None, language)
    assert not result.passed and result.detail.startswith("no call to action")


def test_a_rhetorical_question_is_named_as_no_ask() -> None:
    result = check_call_to_action(draft("Ever wondered why builds are slow? We know."))
    assert not result.passed
    assert "'Ever wondered why builds are slow?' asks for nothing" in result.detail


def test_connecting_is_an_ask_on_linkedin_not_in_an_email() -> None:
    body = "Hi Maya, your monorepo post was great. Happy to connect if useful."
    assert check_call_to_action(draft(body), Channel.LINKEDIN).passed
    assert not check_call_to_action(draft(body), Channel.EMAIL).passed


def test_a_tone_has_its_own_asks() -> None:
    friendly = "Loved the monorepo post. Fancy swapping notes when you are in Berlin?"
    assert check_call_to_action(draft(friendly, Tone.FRIENDLY), Channel.EMAIL).passed
    assert not check_call_to_action(draft(friendly, Tone.DIRECT), Channel.EMAIL).passed
    direct = "Brightpath halves CI time. Interested?"
    assert check_call_to_action(draft(direct, Tone.DIRECT), Channel.SMS).passed
    assert not check_call_to_action(draft(direct, Tone.PROFESSIONAL), Channel.SMS).passed


def test_the_campaigns_own_ask_counts_in_any_language() -> None:
    campaign = Campaign(
        value_proposition="x",
        call_to_action="Zeit für eine kurze Demo nächste Woche?",
        translations={
            "es": CampaignCopy(value_proposition="x", call_to_action="¿Lo vemos juntos?")
        },
    )
    german = "Wir halbieren die CI-Zeit. Zeit für eine kurze Demo nächste Woche?"
    assert check_call_to_action(draft(german), Channel.EMAIL, campaign, "de").passed
    spanish = "Reducimos el tiempo de CI. ¿Lo vemos juntos?"
    assert check_call_to_action(draft(spanish), Channel.EMAIL, campaign, "es").passed


def test_an_opt_out_line_is_no_call_to_action() -> None:
    compliant = "Maya, Alex from Brightpath. We cut CI time by a third.\nReply STOP to opt out."
    result = check_call_to_action(draft(compliant, Tone.DIRECT), Channel.SMS)
    assert not result.passed and result.detail == "no call to action"
    asked = "Maya, Alex from Brightpath. Quick call this week?\nReply STOP to opt out."
    assert check_call_to_action(draft(asked, Tone.DIRECT), Channel.SMS).passed


def test_a_quoted_question_is_neither_an_ask_nor_one_too_many() -> None:
    body = (
        "I read your post “Is CI too slow?” and “Are flaky tests a tax?”. "
        "Do you see it too? Worth a 15-minute call?"
    )
    result = check_call_to_action(draft(body), Channel.EMAIL)
    assert result.passed, result.detail
    quoted = "I read your post “Is CI too slow?”. We fix that.\n\nBest,\nAlex"
    assert not check_call_to_action(draft(quoted), Channel.EMAIL).passed


def test_a_compliant_sms_with_a_real_ask_passes_every_wording_check() -> None:
    lead = Lead(name="Maya Okafor", company="Northwind Robotics")
    campaign = Campaign(value_proposition=PITCH["en"], channel=Channel.SMS)
    body = (
        "Hi Maya, Alex from Brightpath. Brightpath flags flaky tests before they block merges. "
        "Quick call this week?\nReply STOP to opt out."
    )
    verdict = critique(
        Variant(tone=Tone.DIRECT, body=body),
        lead=lead, campaign=campaign, facts=[], settings=CriticSettings(),
        thresholds=Thresholds(), unpersonalized=True,
    )  # fmt: skip
    mine = {
        "call_to_action", "spam_phrases", "tone", "links", "placeholders", "wording", "language",
        "recipient_name",
    }  # fmt: skip
    failed = {c.name for c in verdict.checks if not c.passed}
    assert not failed & mine, verdict.issues
    assert "language" in {c.name for c in verdict.checks}


def test_a_follow_ups_opt_out_line_is_not_a_second_ask() -> None:
    body = "Maya, one more idea on CI. Quick call this week?\nReply STOP to opt out."
    result = check_calls_to_action(Variant(tone=Tone.DIRECT, body=body))
    assert result.passed and result.detail == "1 call to action"
    two = body.replace("Quick call", "Want the report? Quick call")
    assert not check_calls_to_action(Variant(tone=Tone.DIRECT, body=two)).passed
