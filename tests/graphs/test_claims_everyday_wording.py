"""Everyday wording that is no claim about the lead passes the grounding check, and the same
shapes with a wrong detail still fail (issue 21: false alarms a reviewer found).

Accents left out of a name, a date written in digits, a plural weekday or title, a figure of
speech with "the only", and a time that says when the sender acted.
"""

from __future__ import annotations

from datetime import date

import pytest

from graphs.critic.language_checks import language_problems
from graphs.lead import Campaign, Lead
from tests.factories import fact
from tests.graphs.claim_grounding import grounding_of
from tools.facts import FactKind

TODAY = date(2026, 11, 20)
LEAD = Lead(name="Maya Chen", company="Northwind Robotics", title="VP Engineering",
            email="maya@northwind.example")  # fmt: skip
CAMPAIGN = Campaign(
    name="ci",
    value_proposition="Brightpath shows which builds slow CI down. Teams usually cut pipeline "
    "time by a third.",
    call_to_action="Worth a 15-minute call next week?",
    sender={"name": "Alex Rivera", "company": "Brightpath", "title": "Head of Partnerships"},
    target={"keywords": ["CI"]},
)
FACTS = [
    fact("Northwind Robotics opened an office in Kraków on 2026-09-17.", kind=FactKind.NEWS,
         title="Northwind opens Kraków office", published=date(2026, 9, 17)),
    fact("Northwind Robotics lists 9 open roles (6 Engineering, 3 Sales).", kind=FactKind.HIRING),
    fact("Maya Chen wrote “Our flaky test budget” on 2026-05-04.", kind=FactKind.POST,
         title="Our flaky test budget", published=date(2026, 5, 4)),
]  # fmt: skip


def verdict(body: str) -> tuple[bool, str]:
    result = grounding_of(body, "en", lead=LEAD, facts=FACTS, campaign=CAMPAIGN, today=TODAY)
    return result.passed, result.detail


@pytest.mark.parametrize(
    "body",
    [
        "Congrats on the new Krakow office.",
        "Congrats on the Kraków office you opened on 17.09.2026.",
        "Congrats on the Kraków office you opened on 9/17.",
        "Congrats on the Kraków office you opened on 17/09/2026.",
        "The only way to know is to measure it.",
        "Our team meets on Mondays to review pipelines.",
        "CTOs and VPs often tell us CI is the bottleneck.",
        "I wrote to you last week about CI.",
        "We spoke to a few platform teams last month about CI.",
    ],
)
def test_everyday_wording_is_not_an_unsupported_claim(body: str) -> None:
    passed, detail = verdict(body)
    assert passed, detail


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("Congrats on the new Warsaw office.", "Warsaw"),
        ("Congrats on the Kraków office you opened on 18.09.2026.", "18.09.2026"),
        ("Congrats on the Kraków office you opened on 9/18.", "9/18"),
        ("Northwind is the only robotics company to open in Kraków.", "only"),
        ("I loved your post last week.", "last week"),
        ("Your post from last week stuck with me.", "last week"),
    ],
)
def test_the_same_shapes_with_a_wrong_detail_still_fail(body: str, named: str) -> None:
    passed, detail = verdict(body)
    assert not passed and named in detail, detail


def test_a_fraction_is_not_read_as_a_date() -> None:
    _, detail = verdict("Teams usually cut pipeline time by a third, about 1/3.")
    assert "date" not in detail, detail


OFFICE = [
    fact("Northwind Robotics opened its second office, in Munich, on 2026-09-17.",
         kind=FactKind.NEWS, title="Northwind opens second office in Munich",
         published=date(2026, 9, 17)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "language", "right"),
    [
        ("Glückwunsch zum zweiten Büro in München.", "de", True),
        ("Enhorabuena por la segunda oficina en Múnich.", "es", True),
        ("Félicitations pour votre deuxième bureau à Munich.", "fr", True),
        ("Glückwunsch zum dritten Büro in München.", "de", False),
        ("Enhorabuena por la tercera oficina en Múnich.", "es", False),
    ],
)
def test_a_rank_translated_from_english_facts_is_checked_by_its_number(
    body: str, language: str, right: bool
) -> None:
    result = grounding_of(body, language, lead=LEAD, facts=OFFICE, campaign=CAMPAIGN, today=TODAY)
    assert result.passed is right, result.detail


ROUND = [
    fact("Tallyfold published “Tallyfold lève 20 millions d'euros en série B” on 2026-05-07.",
         kind=FactKind.NEWS, title="Tallyfold lève 20 millions d'euros en série B",
         published=date(2026, 5, 7)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "language", "right"),
    [
        ("J'ai vu l'annonce du 7 mai : « Tallyfold lève 20 millions d'euros en série B ».", "fr",
         True),
        ("J'ai vu l'annonce du 9 mai : « Tallyfold lève 20 millions d'euros en série B ».", "fr",
         False),
        ("Bravo pour la série B. Connectons-nous ici.", "fr", True),
        ("Bravo pour la série C.", "fr", False),
        ("Glückwunsch zur Series B von Tallyfold.", "de", True),
        ("Glückwunsch zur Series C von Tallyfold.", "de", False),
    ],
)  # fmt: skip
def test_french_months_rounds_and_verbs_are_read_as_such(
    body: str, language: str, right: bool
) -> None:
    result = grounding_of(body, language, lead=LEAD, facts=ROUND, campaign=CAMPAIGN, today=TODAY)
    assert result.passed is right, result.detail


def test_german_everyday_nouns_and_abbreviated_dates_are_neither_names_nor_sentence_ends() -> None:
    body = (
        "Ich hake noch einmal wegen meiner E-Mail nach, mit einem guten Argument für Brightpath. "
        "Auch die Meldung vom 17. Sept. habe ich gesehen."
    )
    result = grounding_of(body, "de", lead=LEAD, facts=FACTS, campaign=CAMPAIGN, today=TODAY)
    assert result.passed, result.detail
    assert language_problems(body, language="de") == []


@pytest.mark.parametrize(
    "body", ["Avíseme si algún día le encaja.", "Respóndeme si pasa a ser una prioridad."]
)
def test_a_spanish_verb_with_its_pronoun_attached_is_no_name(body: str) -> None:
    result = grounding_of(body, "es", lead=LEAD, facts=FACTS, campaign=CAMPAIGN, today=TODAY)
    assert result.passed, result.detail


@pytest.mark.parametrize(
    ("body", "language", "right"),
    [
        ("Je vous propose deux créneaux mardi ou jeudi.", "fr", True),
        ("Je n'ai rien de neuf à vous annoncer.", "fr", True),
        ("Quoi de neuf chez Northwind Robotics ?", "fr", True),
        ("Northwind Robotics a neuf postes ouverts.", "fr", True),  # the facts say 9
        ("Northwind Robotics a huit postes ouverts.", "fr", False),
        ("Hola, Maya. Soy Alex, de Brightpath.", "es", True),
        ("Hola, Maya. Soy Alex, de Brightpath y Zephyrcon.", "es", False),
    ],
)
def test_offers_greetings_and_new_are_not_claims(body: str, language: str, right: bool) -> None:
    result = grounding_of(body, language, lead=LEAD, facts=FACTS, campaign=CAMPAIGN, today=TODAY)
    assert result.passed is right, result.detail


@pytest.mark.parametrize(
    ("body", "right"),
    [
        ("Most teams see this in March, when budgets reset.", True),
        ("Most teams I talk to plan budgets in March.", True),
        ("Your March launch went well.", False),
        ("Most teams at Northwind Robotics launched in March.", False),
        ("Many platform teams plan budgets in March, and yours launched in June.", False),
    ],
)
def test_a_month_said_of_teams_in_general_is_no_claim_about_the_lead(
    body: str, right: bool
) -> None:
    passed, detail = verdict(body)
    assert passed is right, detail


@pytest.mark.parametrize(
    ("body", "language", "right"),
    [
        # A meeting with the lead is a claim, checked like any other; talking to others is not.
        ("We met at KubeCon last week.", "en", False),
        ("We spoke last week.", "en", False),
        ("We spoke with a few platform teams last month.", "en", True),
        # A rank translated from English facts must rank the same thing.
        ("Glückwunsch zum dritten Büro.", "de", False),
        # "24/7" is around the clock; "version 2.1.2026" a version (a number no fact gives).
        ("We support teams 24/7.", "en", True),
        ("Brightpath version 2.1.2026 is out.", "en", False),
        # A company's name in the German possessive is still a name.
        ("Glückwunsch zu BMWs Auftrag.", "de", False),
        ("Northwind Robotics is the only route planner to run on the robot itself.", "en", False),
        ("Héloïse suggested I reach out.", "en", False),
    ],
)
def test_loosened_rules_still_catch_what_they_should(body: str, language: str, right: bool) -> None:
    result = grounding_of(body, language, lead=LEAD, facts=FACTS + OFFICE + RANKED,
                          campaign=CAMPAIGN, today=TODAY)  # fmt: skip
    assert result.passed is right, result.detail
    assert "date '" not in result.detail, result.detail  # no date read where none is


RANKED = [
    fact("Northwind Robotics ranked third in the Robotics Business Review 50.",
         kind=FactKind.NEWS, title="Northwind ranked third", published=date(2026, 9, 1)),
]  # fmt: skip
