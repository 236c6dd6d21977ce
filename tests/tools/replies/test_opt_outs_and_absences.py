"""The intents that must never be missed: every opt-out wording, every absence and its end."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tools.replies.reply_cases import assert_rules_ran, classify
from tools.replies import Intent

RECEIVED = dt.datetime(2027, 4, 14, 12, 0, tzinfo=dt.UTC)  # a Wednesday
AUTO = {"Auto-Submitted": "auto-replied"}

OPT_OUTS = [
    "Can you take me off this list please",
    "unsubscribe pls",
    "Stop emailing me or I'll report this as spam.",
    "Kindly remove my email from your database.",
    "Hi, I'd rather not receive these emails. Thanks.",
    "Please don't contact me anymore.",
    "No more emails please.",
    "I'd like to be removed from your mailing list.",
    "I unsubscribed last month and I still get these.",
    "Remove. This address was scraped; under GDPR I request the erasure of my personal data.",
    "Gracias, pero por favor no me envíen más correos.",
    "Quiero que me den de baja de esta lista.",
    "Eliminad mi correo de vuestra base de datos.",
    "Je vous prie de supprimer mon adresse de votre fichier.",
    "Merci de ne plus m'envoyer de messages.",
    "Je ne souhaite plus recevoir vos messages.",
    "Bitte nehmen Sie mich aus dem Verteiler.",
    "Ich möchte nicht mehr kontaktiert werden.",
    "Löschen Sie bitte meine Daten.",
    "Por favor, não me enviem mais mensagens.",
    "Quero sair da lista.",
    "Me tira dessa lista, por favor.",
    "BAJA",
    "STOP",
    "Descadastrar",
    "Désinscription",
    "Abmelden bitte",
    "Hi Alex, thanks for reaching out. We are not looking at tools right now, and honestly "
    "I'd prefer you don't email me again. Good luck.",
]


@pytest.mark.parametrize("text", OPT_OUTS)
def test_every_opt_out_wording_is_an_unsubscribe(text: str) -> None:
    verdict = classify(text, received=RECEIVED)
    assert verdict.intent is Intent.UNSUBSCRIBE
    assert verdict.confidence >= 0.8


ABSENCES = [
    (
        "I am currently out of the office and will return on 19 April 2027.",
        AUTO,
        dt.date(2027, 4, 19),
    ),
    ("I'm away at the moment and checking email sporadically.", AUTO, None),
    (
        "I'll be out of the office starting April 14 and returning April 26.",
        {},
        dt.date(2027, 4, 26),
    ),
    (
        "Heads up - I'm on a customer visit until Wednesday next week (4/21).",
        {},
        dt.date(2027, 4, 21),
    ),
    ("Out today, back tomorrow.", {}, dt.date(2027, 4, 15)),
    ("I'm on vacation with no access to email. I'll be back Monday.", AUTO, dt.date(2027, 4, 19)),
    ("Gracias por tu mensaje. Estoy fuera hasta el lunes 19 de abril.", AUTO, dt.date(2027, 4, 19)),
    ("Me encuentro de baja hasta el 19 de abril inclusive.", AUTO, dt.date(2027, 4, 20)),
    ("Ahora mismo estoy de viaje, vuelvo el viernes.", {}, dt.date(2027, 4, 16)),
    ("Hola, estoy de viaje y vuelvo el martes 20.", {}, dt.date(2027, 4, 20)),
    ("Je suis actuellement absent. Je serai de retour lundi 19 avril.", AUTO, dt.date(2027, 4, 19)),
    ("Bonjour, je suis en congés jusqu'au 25 avril inclus.", AUTO, dt.date(2027, 4, 26)),
    ("Absent du bureau, retour prévu le vendredi 16/04.", {}, dt.date(2027, 4, 16)),
    ("En congés, je reprends le 26 avril.", {}, dt.date(2027, 4, 26)),
    ("Ich bin bis zum 19.04.2027 abwesend.", AUTO, dt.date(2027, 4, 19)),
    ("Ich befinde mich bis einschließlich 21. April im Urlaub.", AUTO, dt.date(2027, 4, 22)),
    (
        "Ich bin derzeit nicht im Büro. Ab Montag bin ich wieder erreichbar.",
        AUTO,
        dt.date(2027, 4, 19),
    ),
    ("Bin bis Freitag unterwegs.", {}, dt.date(2027, 4, 16)),
    (
        "Olá, estou fora do escritório até 19/04 com acesso limitado ao e-mail.",
        AUTO,
        dt.date(2027, 4, 19),
    ),
    ("Estarei de férias de 14/04 a 23/04, retornando no dia 26/04.", AUTO, dt.date(2027, 4, 26)),
    ("Estou viajando, volto amanhã.", {}, dt.date(2027, 4, 15)),
]


@pytest.mark.parametrize(("text", "headers", "day"), ABSENCES, ids=[a[0][:40] for a in ABSENCES])
def test_every_absence_is_an_out_of_office_with_its_return_day(
    text: str, headers: dict[str, str], day: dt.date | None
) -> None:
    verdict = classify(text, headers=headers, received=RECEIVED)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.return_date == day


SMS = {"From": "+1 555 0100"}


@pytest.mark.parametrize(
    ("text", "headers"),
    [
        ("Not interested. Stop.", {}),
        ("Please stop reaching out", {}),
        ("stop reaching out to me", {}),
        ("unsub", {}),
        ("Thanks for the note. Not for us. STOP", {}),
        ("take me off your list", {}),
        ("do not contact me again", {}),
        ("I can't unsubscribe, the link is broken.", {}),
        ("Ich kann mich nicht abmelden, der Link ist kaputt.", {}),
        ("We no longer want to receive these emails.", {}),
        ("Can you stop calling?", {}),
        ("no more texts", SMS),
        ("Remove my number", SMS),
        ("PARE", SMS),
        ("Bitte keine SMS mehr", SMS),
        ("No más mensajes, por favor", SMS),
        ("STOP SMS", SMS),
    ],
)
def test_the_opt_outs_a_review_found_missing_are_unsubscribes(
    text: str, headers: dict[str, str]
) -> None:
    subject = "" if headers is SMS else "Re: Flaky CI at Northwind"
    verdict = classify(text, subject=subject, headers=headers)
    assert (verdict.intent, verdict.layer) == (Intent.UNSUBSCRIBE, "rules")
    assert verdict.confidence >= 0.8


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Don't unsubscribe me", Intent.OTHER),
        ("Please don't remove me from the list, I read these.", Intent.OTHER),
        (
            "I tried to unsubscribe from Acme's newsletter but your product sounds interesting",
            Intent.INTERESTED,
        ),
        ("I keep getting your emails and I'm actually interested", Intent.INTERESTED),
        ("I keep getting these - can we do Thursday at 3pm?", Intent.MEETING_REQUEST),
        ("No me des de baja, me interesa", Intent.INTERESTED),
        ("Ne me désabonnez pas", Intent.OTHER),
        ("Bitte nicht abmelden", Intent.OTHER),
        ("Não me descadastre", Intent.OTHER),
        ("Je ne veux pas être désabonné, envoyez-moi la documentation.", Intent.INTERESTED),
        ("Take me off the thread, but loop in Priya (priya@northwind.example).", Intent.REFERRAL),
        (
            "Stop! This is exactly what we need. Can we talk Thursday at 2pm?",
            Intent.MEETING_REQUEST,
        ),
        ("We had to stop calling, so leads went cold. Does it work with HubSpot?", Intent.QUESTION),
        (
            "If you'd rather not receive these, reply STOP - is what your footer says. "
            "Funny. How much is it for 30 engineers?",
            Intent.QUESTION,
        ),
    ],
)
def test_negated_third_party_and_quoted_opt_out_words_do_not_unsubscribe(
    text: str, intent: Intent
) -> None:
    verdict = classify(text)
    assert_rules_ran(verdict)
    assert verdict.intent is intent


@pytest.mark.parametrize(
    "text",
    [
        "I keep getting your emails. Not interested.",
        "I keep getting these.",
        "I unsubscribed from your list twice and I still get these.",
    ],
)
def test_a_complaint_that_asks_for_nothing_else_is_an_unsubscribe(text: str) -> None:
    assert classify(text).intent is Intent.UNSUBSCRIBE


@pytest.mark.parametrize(
    ("text", "intent"),
    [("Yes", Intent.INTERESTED), ("YES", Intent.INTERESTED), ("START", Intent.OTHER)],
)
def test_sms_yes_and_start_are_never_an_unsubscribe(text: str, intent: Intent) -> None:
    """SMS "YES"/"START" are carriers' opt-in keywords. A person's "Yes" answers our ask and
    reads as interest (a rep calls back); "START" goes to a person as `other`. Neither is ever
    an opt-out."""
    verdict = classify(text, subject="", headers=SMS)
    assert_rules_ran(verdict)
    assert verdict.intent is intent
