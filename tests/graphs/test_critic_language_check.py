"""The language check names sentences a careful writer would not send, with their text, and
leaves ordinary sentences, greetings, sign-offs, titles and compliance lines alone."""

from __future__ import annotations

import pytest

from graphs.analysis import Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic.language_checks import check_language, language_problems
from graphs.critic.review import WEIGHTS, critique
from graphs.drafts import Critique, Tone, Variant
from graphs.lead import Campaign, Lead, SenderProfile
from tests.factories import FUNDING, POST

LEAD = Lead(name="Maya Okafor", company="Northwind Robotics", title="VP Engineering")
CAMPAIGN = Campaign(
    value_proposition="Brightpath flags flaky tests before they block merges.",
    sender=SenderProfile(name="Alex Rivera", company="Brightpath", title="Head of Partnerships"),
)


def problems(body: str, language: str = "en") -> list[str]:
    found = language_problems(
        body, language=language, campaign=CAMPAIGN, lead_names=["Maya", "Maya Okafor"]
    )
    return [p.describe() for p in found]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        # What the offline writer joins today: a hook with no verb, or no subject.
        ("Looks like Northwind is hiring. And your post “Moving our monorepo to Bazel” too.",
         "sentence with no verb: 'And your post “Moving our monorepo to Bazel” too.'"),
        ("Saw your talk on caching. Also your post “Why we quarantine tests” (September 2).",
         "sentence with no verb: 'Also your post “Why we quarantine tests” (September 2).'"),
        ("I read your post. Also saw “Northwind signs its first customer” (October 21).",
         "sentence with no subject: 'Also saw “Northwind signs its first customer” "
         "(October 21).'"),
        ("The monorepo post from October for the platform team at Northwind Robotics.",
         "sentence with no verb: 'The monorepo post from October for the platform team at "
         "Northwind Robotics.'"),
        ("Northwind also mentions Kubernetes, GitLab CI, Java on its website.",
         "list without a conjunction: 'Kubernetes, GitLab CI, Java'"),
        ("Worth a 15-minute call next week? Brightpath halves CI time. Brightpath halves CI "
         "time.", "sentence said twice: 'Brightpath halves CI time.'"),
        ("Brightpath halves CI time.\n\nbrightpath   halves CI TIME.",
         "sentence said twice: 'brightpath   halves CI TIME.'"),
        ("Kranwerk erwähnt Kubernetes, GitLab CI, Java auf der Website.",
         "list without a conjunction: 'Kubernetes, GitLab CI, Java'"),
        ("Soignelia mentionne AWS, Kubernetes, PostgreSQL sur son site.",
         "list without a conjunction: 'AWS, Kubernetes, PostgreSQL'"),
        ("Basketloop menciona Airflow, dbt, Snowflake en su web.",
         "list without a conjunction: 'Airflow, dbt, Snowflake'"),
    ],
)  # fmt: skip
def test_each_slip_is_named_with_its_text(body: str, problem: str) -> None:
    assert problems(body) == [problem]


@pytest.mark.parametrize(
    ("language", "body", "problem"),
    [
        ("es", "Y tu publicación sobre la migración de Airflow también.",
         "sentence with no verb: 'Y tu publicación sobre la migración de Airflow también.'"),
        ("fr", "Un appel la semaine prochaine.",
         "sentence with no verb: 'Un appel la semaine prochaine.'"),
        ("de", "Und Ihr Beitrag über die Pipeline von Kranwerk auch.",
         "sentence with no verb: 'Und Ihr Beitrag über die Pipeline von Kranwerk auch.'"),
    ],
)  # fmt: skip
def test_a_verbless_sentence_is_caught_in_each_language(
    language: str, body: str, problem: str
) -> None:
    assert problems(body, language) == [problem]


@pytest.mark.parametrize(
    "body",
    [
        "Worth a 15-minute call next week?",
        "Cheers,",
        "Best regards,",
        "Hi Maya,",
        "Maya — saw your post “What we learned moving 40 services into one monorepo”.",
        "I read your post “Our CI queue hit 48 minutes. Here is how we got it back to 19” "
        "from November 3.",
        "Your post “Flaky tests are a team-health problem” stuck with me.",
        "Congrats on the $32M Series B, and on the push into Europe.",
        "Good luck with the audit.",
        "Worth adding: our free pipeline health check for teams that run dbt.",
        "It connects to Airflow, dbt and Snowflake in an afternoon.",
        "We support GitHub Actions, GitLab CI, Jenkins, and CircleCI.",
        "On Monday, November 3, 2025, you wrote about build caching.",
        "Thanks, Maya, for the note.",
        "Our customers typically recoup the cost within weeks.",
        "Everyone on the team benefits from faster feedback.",
        "Brightpath quarantines flaky tests automatically.",
        "Hi Leila, Alex from Brightpath.",
        "Kwame at Ledgerline Health: Alex from Brightpath.",
        "A short conversation, nothing more.",
        "No install, no agent, no code changes.",
        "- Faster builds for every team in the company.",
        "See brightpath.example/demo for the two-minute tour.",
        "Reply STOP to opt out.",
        "Alex Rivera\nHead of Partnerships, Brightpath, Portland",
        "Dr. Okafor wrote about the 3 a.m. red build last week.",
    ],
)
def test_ordinary_sentences_are_left_alone(body: str) -> None:
    assert problems(body) == []


@pytest.mark.parametrize(
    ("language", "body"),
    [
        ("es", "Sin instalación, sin agentes, sin cambios de código."),
        ("es", "Un saludo y mucha suerte con la auditoría."),
        ("fr", "Bonne chance pour l'audit de la semaine prochaine."),
        ("fr", "Nos clients récupèrent leur investissement en quelques semaines."),
        ("de", "Viel Erfolg beim Audit in der nächsten Woche."),
        ("de", "Kranwerk Logistik schließt eine Series-A-Finanzierung ab."),
    ],
)
def test_ordinary_sentences_are_left_alone_in_each_language(language: str, body: str) -> None:
    assert problems(body, language) == []


GOOD = {
    "en": (
        "Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo” "
        "from November 5. Keeping forty services green in one pipeline is hard.\n\nBrightpath "
        "shows engineering teams which builds and tests slow their CI pipelines down.\n\n"
        "Worth a 15-minute call next week?\n\nBest regards,\nAlex Rivera\n"
        "Head of Partnerships, Brightpath"
    ),
    "es": (
        "Hola Lucía:\n\nLeí tu publicación «Cómo redujimos el CI a la mitad». Con Airflow, dbt "
        "y Snowflake en vuestro stack, cada minuto cuenta.\n\nBrightpath detecta los tests "
        "inestables antes de que bloqueen los merges. Los equipos que lo usan reducen el tiempo "
        "de pipeline en un tercio.\n\n¿Te parece si hablamos 15 minutos la próxima semana?\n\n"
        "Un saludo,\nAlex Rivera"
    ),
    "fr": (
        "Bonjour Camille,\n\nFélicitations pour la certification HDS. J'ai lu votre article "
        "« Questionnaires de sécurité : ce que nos clients demandent vraiment ».\n\nVaultline "
        "collecte automatiquement les preuves demandées par les auditeurs, pour AWS, Okta et "
        "GitHub.\n\nSeriez-vous disponible pour un échange de 15 minutes ?\n\nCordialement,\n"
        "Alex Rivera"
    ),
    "de": (
        "Hallo Lukas,\n\nich habe Ihren Beitrag „Warum unsere Pipeline 40 Minuten brauchte“ "
        "gelesen. Herzlichen Glückwunsch zur Series-A-Finanzierung.\n\nBrightpath zeigt "
        "Entwicklungsteams, welche Builds und Tests ihre CI-Pipelines bremsen. Teams, die es "
        "nutzen, verkürzen die Pipeline-Zeit meist um ein Drittel.\n\nHätten Sie nächste Woche "
        "15 Minuten für ein Gespräch?\n\nViele Grüße\nAlex Rivera"
    ),
}


@pytest.mark.parametrize("language", list(GOOD))
def test_a_good_message_passes_in_each_language(language: str) -> None:
    result = check_language(
        Variant(tone=Tone.FRIENDLY, body=GOOD[language]), LEAD, CAMPAIGN, language
    )
    assert result.passed, result.detail


def test_the_failed_check_says_what_to_change() -> None:
    body = (
        "Northwind also mentions Kubernetes, GitLab CI, Java on its site. And your post "
        "“Bazel at scale” too.\n\nWorth a call?"
    )
    result = check_language(Variant(tone=Tone.DIRECT, body=body), LEAD, CAMPAIGN, "en")
    assert not result.passed and not result.hard
    assert "'Kubernetes, GitLab CI, Java'" in result.detail
    assert "'And your post “Bazel at scale” too.'" in result.detail
    assert result.fix is not None
    assert "give each sentence a verb" in result.fix.lower()
    assert 'join the last item of a list with "and"' in result.fix
    german = check_language(
        Variant(tone=Tone.DIRECT, body="Kranwerk nutzt Kubernetes, GitLab CI, Java im Alltag."),
        LEAD, CAMPAIGN, "de",
    )  # fmt: skip
    assert german.fix is not None and 'with "und"' in german.fix


HOOKS = [
    Hook(
        text="your post “What we learned moving 40 services into one monorepo”", fact_ids=[POST.id]
    ),
    Hook(text="the $40M Series B (October 28)", fact_ids=[FUNDING.id]),
]
HOOKED_BODY = (
    "Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo” "
    "from November 5. I also saw the news about the $40M Series B from October 28.\n\n"
    "Brightpath shows engineering teams which builds and tests slow their CI pipelines "
    "down, and flags flaky tests before they block merges.\n\nWorth a 15-minute call next "
    "week?\n\nBest regards,\nAlex Rivera"
)


def judged(body: str) -> Critique:
    return critique(
        Variant(tone=Tone.PROFESSIONAL, subject="Your monorepo post", body=body, hooks=HOOKS),
        lead=LEAD, campaign=CAMPAIGN, facts=[POST, FUNDING], settings=CriticSettings(),
        thresholds=Thresholds(),
    )  # fmt: skip


def test_a_language_slip_fails_the_draft_like_any_check() -> None:
    good = judged(HOOKED_BODY)
    assert good.passed, good.issues
    slip = HOOKED_BODY.replace(
        "Worth a 15-minute", "And your talk on monorepos too. Worth a 15-minute"
    )
    verdict = judged(slip)
    assert not verdict.passed
    assert verdict.issues == ["language: sentence with no verb: 'And your talk on monorepos too.'"]
    assert WEIGHTS["language"] == 1.0


@pytest.mark.parametrize("language", ["es", "fr", "de"])
def test_an_english_draft_for_a_lead_written_to_in_another_language_is_named(
    language: str,
) -> None:
    body = (
        "Hi Lucía,\n\nI read your post about halving CI time, and it made me think of your team."
        " Brightpath finds the slow and flaky builds that hold CI back.\n\n"
        "Worth a 15-minute call next week?\n\nBest regards,\nAlex"
    )
    kinds = [p.kind for p in language_problems(body, language=language)]
    assert any(k.startswith("written in English") for k in kinds), kinds
    assert language_problems(body, language="en") == []


def test_a_spanish_draft_full_of_english_tech_words_is_still_spanish() -> None:
    body = (
        "Hola, Lucía:\n\nLeí su artículo «Cómo redujimos a la mitad el tiempo de nuestro CI». "
        "Brightpath muestra a los equipos de ingeniería qué builds y tests ralentizan sus "
        "pipelines de CI, y detecta los tests inestables antes de que bloqueen los merges.\n\n"
        "¿Le encaja una llamada de 15 minutos la semana que viene?\n\nSaludos cordiales,\nAlex"
    )
    assert language_problems(body, language="es") == []
