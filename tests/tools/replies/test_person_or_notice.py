"""A person who mentions being away is still a person: their intent outranks the absence.

Without an automatic header, a text is an absence notice only when it asks nothing else, or
when it opens with the absence, is worded as a notice and what else it says is the notice's
own ("for urgent matters, contact Ana"). A wrong out_of_office pauses a live conversation.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tools.replies.reply_cases import assert_rules_ran, classify
from tools.replies import Intent, Referral

SIGNATURE = "\n\nBest,\nMaya Okafor\nVP Engineering | Northwind\nOut of office Fridays\n"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Interested! I'm travelling until Friday, can we do Monday?", Intent.MEETING_REQUEST),
        (
            "I'm out of office until Jan 4 but quick question: do you support GitLab?",
            Intent.QUESTION,
        ),
        (
            "I'm on vacation until the 10th - sounds interesting though, send me the deck.",
            Intent.INTERESTED,
        ),
        (
            "Thanks for your note. I'm out of the office until Jan 4 with limited access to "
            "email, but happy to talk after that: does Tuesday the 5th at 10am work?",
            Intent.MEETING_REQUEST,
        ),
        (
            "Estoy de viaje hasta el viernes, pero me interesa. ¿Hablamos el lunes a las 10?",
            Intent.MEETING_REQUEST,
        ),
        (
            "Ich bin bis Freitag unterwegs. Klingt spannend, schicken Sie mir Unterlagen.",
            Intent.INTERESTED,
        ),
        (
            "I'm on holiday until the 10th. Honestly we have no budget for this year.",
            Intent.OBJECTION,
        ),
        ("Sounds good, let's talk next week." + SIGNATURE, Intent.INTERESTED),
    ],
)
def test_a_person_s_intent_outranks_a_mention_of_being_away(text: str, intent: Intent) -> None:
    verdict = classify(text)
    assert_rules_ran(verdict)
    assert (verdict.intent, verdict.layer) == (intent, "rules")
    assert verdict.return_date is None


@pytest.mark.parametrize(
    ("text", "day", "referral"),
    [
        (
            "I am currently out of the office with limited access to email. I will be back on "
            "4 January.",
            dt.date(2027, 1, 4),
            None,
        ),
        ("Travelling until the 15th.", dt.date(2027, 1, 15), None),
        ("On vacation until after New Year's, back 1/4.", dt.date(2027, 1, 4), None),
        (
            "I'm out of office until January 5. For urgent matters please contact Ana Ruiz "
            "(ana.ruiz@northwind.example).",
            dt.date(2027, 1, 5),
            Referral(name="Ana Ruiz", email="ana.ruiz@northwind.example"),
        ),
        (
            "Estoy de vacaciones hasta el 7 de enero. Para temas urgentes, contacte con Lucía "
            "Ferrer: lucia.ferrer@northwind.example",
            dt.date(2027, 1, 7),
            Referral(name="Lucía Ferrer", email="lucia.ferrer@northwind.example"),
        ),
        (
            "Ich bin derzeit nicht im Büro. Ab Montag bin ich wieder erreichbar.",
            dt.date(2027, 1, 4),
            None,
        ),
    ],
)
def test_a_text_that_is_an_absence_notice_is_still_one_without_headers(
    text: str, day: dt.date, referral: Referral | None
) -> None:
    verdict = classify(text)
    assert (verdict.intent, verdict.layer) == (Intent.OUT_OF_OFFICE, "rules")
    assert verdict.return_date == day
    assert verdict.referral == referral


def test_an_automatic_header_keeps_the_absence_first() -> None:
    verdict = classify(
        "I'm travelling until Friday. Can we do Monday?",
        subject="Automatic reply: CI",
        headers={"Auto-Submitted": "auto-replied"},
    )
    assert (verdict.intent, verdict.layer) == (Intent.OUT_OF_OFFICE, "headers")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("We received your message last week - can we do Thursday at 3pm?", Intent.MEETING_REQUEST),
        (
            "We received your message and the team liked it - send me the deck.",
            Intent.INTERESTED,
        ),
        (
            "Thank you for contacting Acme Support. Your request (#48213) has been received.",
            Intent.AUTO_REPLY,
        ),
    ],
)
def test_a_machine_sounding_line_decides_only_when_it_is_the_message(
    text: str, intent: Intent
) -> None:
    assert classify(text).intent is intent
