"""Cases a review of the rule layer reproduced: a date read as a colleague's name, a bare
"out of office" read as an absence, and a proposed day read as a question."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tools.replies.reply_cases import assert_rules_ran, classify
from tools.replies import Intent, Referral
from tools.replies.phrase_search import fold
from tools.replies.referral_names import find_referral

AUTO = {"Auto-Submitted": "auto-replied"}

# 1. A referral names a person right after its cue, never a date.


def test_a_date_after_an_email_cue_is_not_a_colleague() -> None:
    verdict = classify(
        "Thanks for your note. I'm out of the office until Jan 4 with limited access to "
        "email, but happy to talk after that: does Tuesday Jan 5 at 10am work?"
    )
    assert_rules_ran(verdict)
    assert verdict.intent is Intent.MEETING_REQUEST
    assert verdict.referral is None


@pytest.mark.parametrize(
    "text",
    [
        "Try Thu at 10am?",
        "Email Jan 5 works too.",
        "Feel free to email me, or ask around: Priya thinks it's neat.",
        "Contacte el Miércoles a las 10.",
        "Escriba a Ene 12, por favor.",
        "Contactez Lundi 4 janvier, à 10h.",
        "Contactez Noël passé, pas avant.",
        "Kontaktieren Sie Mo-Fr 9-17 Uhr das Sekretariat.",
        "Wenden Sie sich an Weihnachten nicht an uns.",
        "Contate Segunda-feira às 10h.",
        "Fale com Amanhã de manhã.",
    ],
)
def test_calendar_words_and_far_off_names_are_not_referrals(text: str) -> None:
    found = find_referral(text, fold(text))
    assert found is None or found.referral is None or found.referral.name is None, found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Talk to Priya Raman instead, she runs security.", "Priya Raman"),
        ("You'll want to talk to our Head of Data, Ana Ruiz.", "Ana Ruiz"),
        ("Adding Dan, he owns our CI budget.", "Dan"),
        ("Not my area. Our CTO, Grace Okoye, handles vendor calls.", "Grace Okoye"),
        ("Talk to Jan Novak instead, he runs platform.", "Jan Novak"),
        ("No soy yo quien lleva esto. Habla con Javier Ortega.", "Javier Ortega"),
        ("Je transfère à ma collègue Sophie Bernard.", "Sophie Bernard"),
        ("Bitte wenden Sie sich an Herrn Florian Maier.", "Florian Maier"),
        ("Fala com a Juliana Costa, ela cuida disso.", "Juliana Costa"),
    ],
)
def test_a_name_right_after_or_before_a_cue_is_still_the_referral(text: str, name: str) -> None:
    found = find_referral(text, fold(text))
    assert found is not None and found.referral is not None
    assert found.referral.name == name


# 2. Without an automatic header, "out of office" must be someone's absence.


@pytest.mark.parametrize(
    "text",
    [
        "Out of office policy is not our problem, budget is.",
        "La política de fuera de la oficina no es el problema, el presupuesto sí.",
        "Absent du bureau ou pas, le problème c'est le budget.",
        "Das Problem ist nicht im Büro, sondern im Budget.",
        "A política de fora do escritório não é o problema, o orçamento é.",
    ],
)
def test_talking_about_out_of_office_is_not_an_absence(text: str) -> None:
    verdict = classify(text)
    assert_rules_ran(verdict)
    assert verdict.intent is not Intent.OUT_OF_OFFICE
    assert verdict.return_date is None


def test_an_out_of_office_policy_with_a_budget_reason_is_a_budget_objection() -> None:
    verdict = classify("Out of office policy is not our problem, budget is.")
    assert (verdict.intent, verdict.reason) == (Intent.OBJECTION, "budget")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("I'm out of the office.", None),
        ("I will be currently out of office, with no access to email.", None),
        ("Out of office until 4 January.", dt.date(2027, 1, 4)),
        ("Out of office - back Monday.", dt.date(2027, 1, 4)),
        ("Out of office.", None),
        ("Estoy fuera de la oficina.", None),
        ("Fuera de la oficina hasta el 7 de enero.", dt.date(2027, 1, 7)),
        ("Je suis absent du bureau.", None),
        ("Absente du bureau jusqu'au 8 janvier.", dt.date(2027, 1, 8)),
        ("Ich bin nicht im Büro.", None),
        ("Ich bin bis einschließlich 06.01.2027 nicht im Büro.", dt.date(2027, 1, 7)),
        ("Nicht im Büro bis 11.01.", dt.date(2027, 1, 11)),
        ("Estou fora do escritório.", None),
        ("Fora do escritório até 15/01/2027.", dt.date(2027, 1, 15)),
    ],
)
def test_a_first_person_or_dated_out_of_office_is_still_one(text: str, day: dt.date | None) -> None:
    verdict = classify(text)
    assert_rules_ran(verdict)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.return_date == day


@pytest.mark.parametrize(
    "subject", ["Automatic reply: Out of Office", "Out of Office: Re: Flaky CI at Northwind"]
)
def test_a_marked_notice_whose_subject_says_out_of_office_is_one(subject: str) -> None:
    verdict = classify("Thank you for your message.", subject=subject, headers=AUTO)
    assert verdict.intent is Intent.OUT_OF_OFFICE


# 3. A proposal to talk on a day is a meeting request, not a question.


@pytest.mark.parametrize(
    "text",
    [
        "This is timely, we are fighting flaky tests. Could we talk Thursday?",
        "could we talk Thursday?",
        "Can we chat on Monday?",
        "Shall we speak tomorrow?",
        "can we set up a call next week?",
        "are you free Tuesday at 3?",
        "Do you have time Friday?",
        "Could I call you tomorrow at 10?",
        "¿podemos hablar el jueves?",
        "¿Hablamos el martes?",
        "pouvons-nous en parler jeudi ?",
        "On peut s'appeler mardi ?",
        "können wir Donnerstag telefonieren?",
        "Haben Sie am Mittwoch Zeit?",
        "podemos conversar na quinta?",
        "Vamos falar na terça?",
    ],
)
def test_a_proposal_to_talk_on_a_day_is_a_meeting_request(text: str) -> None:
    verdict = classify(text)
    assert_rules_ran(verdict)
    assert verdict.intent is Intent.MEETING_REQUEST


@pytest.mark.parametrize(
    ("text", "intent", "reason"),
    [
        ("Can we talk about pricing?", Intent.QUESTION, None),
        ("Could we talk in March?", Intent.OBJECTION, "timing"),
        ("Sure, let's talk.", Intent.INTERESTED, None),
        ("¿Podemos hablar?", Intent.INTERESTED, None),
    ],
)
def test_talking_without_a_day_is_not_a_meeting_request(
    text: str, intent: Intent, reason: str | None
) -> None:
    verdict = classify(text)
    assert (verdict.intent, verdict.reason) == (intent, reason)


@pytest.mark.parametrize(
    "text",
    [
        "Could we talk?",
        "Pouvons-nous en parler ?",
        "Können wir telefonieren?",
        "Podemos conversar?",
        "We could talk Thursday about it internally, then decide.",
        "Guten Morgen, können wir das intern klären?",
    ],
)
def test_no_day_proposed_to_us_is_no_meeting_request(text: str) -> None:
    assert classify(text).intent is not Intent.MEETING_REQUEST


def test_an_out_of_office_naming_a_colleague_keeps_the_colleague() -> None:
    verdict = classify(
        "I'm out of the office until 4 January. For urgent matters please contact Ana Ruiz "
        "(ana.ruiz@northwind.example).",
        headers=AUTO,
    )
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.referral == Referral(name="Ana Ruiz", email="ana.ruiz@northwind.example")
