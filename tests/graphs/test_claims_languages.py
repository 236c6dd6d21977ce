"""Claim-level grounding in Spanish, French and German: numbers in words, months, weekdays,
ordinals, relative times, quantities, dates, superlatives and names, each backed and changed."""

from __future__ import annotations

from datetime import date

import pytest

from graphs.critic.grounding_check import checked_text
from graphs.drafts import CheckResult
from graphs.lead import Campaign, Lead
from tests.factories import fact, variant
from tests.graphs.claim_grounding import grounding_of
from tools.facts import FactKind

TODAY = date(2026, 11, 20)
FUNDING = fact(
    "Northwind Robotics raises $32M Series B to expand into Europe.", published=date(2026, 9, 17)
)
OFFICE = fact(
    "Northwind Robotics opens its second office, in Kraków.", published=date(2026, 11, 12)
)
ROLES = fact("Northwind Robotics lists 14 open roles.", kind=FactKind.HIRING)
RANK = fact(
    "Northwind Robotics is the largest maker of warehouse robots in Poland.",
    kind=FactKind.COMPANY,
    published=date(2026, 10, 1),
)
GERMAN = fact(
    "Kranwerk Logistik schließt Series-A-Finanzierung über 14 Millionen Euro ab.",
    published=date(2026, 11, 10),
)
FACTS = [FUNDING, OFFICE, ROLES, RANK, GERMAN]
LEAD = Lead(name="Maya Okafor", company="Northwind Robotics")
CAMPAIGN = Campaign(value_proposition="Brightpath finds slow and flaky CI builds.")


def check(body: str, language: str) -> CheckResult:
    return grounding_of(body, language, lead=LEAD, facts=FACTS, campaign=CAMPAIGN, today=TODAY)


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("es", "Enhorabuena por la ronda de 32 millones de dólares de septiembre."),
        ("es", "Vi que Northwind Robotics tiene catorce puestos abiertos."),
        (
            "es",
            "Enhorabuena por la segunda oficina en Kraków, abierta el jueves de la semana pasada.",
        ),
        ("es", "Como el mayor fabricante de robots de almacén de Polonia, conocen la escala."),
        ("fr", "Félicitations pour votre deuxième bureau à Kraków, ouvert la semaine dernière."),
        ("fr", "Félicitations pour la levée de 32 millions de dollars du 17 septembre."),
        ("de", "Glückwunsch zum zweiten Büro in Kraków letzte Woche."),
        ("de", "Glückwunsch zur Finanzierung über 14 Millionen Euro bei Kranwerk Logistik."),
        ("de", "Glückwunsch zur Serie B im September."),
    ],
)
def test_backed_claims_pass_in_each_language(language: str, body: str) -> None:
    result = check(body, language)
    assert result.passed, result.detail


@pytest.mark.parametrize(
    ("language", "body", "kind", "text", "reason", "nearest"),
    [
        ("es", "Enhorabuena por la ronda de septiembre y por sus doce puestos abiertos.",
         "number", "doce", "no fact says 'doce puestos'", None),
        ("es", "Enhorabuena por la ronda de 32 millones de dólares de marzo.", "month", "marzo",
         "the facts say septiembre", FUNDING),
        ("es", "Enhorabuena por la tercera oficina en Kraków.", "ordinal", "tercera",
         "the facts say 'segundo'", OFFICE),
        ("es", "Vi la noticia de la oficina en Kraków del martes.", "weekday", "martes",
         "the facts date it jueves 2026-11-12", OFFICE),
        ("es", "Vi ayer la noticia de la oficina en Kraków.", "relative_time", "ayer",
         "the fact is dated 2026-11-12", OFFICE),
        ("fr", "Félicitations pour votre troisième bureau à Kraków.", "ordinal", "troisième",
         "the facts say 'deuxième'", OFFICE),
        ("fr", "Félicitations pour votre bureau à Kraków, ouvert le mois dernier.",
         "relative_time", "le mois dernier", "the fact is dated 2026-11-12", OFFICE),
        ("fr", "Félicitations pour la levée de 32 millions de dollars du 18 septembre.", "date",
         "18 septembre", "the facts date it septembre 17, 2026", FUNDING),
        ("fr", "Comme le fabricant de robots le plus rapide de Pologne, vous connaissez l'échelle.",
         "superlative", "le plus rapide", "no fact says 'le plus rapide'", RANK),
        ("de", "Glückwunsch zum dritten Büro in Kraków.", "ordinal", "dritten",
         "the facts say 'zweite'", OFFICE),
        ("de", "Glückwunsch zur Finanzierung über 40 Millionen Euro bei Kranwerk Logistik.",
         "quantity", "40 Millionen Euro", "the facts say 14 Millionen Euro", GERMAN),
        ("de", "Glückwunsch zum Büro in Kraków, das gestern eröffnet wurde.", "relative_time",
         "gestern", "the fact is dated 2026-11-12", OFFICE),
        ("de", "Glückwunsch zur Serie B im März.", "month", "März", "the facts say September",
         FUNDING),
        ("de", "Ihr Büro in Kraków arbeitet mit Google zusammen.", "name", "Google",
         "no fact names 'Google'", OFFICE),
    ],
)  # fmt: skip
def test_a_changed_detail_fails_in_each_language(
    language: str, body: str, kind: str, text: str, reason: str, nearest: object
) -> None:
    result = check(body, language)
    assert not result.passed
    assert len(result.findings) == 1, result.detail
    finding = result.findings[0]
    assert (finding.kind, finding.text) == (kind, text)
    assert checked_text(variant(body, subject=None))[finding.start : finding.end] == text
    assert reason in finding.reason
    # An English fact shares no word with a Spanish clause about it: then none is named.
    assert finding.fact_id == (nearest.id if nearest else None)  # type: ignore[attr-defined]
