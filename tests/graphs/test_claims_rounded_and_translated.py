"""Claims a message rounds, translates or dates by what it names: "more than 300 customers"
for 318, "sieben davon im Support" for "7 Support", "your March post" beside a May talk, and
German dates with an ordinal dot ("am 4. März"). Each backed one passes; each changed one
fails with the fact that says otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from graphs.drafts import CheckResult
from graphs.lead import Campaign, Lead
from tests.factories import fact
from tests.graphs.claim_grounding import grounding_of
from tools.facts import FactKind

TODAY = date(2026, 6, 10)
LEAD = Lead(name="Jonas Weber", company="Fernmark Systems")
CAMPAIGN = Campaign(value_proposition="Ledgerly reconciles payouts for marketplaces.")
CUSTOMERS = fact(
    "Fernmark Systems serves 318 customers across 12 countries.", kind=FactKind.COMPANY
)
ROLES = fact(
    "Fernmark Systems lists 11 open roles (7 Support, 3 Engineering, 1 Legal).",
    kind=FactKind.HIRING,
)
LATENCY = fact("Our payout run took 47 minutes before we split it.", kind=FactKind.POST)
POST = fact(
    "Jonas Weber wrote “Reconciling payouts without spreadsheets” on 2026-03-04.",
    kind=FactKind.POST,
    title="Reconciling payouts without spreadsheets",
    published=date(2026, 3, 4),
)
TALK = fact(
    "Jonas Weber gave the talk “Idempotent ledgers at scale” on 2026-05-20. Recorded at a "
    "regional payments meetup with 400 attendees.",
    kind=FactKind.POST,
    title="Idempotent ledgers at scale",
    published=date(2026, 5, 20),
)
FACTS = [CUSTOMERS, ROLES, LATENCY, POST, TALK]


def check(body: str, language: str = "en") -> CheckResult:
    return grounding_of(body, language, lead=LEAD, facts=FACTS, campaign=CAMPAIGN, today=TODAY)


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("en", "Serving more than 300 customers makes every payout run count."),
        ("en", "With over 300 customers, payouts get complicated."),
        ("en", "Your payout run took nearly 50 minutes before the split."),
        ("en", "Your payout run took almost 50 minutes before the split."),
        ("en", "Your payout run took about 45 minutes before the split."),
        ("en", "With 300+ customers, payouts get complicated."),
        ("es", "Con más de 300 clientes, cada pago cuenta."),
        ("es", "Vuestro proceso de pagos tardaba casi 50 minutos."),
        ("fr", "Avec plus de 300 clients, chaque versement compte."),
        ("fr", "Votre traitement des versements prenait environ 45 minutes."),
        ("de", "Mit über 300 Kunden zählt jede Auszahlung."),
        ("de", "Die Auszahlung dauerte bei Ihnen fast 50 Minuten."),
    ],
)
def test_a_rounded_figure_is_backed_by_the_figure_it_rounds(language: str, body: str) -> None:
    result = check(body, language)
    assert result.passed, result.detail


@pytest.mark.parametrize(
    ("language", "body", "text"),
    [
        ("en", "Serving more than 100 customers makes every payout run count.", "100"),
        ("en", "Serving more than 400 customers makes every payout run count.", "400"),
        ("en", "Your payout run took nearly 60 minutes before the split.", "60 minutes"),
        ("en", "Your payout run took about 30 minutes before the split.", "30 minutes"),
        ("fr", "Avec plus de 500 clients, chaque versement compte.", "500"),
        ("de", "Mit über 1000 Kunden zählt jede Auszahlung.", "1000"),
    ],
)
def test_a_rounded_figure_too_far_from_the_fact_fails(language: str, body: str, text: str) -> None:
    result = check(body, language)
    assert not result.passed
    assert text in [finding.text for finding in result.findings]


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("de", "Fernmark Systems hat elf offene Stellen, sieben davon im Support."),
        ("de", "Bei sieben offenen Support-Stellen wächst die Arbeit mit jeder Auszahlung."),
        ("fr", "Fernmark Systems recrute sur onze postes, dont sept au support."),
        ("fr", "Fernmark Systems recrute sept personnes au support et trois en ingénierie."),
        ("es", "Fernmark Systems busca once personas, siete de ellas en soporte."),
    ],
)
def test_numbers_in_words_are_read_against_the_fact_that_counts_them(
    language: str, body: str
) -> None:
    result = check(body, language)
    assert result.passed, result.detail


@pytest.mark.parametrize(
    ("language", "body", "text"),
    [
        ("de", "Fernmark Systems hat elf offene Stellen, neun davon im Support.", "neun"),
        ("fr", "Fernmark Systems recrute sur onze postes, dont deux au support et un en droit.",
         "deux"),
        ("es", "Fernmark Systems busca once personas, cuatro de ellas en Support.", "cuatro"),
    ],
)  # fmt: skip
def test_a_changed_number_in_words_fails_and_names_the_fact_that_counts_it(
    language: str, body: str, text: str
) -> None:
    result = check(body, language)
    assert not result.passed
    finding = next(f for f in result.findings if f.text == text)
    assert finding.fact_id == ROLES.id


def test_a_changed_number_said_in_another_language_than_its_fact_fails() -> None:
    result = check("Fernmark Systems recrute sur onze postes, dont quatre en ingénierie.", "fr")
    assert [f.text for f in result.findings] == ["quatre"]


def test_a_number_beside_another_word_of_its_fact_is_not_backed() -> None:
    """The talk had 400 attendees; "400 engineers" takes the number, not what it counted."""
    result = check("Your talk on idempotent ledgers, given to 400 engineers, stuck with me.")
    assert not result.passed
    assert [f.text for f in result.findings] == ["400"]
    assert check("Your talk on idempotent ledgers, given to 400 attendees, stuck with me.").passed


def test_a_number_inside_a_phrase_is_no_count_of_a_list() -> None:
    """ "two of them in X and one in Y" is no list of two items to count."""
    body = "Fernmark Systems hires on eleven roles, two of them in Support and one in Legal."
    result = check(body)
    assert not result.passed
    assert [f.text for f in result.findings] == ["two"]


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("en", "Your March post on spreadsheets, and your talk on idempotent ledgers at scale, "
               "make the same point."),
        ("es", "Tu publicación de marzo sobre hojas de cálculo y tu charla sobre ledgers "
               "idempotentes a escala dicen lo mismo."),
        ("de", "Ihr Beitrag vom März und Ihr Vortrag über idempotente Ledgers at scale sagen "
               "dasselbe."),
    ],
)  # fmt: skip
def test_a_month_dates_the_fact_its_noun_names(language: str, body: str) -> None:
    result = check(body, language)
    assert result.passed, result.detail


def test_a_month_no_fact_of_that_kind_has_fails_with_the_nearest_date() -> None:
    result = check("Your April post on spreadsheets, and your talk on idempotent ledgers at scale.")
    assert not result.passed
    assert [f.text for f in result.findings] == ["April"]


@pytest.mark.parametrize(
    "body",
    [
        "Ihren Beitrag vom Mittwoch, dem 4. März, habe ich gern gelesen: Ledgerly hilft dabei.",
        "Seit dem 20. Mai spricht Ihr Team über idempotente Ledgers, und das zu Recht.",
    ],
)
def test_a_german_date_with_an_ordinal_dot_is_one_sentence(body: str) -> None:
    result = check(body, "de")
    assert result.passed, result.detail


def test_a_german_date_with_a_wrong_weekday_still_fails() -> None:
    result = check("Ihren Beitrag vom Donnerstag, dem 4. März, habe ich gern gelesen.", "de")
    assert not result.passed
    assert [f.text for f in result.findings] == ["Donnerstag"]


def test_ordinary_words_in_capitals_are_no_names() -> None:
    """Shouting is the spam check's: "DON'T WAIT" names nobody; "AWS" in capitals still does."""
    assert check("DON'T WAIT: this LIMITED-TIME offer ends soon.").passed
    result = check("We saw Fernmark Systems moved its ledger to AWS.")
    assert [f.text for f in result.findings] == ["AWS"]
