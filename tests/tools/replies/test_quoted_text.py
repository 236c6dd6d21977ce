"""Only the sender's own words count: quoted mail and signatures are dropped, in five languages."""

from __future__ import annotations

import pytest

from tests.tools.replies.reply_cases import OUR_MESSAGE_PLAIN, OUR_MESSAGE_QUOTED, classify
from tools.replies import Intent, ReplyText, own_words, read_reply

ATTRIBUTIONS = {
    "gmail-en": "On Mon, Dec 21, 2026 at 9:14 AM Alex Rivera <alex@brightpath.example> wrote:",
    "gmail-en-wrapped": "On Mon, Dec 21, 2026 at 9:14 AM Alex Rivera <\nalex@brightpath.example> wrote:",
    "apple-en": "On 21 Dec 2026, at 09:14, Alex Rivera <alex@brightpath.example> wrote:",
    "gmail-es": "El lun, 21 dic 2026 a las 9:14, Alex Rivera (<alex@brightpath.example>) escribió:",
    "gmail-fr": "Le lun. 21 déc. 2026 à 09:14, Alex Rivera <alex@brightpath.example> a écrit :",
    "gmail-de": "Am Mo., 21. Dez. 2026 um 09:14 Uhr schrieb Alex Rivera <alex@brightpath.example>:",
    "apple-de": "Am 21.12.2026 um 09:14 schrieb Alex Rivera <alex@brightpath.example>:",
    "gmail-pt": "Em seg., 21 de dez. de 2026 às 09:14, Alex Rivera <alex@brightpath.example> escreveu:",
    "pt-pt": "A segunda, 21/12/2026, 09:14, Alex Rivera <alex@brightpath.example> escreveu:",
}


@pytest.mark.parametrize("attribution", ATTRIBUTIONS.values(), ids=ATTRIBUTIONS.keys())
def test_a_quote_introduced_in_any_language_is_not_the_senders_words(attribution: str) -> None:
    text = f"Thanks, we already use Buildkite for this.\n\n{attribution}\n{OUR_MESSAGE_QUOTED}"
    assert own_words(text) == "Thanks, we already use Buildkite for this."


OUTLOOK_BLOCKS = {
    "en": "From: Alex Rivera <alex@brightpath.example>\nSent: Monday, December 21, 2026 9:14 AM\n"
    "To: Maya Okafor <maya@northwind.example>\nSubject: Flaky CI at Northwind",
    "es": "De: Alex Rivera <alex@brightpath.example>\nEnviado el: lunes, 21 de diciembre de 2026 9:14\n"
    "Para: Maya Okafor\nAsunto: CI inestable",
    "fr": "De : Alex Rivera <alex@brightpath.example>\nEnvoyé : lundi 21 décembre 2026 09:14\n"
    "À : Maya Okafor\nObjet : CI instable",
    "de": "Von: Alex Rivera <alex@brightpath.example>\nGesendet: Montag, 21. Dezember 2026 09:14\n"
    "An: Maya Okafor\nBetreff: Instabile CI",
    "pt": "De: Alex Rivera <alex@brightpath.example>\nEnviada em: segunda-feira, 21 de dezembro de "
    "2026 09:14\nPara: Maya Okafor\nAssunto: CI instável",
    "bold": "*From:* Alex Rivera <alex@brightpath.example>\n*Sent:* Monday, December 21, 2026\n"
    "*Subject:* Flaky CI",
    "original": "-----Original Message-----\nFrom: Alex Rivera\nSent: Monday",
    "ursprünglich": "-----Ursprüngliche Nachricht-----\nVon: Alex Rivera",
    "mensaje": "----- Mensaje original -----\nDe: Alex Rivera",
    "separator": "________________________________\nFrom: Alex Rivera",
}


@pytest.mark.parametrize("block", OUTLOOK_BLOCKS.values(), ids=OUTLOOK_BLOCKS.keys())
def test_an_outlook_header_block_starts_the_quote(block: str) -> None:
    text = f"Not now, maybe next quarter.\n\n{block}\n\n{OUR_MESSAGE_PLAIN}"
    assert own_words(text) == "Not now, maybe next quarter."


SIGNATURES = {
    "dash": "Sounds useful, tell me more.\n-- \nMaya Okafor\nBook a meeting with me: https://cal.x",
    "iphone": "Sounds useful, tell me more.\n\nSent from my iPhone",
    "es-iphone": "Sounds useful, tell me more.\n\nEnviado desde mi iPhone",
    "fr-iphone": "Sounds useful, tell me more.\n\nEnvoyé de mon iPhone",
    "de-iphone": "Sounds useful, tell me more.\n\nVon meinem iPhone gesendet",
    "pt-iphone": "Sounds useful, tell me more.\n\nEnviado do meu iPhone",
    "outlook-mobile": "Sounds useful, tell me more.\n\nGet Outlook for Android",
    "closing": "Sounds useful, tell me more.\n\nBest,\nMaya Okafor\nVP Engineering | Northwind\n"
    "Schedule time with me: https://cal.example/maya\nUnsubscribe from our newsletter",
    "grüße": "Sounds useful, tell me more.\n\nViele Grüße\nDr. Anja Roth\nLeiterin IT\n"
    "Tel. +49 40 555 0182",
}


@pytest.mark.parametrize("text", SIGNATURES.values(), ids=SIGNATURES.keys())
def test_signatures_are_dropped(text: str) -> None:
    assert own_words(text).startswith("Sounds useful, tell me more.")
    assert "cal.example" not in own_words(text) and "Unsubscribe" not in own_words(text)


def test_quoted_lines_are_skipped_but_inline_answers_are_kept() -> None:
    text = "> Which CI do you use?\nGitHub Actions, mostly.\n> Worth a call?\nNot this month."
    assert own_words(text) == "GitHub Actions, mostly.\nNot this month."


def test_a_closing_word_inside_the_reply_does_not_cut_what_follows() -> None:
    text = "Thanks,\nplease remove me from your list.\n\nMaya"
    assert "remove me" in own_words(text)


def test_a_reply_that_quotes_our_call_offer_is_not_a_meeting_request() -> None:
    verdict = classify(f"Thanks.\n\n{ATTRIBUTIONS['gmail-en']}\n{OUR_MESSAGE_QUOTED}")
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person


def test_a_reply_that_quotes_our_unsubscribe_line_is_not_an_opt_out() -> None:
    verdict = classify(
        f"Interesting, tell me more.\n\n{OUTLOOK_BLOCKS['en']}\n\n{OUR_MESSAGE_PLAIN}"
    )
    assert verdict.intent is Intent.INTERESTED
    assert "Unsubscribe" not in verdict.evidence


def test_html_only_mail_is_read_without_its_blockquote() -> None:
    html = (
        "<html><body><div dir='ltr'>Yes, Tuesday at 10am works for me.<br></div>"
        "<div class='gmail_quote'><div class='gmail_attr'>On Mon, Dec 21, 2026 Alex wrote:</div>"
        "<blockquote>Book a call here. <a href='#'>Unsubscribe here</a></blockquote></div>"
        "</body></html>"
    )
    reply = ReplyText(subject="Re: CI", text="", html=html)
    assert read_reply(reply).text == "Yes, Tuesday at 10am works for me."
    verdict = classify("", html=html)
    assert verdict.intent is Intent.MEETING_REQUEST
    assert verdict.evidence == "Yes, Tuesday at 10am works for me."


def test_html_pasted_into_the_text_part_is_read_as_html() -> None:
    verdict = classify(
        "<div>Please remove me from your list.</div><blockquote>Book a call</blockquote>"
    )
    assert verdict.intent is Intent.UNSUBSCRIBE


def test_outlook_html_reply_drops_the_message_below_its_header_block() -> None:
    html = (
        "<div>Kein Interesse, danke.</div><div id='divRplyFwdMsg'><b>Von:</b> Alex Rivera</div>"
        "<div>Hätten Sie nächste Woche Zeit für ein kurzes Gespräch? Termin buchen</div>"
    )
    verdict = classify("", html=html)
    assert verdict.intent is Intent.NOT_INTERESTED
    assert verdict.language == "de"


POSTSCRIPTS = {
    "en": ("Thanks,\nAna\n\nP.S. please remove me from your list", "P.S. please remove me"),
    "en-ps": ("Best,\nAna Ruiz\nHead of Data\n\nPS: not a fit for us", "PS: not a fit for us"),
    "en-pps": ("Thanks,\nAna\n\nP.S. one thing\nP.P.S. and another", "P.P.S. and another"),
    "es": ("Saludos,\nAna\n\nPD: por favor, dadme de baja", "PD: por favor, dadme de baja"),
    "es-dotted": ("Gracias,\nAna\n\nP.D. no me interesa", "P.D. no me interesa"),
    "fr": ("Cordialement,\nAnne\n\nP.-S. merci de me désinscrire", "P.-S. merci de me désinscrire"),
    "de": ("Viele Grüße\nAnja\n\nPS: Bitte austragen.", "PS: Bitte austragen."),
    "de-nb": ("Danke\nAnja\n\nNB: kein Interesse", "NB: kein Interesse"),
    "pt": ("Obrigado,\nAna\n\nP.S. não tenho interesse", "P.S. não tenho interesse"),
    "pt-obs": ("Abraços,\nAna\n\nObs.: me descadastre", "Obs.: me descadastre"),
}


@pytest.mark.parametrize(("text", "kept"), POSTSCRIPTS.values(), ids=POSTSCRIPTS.keys())
def test_a_postscript_after_the_closing_is_the_senders_words(text: str, kept: str) -> None:
    words = own_words(text)
    assert kept in words
    assert words.startswith(text.split("\n", 1)[0])  # the closing line stays as well


def test_the_signature_between_closing_and_postscript_is_still_dropped() -> None:
    text = "Thanks,\nAna Ruiz\nVP Data | Northwind\nBook a meeting: https://cal.example\n\nPS: no"
    assert own_words(text) == "Thanks,\n\nPS: no"


def test_a_postscript_below_a_signature_delimiter_is_kept() -> None:
    text = "Sounds good.\n-- \nAna Ruiz\nCEO\n\nP.S. please take me off your list"
    assert own_words(text) == "Sounds good.\nP.S. please take me off your list"


def test_a_postscript_does_not_bring_back_the_quote_below_it() -> None:
    attribution = ATTRIBUTIONS["gmail-en"]
    text = f"Thanks,\nAna\n\nP.S. see you\n\n{attribution}\n{OUR_MESSAGE_QUOTED}"
    words = own_words(text)
    assert words == "Thanks,\n\nP.S. see you"
    assert "Unsubscribe" not in own_words(text, keep_sign_off=True)


def test_a_word_starting_like_a_postscript_is_a_name() -> None:
    assert own_words("Thanks,\nObsidian Ray\n\nPsst Labs\nNB Analytics GmbH") == "Thanks,"


ONE_WORD_OPT_OUTS = {
    "en": "Thanks\nUnsubscribe",
    "en-stop": "Thanks\nSTOP",
    "en-remove": "Thanks,\nRemove Me",
    "es": "Gracias\nBaja",
    "fr": "Merci\nDésabonner",
    "de": "Danke\nAbmelden",
    "pt": "Obrigado\nDescadastrar",
}


@pytest.mark.parametrize("text", ONE_WORD_OPT_OUTS.values(), ids=ONE_WORD_OPT_OUTS.keys())
def test_a_one_word_opt_out_after_a_closing_is_not_a_signature(text: str) -> None:
    assert own_words(text) == text
