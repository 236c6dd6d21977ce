"""Out-of-office replies in five languages: the day the sender is back, and who covers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tools.replies.reply_cases import RECEIVED, classify
from tools.replies import Intent, Referral

AUTO = {"Auto-Submitted": "auto-replied"}

RETURNS = {
    "en-back-on": ("I am on annual leave and back on Monday 4 January.", "en", dt.date(2027, 1, 4)),
    "es-de-vuelta": ("Estoy de vacaciones, de vuelta el 7 de enero.", "es", dt.date(2027, 1, 7)),
    "de-zurueck": ("Ich bin im Urlaub und zurück am 12.01.", "de", dt.date(2027, 1, 12)),
    "fr-de-retour": ("Je suis en congés, de retour le 5 janvier.", "fr", dt.date(2027, 1, 5)),
    "pt-retorno": ("Estou de férias, retorno em 8 de janeiro.", "pt", dt.date(2027, 1, 8)),
    "en-until": (
        "I'm out of the office until January 6 with no email access.",
        "en",
        dt.date(2027, 1, 6),
    ),
    "en-range": (
        "I am away from 23 December to 3 January. I will return on 4 January.",
        "en",
        dt.date(2027, 1, 4),
    ),
    "es-hasta": (
        "Estaré fuera de la oficina hasta el lunes 11 de enero.",
        "es",
        dt.date(2027, 1, 11),
    ),
    "es-numeric": (
        "Ausente del 24/12 al 08/01. Regreso el 11/01/2027.",
        "es",
        dt.date(2027, 1, 11),
    ),
    "fr-jusqu": ("Je suis absente du bureau jusqu'au 8 janvier inclus.", "fr", dt.date(2027, 1, 9)),
    "fr-numeric": ("Absent du 21/12 au 03/01 inclus.", "fr", dt.date(2027, 1, 4)),
    "de-bis-einschl": (
        "Ich bin bis einschließlich 06.01.2027 nicht im Büro.",
        "de",
        dt.date(2027, 1, 7),
    ),
    "de-ab-wieder": ("Ab dem 11. Januar bin ich wieder erreichbar.", "de", dt.date(2027, 1, 11)),
    "pt-ate": ("Estou fora do escritório até 15/01/2027.", "pt", dt.date(2027, 1, 15)),
    "pt-volto-dia": ("Estou de licença e volto no dia 20 de janeiro.", "pt", dt.date(2027, 1, 20)),
    "weekday": (
        "I'm out until Thursday with limited access to email.",
        "en",
        dt.date(2026, 12, 31),
    ),
    "tomorrow": ("I'm off today, I'll get back to you tomorrow.", "en", dt.date(2026, 12, 29)),
    "day-only": ("Travelling until the 5th and mostly offline.", "en", dt.date(2027, 1, 5)),
    "us-order": ("On vacation until after New Year's, back 1/4.", "en", dt.date(2027, 1, 4)),
    "year-end": ("Out of office until 30/12.", "en", dt.date(2026, 12, 30)),
    "office-closed": (
        "Our offices are closed from 24 December to 1 January and reopen on 4 January.",
        "en",
        dt.date(2027, 1, 4),
    ),
}


@pytest.mark.parametrize(("text", "language", "day"), RETURNS.values(), ids=RETURNS.keys())
def test_the_return_date_is_read_in_the_senders_language(
    text: str, language: str, day: dt.date
) -> None:
    verdict = classify(text, subject="Automatic reply: CI", headers=AUTO)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.return_date == day
    assert verdict.language == language
    assert not verdict.needs_person


def test_an_out_of_office_without_headers_is_still_one() -> None:
    verdict = classify("Hi - I'm travelling until the 8th and mostly offline. Will read this then.")
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.layer == "rules"
    assert verdict.return_date == dt.date(2027, 1, 8)


def test_an_out_of_office_without_a_date_has_none() -> None:
    verdict = classify(
        "I am currently out of the office with limited access to email.", headers=AUTO
    )
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.return_date is None


@pytest.mark.parametrize(
    ("text", "referral"),
    [
        (
            "I'm out of office until January 5. For urgent matters please contact "
            "Ana Ruiz (ana.ruiz@northwind.example).",
            Referral(name="Ana Ruiz", email="ana.ruiz@northwind.example"),
        ),
        (
            "Estoy de vacaciones hasta el 7 de enero. Para temas urgentes, contacte con "
            "Lucía Ferrer: lucia.ferrer@northwind.example",
            Referral(name="Lucía Ferrer", email="lucia.ferrer@northwind.example"),
        ),
        (
            "Je suis absent jusqu'au 6 janvier. En cas d'urgence, contactez mon collègue "
            "Hugo Martin (hugo.martin@northwind.example).",
            Referral(name="Hugo Martin", email="hugo.martin@northwind.example"),
        ),
        (
            "Ich bin bis zum 8. Januar im Urlaub. In dringenden Fällen wenden Sie sich bitte an "
            "Frau Katrin Schulz (k.schulz@northwind.example).",
            Referral(name="Katrin Schulz", email="k.schulz@northwind.example"),
        ),
        (
            "Estou de férias até 11/01. Em caso de urgência, fale com a Beatriz Souza.",
            Referral(name="Beatriz Souza", email=None),
        ),
    ],
)
def test_an_out_of_office_that_names_a_colleague_offers_the_colleague(
    text: str, referral: Referral
) -> None:
    verdict = classify(text, headers=AUTO)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.referral == referral


@pytest.mark.parametrize(
    "text",
    [
        "I'm on leave until 4 January. If urgent, please contact reception@northwind.example.",
        "Ich bin im Urlaub. In dringenden Fällen wenden Sie sich an unser Sekretariat unter +49 30 123.",
    ],
)
def test_a_role_mailbox_or_switchboard_is_not_a_referral(text: str) -> None:
    verdict = classify(text, headers=AUTO)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.referral is None


def test_an_apology_for_a_past_absence_is_not_an_out_of_office() -> None:
    verdict = classify(
        "Sorry for the slow reply, I was out of office last week. Does Thursday at 2pm work?"
    )
    assert verdict.intent is Intent.MEETING_REQUEST


def test_the_date_header_stands_in_for_a_missing_received_time() -> None:
    verdict = classify(
        "I'm out until Monday.",
        headers={**AUTO, "Date": "Wed, 06 Jan 2027 10:00:00 +0000"},
        received=None,
    )
    assert verdict.return_date == dt.date(2027, 1, 11)


def test_return_dates_are_relative_to_when_the_reply_arrived() -> None:
    later = RECEIVED + dt.timedelta(days=60)
    verdict = classify("Out of office until 4 January.", headers=AUTO, received=later)
    assert verdict.return_date == dt.date(2028, 1, 4)


@pytest.mark.parametrize(
    "text",
    [
        "Out of office policy is not our problem, budget is.",
        "Das Problem ist nicht im Büro, sondern im Budget.",
    ],
)
def test_out_of_office_as_a_topic_is_no_absence_without_a_person_or_a_date(text: str) -> None:
    verdict = classify(text)
    assert verdict.intent is not Intent.OUT_OF_OFFICE


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("I'm out of the office until January 6.", dt.date(2027, 1, 6)),
        ("Out of office - back on 5 January.", dt.date(2027, 1, 5)),
        ("Nicht im Büro bis 11.01.", dt.date(2027, 1, 11)),
    ],
)
def test_out_of_office_in_the_first_person_or_with_a_date_is_one_without_headers(
    text: str, day: dt.date
) -> None:
    verdict = classify(text)
    assert (verdict.intent, verdict.layer, verdict.return_date) == (
        Intent.OUT_OF_OFFICE,
        "rules",
        day,
    )
