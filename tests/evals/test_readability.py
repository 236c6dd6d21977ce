"""Readability is read in the message's language: its syllables and its formula's constants."""

from __future__ import annotations

import textstat

from evals import metrics
from graphs.context import CriticSettings
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Lead

GERMAN = (
    "Hallo Herr Brenner,\n\nherzlichen Glückwunsch zur Finanzierung. Ihren Beitrag über die "
    "Pipeline habe ich gern gelesen. Brightpath zeigt Ihnen, welche Builds und Tests Ihre "
    "Pipeline ausbremsen. Hätten Sie nächste Woche 15 Minuten Zeit?\n\nViele Grüße\nAlex Rivera"
)
SPANISH = (
    "Hola Lucía:\n\nLeí tu post sobre cómo redujisteis a la mitad el tiempo de vuestro CI. "
    "Brightpath muestra qué builds y tests ralentizan vuestros pipelines. ¿Te encaja una "
    "llamada de 15 minutos la semana que viene?\n\nUn saludo,\nAlex Rivera"
)


def test_each_language_reads_with_its_own_formula() -> None:
    # Amstad's German formula (180 - ASL - 58.5 x syllables per word) scores lower than
    # Flesch's English one on the same German text, and German syllables are counted as such.
    assert metrics.reading_ease(GERMAN, "de") < metrics.reading_ease(GERMAN, "en") - 5
    # Spanish: Fernández Huerta on Spanish syllables.
    assert metrics.reading_ease(SPANISH, "es") != metrics.reading_ease(SPANISH, "en")
    # German grade: the Wiener Sachtextformel, a school grade (4-15), not Flesch-Kincaid.
    assert 4 <= metrics.reading_grade(GERMAN, "de") <= 15
    assert metrics.reading_grade(GERMAN, "de") != metrics.reading_grade(GERMAN, "en")
    # A language the product does not write in reads as English.
    assert metrics.reading_ease(GERMAN, "it") == metrics.reading_ease(GERMAN, "en")


def test_plain_text_reads_easier_than_dense_text_in_every_language() -> None:
    texts = {
        "es": ("Arreglamos builds lentos. Tarda un día. ¿Lo vemos?",
               "Nuestra metodología integral de optimización infraestructural acelera "
               "considerablemente el rendimiento organizativo de la integración continua."),
        "fr": ("Nous réparons les builds lents. Cela prend un jour. On en parle ?",
               "Notre méthodologie exhaustive d'optimisation infrastructurelle accélère "
               "considérablement la performance organisationnelle de l'intégration continue."),
        "de": ("Wir machen langsame Builds schnell. Das dauert einen Tag. Reden wir?",
               "Unsere umfassende infrastrukturelle Optimierungsmethodik beschleunigt den "
               "organisationsweiten Durchsatz kontinuierlicher Integrationsprozesse erheblich."),
    }  # fmt: skip
    for language, (plain, dense) in texts.items():
        assert metrics.reading_ease(plain, language) > metrics.reading_ease(dense, language)
        assert metrics.reading_grade(plain, language) < metrics.reading_grade(dense, language)


def test_reading_in_one_language_leaves_textstats_global_reader_alone() -> None:
    before = textstat.flesch_reading_ease(SPANISH)
    metrics.reading_ease(SPANISH, "es")
    metrics.reading_grade(GERMAN, "de")
    assert textstat.flesch_reading_ease(SPANISH) == before  # still English
    assert metrics.reading_ease(SPANISH) == before  # and so is the default


def test_message_metrics_read_the_message_in_its_language() -> None:
    lead = Lead(name="Lukas Brenner", company="Kranwerk Logistik")
    campaign = Campaign(value_proposition="Brightpath findet langsame Builds.")
    draft = Variant(tone=Tone.PROFESSIONAL, subject="Ihre Pipeline", body=GERMAN)
    values, _ = metrics.message_metrics(
        draft, lead=lead, campaign=campaign, facts=[], settings=CriticSettings(),
        must_use=[], must_not_claim=[], max_chars=None,
    )  # fmt: skip
    assert metrics.message_language(draft, lead, campaign) == "de"  # read from the text
    assert values["reading_ease"] == metrics.reading_ease(GERMAN, "de")
    assert values["reading_grade"] == metrics.reading_grade(GERMAN, "de")
    # A language given by the caller wins.
    values, _ = metrics.message_metrics(
        draft, lead=lead, campaign=campaign, facts=[], settings=CriticSettings(),
        must_use=[], must_not_claim=[], max_chars=None, language="en",
    )  # fmt: skip
    assert values["reading_ease"] == metrics.reading_ease(GERMAN, "en")
