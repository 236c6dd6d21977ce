"""The language check reads German dates with an ordinal dot as one sentence, names lists of
dotted or spaced technology names without "and" (also when a clause follows the last item), and
names a sentence whose verb is only in a subordinate clause; it leaves ordinary sentences of
those shapes alone."""

from __future__ import annotations

import pytest

from graphs.critic.language_checks import language_problems
from graphs.lead import Campaign, SenderProfile

CAMPAIGN = Campaign(
    value_proposition="Ledgerly reconciles payouts for marketplaces.",
    sender=SenderProfile(name="Omar Haddad", company="Ledgerly"),
)


def problems(body: str, language: str = "en") -> list[str]:
    found = language_problems(body, language=language, campaign=CAMPAIGN, lead_names=["Petra"])
    return [p.describe() for p in found]


@pytest.mark.parametrize(
    "body",
    [
        "Ihren Vortrag vom Dienstag, dem 3. März, habe ich mit Interesse gesehen.",
        "Seit dem 14. Februar ist Ihre Finanzierung bekannt, und das Team wächst.",
        "Am 1. April startet Ihr neues Lager in Hamburg.",
        "Votre article du 1er octobre m'a beaucoup appris.",
    ],
)
def test_a_date_with_an_ordinal_dot_ends_no_sentence(body: str) -> None:
    assert problems(body, "fr" if "Votre" in body else "de") == []


@pytest.mark.parametrize(
    ("body", "language", "listed"),
    [
        ("With Next.js, Vue.js, Deno in your stack, builds add up.", "en",
         "Next.js, Vue.js, Deno"),
        ("Your team runs Node.js, Google Cloud, Terraform on every release.", "en",
         "Node.js, Google Cloud, Terraform"),
        ("Avec ClickHouse, Apache Kafka, Go, ce sont beaucoup de services à surveiller.", "fr",
         "ClickHouse, Apache Kafka, Go"),
        ("Con Node.js, Google Cloud, Terraform, cada despliegue cuenta.", "es",
         "Node.js, Google Cloud, Terraform"),
        ("Mit ClickHouse, Apache Kafka, Go, das sind viele Dienste.", "de",
         "ClickHouse, Apache Kafka, Go"),
    ],
)  # fmt: skip
def test_a_list_of_technology_names_without_and_is_named(
    body: str, language: str, listed: str
) -> None:
    assert problems(body, language) == [f"list without a conjunction: {listed!r}"]


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("With Next.js, Vue.js and Deno in your stack, builds add up.", "en"),
        ("Avec ClickHouse, Apache Kafka et Go, ce sont beaucoup de services.", "fr"),
        ("We support GitHub Actions, Buildkite, Jenkins, and CircleCI.", "en"),
        ("Your post “ClickHouse, Kafka, Go: a year in” was a good read.", "en"),
        ("On Tuesday, March 3, 2026, Petra spoke about ledgers.", "en"),
        ("Faster payouts, fewer tickets, calmer finance teams, that is the idea.", "en"),
    ],
)
def test_joined_quoted_and_rhythmic_lists_are_left_alone(body: str, language: str) -> None:
    assert problems(body, language) == []


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("With every new marketplace more payouts in the same queue, as your post explains.",
         "en"),
        ("Mit jedem neuen Händler mehr Auszahlungen für Ihr Team, weil die Woche kurz ist.",
         "de"),
        ("Dass Ihr Team jede Woche neue Händler anbindet, für die Buchhaltung vor allem eines: "
         "mehr Auszahlungen.", "de"),
    ],
)  # fmt: skip
def test_a_main_clause_without_its_verb_is_named(body: str, language: str) -> None:
    assert problems(body, language) == [f"sentence with no verb in its main clause: {body!r}"]


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Every new marketplace adds payouts to the same queue, as your post explains.", "en"),
        ("A short follow-up on my note, as promised.", "en"),
        ("Congrats on the new warehouse, which opened last week.", "en"),
        ("Ledgerly reconciles payouts, which saves finance teams hours.", "en"),
        ("Dass Ihr Team jede Woche neue Händler anbindet, heißt vor allem eines: mehr "
         "Auszahlungen.", "de"),
        ("Mehr Auszahlungen bedeuten mehr Arbeit, weil jede Woche neue Händler dazukommen.",
         "de"),
        ("Votre équipe grandit vite, car chaque semaine arrivent de nouveaux marchands.", "fr"),
        ("Un grand merci pour votre article, qui m'a beaucoup appris.", "fr"),
        ("If useful, I can send a two-line summary of how it works.", "en"),
        ("Spannende Zeiten für Ihr Team, da die Runde gerade abgeschlossen wurde.", "de"),
        ("Exciting times for the payments team, as the round closes.", "en"),
    ],
)  # fmt: skip
def test_sentences_whose_main_clause_has_its_verb_pass(body: str, language: str) -> None:
    assert problems(body, language) == []
