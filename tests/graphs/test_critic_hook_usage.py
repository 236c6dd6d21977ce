"""A hook counts as used when the body carries its specifics, even where the hook's ordinary
words are paraphrased or written in another language; and a hook in another language than its
fact is grounded when its numbers, names and dates are the fact's."""

from __future__ import annotations

from datetime import date

import pytest

from graphs.analysis import Hook
from graphs.context import CriticSettings
from graphs.critic.checks import check_personalization, hook_is_used
from graphs.critic.grounding import hook_problems
from graphs.lead import Channel, Lead
from tests.factories import fact, variant
from tools.facts import FactKind

LEAD = Lead(name="Ana Sousa", company="Trelvik Foods")
CERTIFIED = fact(
    "Trelvik Foods obtient la certification IFS Food et vise la norme BRCGS en 2027.",
    published=date(2026, 10, 2),
)
POST = fact(
    "Ana Sousa schrieb „Wie wir unsere Kühlkette in 30 Tagen digitalisiert haben“.",
    kind=FactKind.POST,
    title="Wie wir unsere Kühlkette in 30 Tagen digitalisiert haben",
    published=date(2026, 10, 20),
)
ROLES = fact("Trelvik Foods lists 9 open roles (5 Quality, 4 Logistics).", kind=FactKind.HIRING)
FACTS = {f.id: f for f in (CERTIFIED, POST, ROLES)}


@pytest.mark.parametrize(
    ("hook", "body"),
    [
        # French: the hook's verb and company are not repeated; its specifics are.
        (Hook(text="Trelvik Foods obtient la certification IFS Food", fact_ids=[CERTIFIED.id]),
         "Ana, bravo pour la certification IFS. Un appel rapide cette semaine ? Léa"),
        # German: the title is paraphrased; its number and stems are said.
        (Hook(text="Ihr Beitrag „Wie wir unsere Kühlkette in 30 Tagen digitalisiert haben“",
              fact_ids=[POST.id]),
         "Frau Sousa, Ihr Beitrag zur in 30 Tagen digitalisierten Kühlkette war stark. "
         "Kurzes Telefonat? Léa"),
        # Spanish: the numbers are said in words.
        (Hook(text="Trelvik Foods tiene 9 vacantes, 5 de ellas en calidad", fact_ids=[ROLES.id]),
         "Ana, nueve vacantes y cinco en calidad: mucho trabajo nuevo. ¿Hablamos? Léa"),
        # English: a hook about the certification, the body in other words.
        (Hook(text="Trelvik Foods earned its IFS Food certification", fact_ids=[CERTIFIED.id]),
         "Ana, congrats on IFS Food. Worth a quick call this week? Léa"),
    ],
)  # fmt: skip
def test_a_paraphrased_hook_is_used_in_a_short_text(hook: Hook, body: str) -> None:
    assert hook_is_used(hook, body, names=[LEAD.name, LEAD.company])
    result = check_personalization(
        variant(body, subject=None, hooks=[hook]),
        Channel.SMS,
        FACTS,
        CriticSettings(),
        names=[LEAD.name, LEAD.company],
    )
    assert result.passed, result.detail


@pytest.mark.parametrize(
    ("hook", "body"),
    [
        # Only the company is named: no specific of the hook is said.
        (Hook(text="Trelvik Foods obtient la certification IFS Food", fact_ids=[CERTIFIED.id]),
         "Ana, Trelvik Foods grandit vite. Un appel rapide cette semaine ? Léa"),
        # Another number than the hook's.
        (Hook(text="Ihr Beitrag „Wie wir unsere Kühlkette in 30 Tagen digitalisiert haben“",
              fact_ids=[POST.id]),
         "Frau Sousa, 12 neue Lager in einem Jahr sind viel. Kurzes Telefonat? Léa"),
    ],
)  # fmt: skip
def test_a_hook_the_body_does_not_carry_is_not_used(hook: Hook, body: str) -> None:
    assert not hook_is_used(hook, body, names=[LEAD.name, LEAD.company])


@pytest.mark.parametrize(
    ("hook", "language"),
    [
        (Hook(text="Trelvik Foods earned the IFS Food certification", fact_ids=[CERTIFIED.id]),
         "en"),
        (Hook(text="Trelvik Foods secured IFS Food and aims for BRCGS in 2027",
              fact_ids=[CERTIFIED.id]), "en"),
        (Hook(text="Trelvik Foods hat 9 offene Stellen, 5 davon in der Qualität",
              fact_ids=[ROLES.id]), "de"),
        (Hook(text="your post on digitising the cold chain in 30 days", fact_ids=[POST.id]),
         "en"),
    ],
)  # fmt: skip
def test_a_hook_in_another_language_than_its_fact_is_grounded(hook: Hook, language: str) -> None:
    assert hook_problems(hook, LEAD, FACTS, language) == []


@pytest.mark.parametrize(
    ("hook", "language", "wrong"),
    [
        (Hook(text="Trelvik Foods secured IFS Food and aims for BRCGS in 2028",
              fact_ids=[CERTIFIED.id]), "en", "2028"),
        (Hook(text="Trelvik Foods hat 9 offene Stellen, 6 davon in der Qualität",
              fact_ids=[ROLES.id]), "de", "6"),
        (Hook(text="your post on digitising the cold chain in 40 days", fact_ids=[POST.id]),
         "en", "40"),
    ],
)  # fmt: skip
def test_a_hook_in_another_language_still_needs_its_numbers(
    hook: Hook, language: str, wrong: str
) -> None:
    problems = hook_problems(hook, LEAD, FACTS, language)
    assert len(problems) == 1
    assert f"'{wrong}' is not in its cited facts" in problems[0]


def test_an_outcome_an_english_fact_does_not_state_still_fails() -> None:
    began = fact("Trelvik Foods has begun its IFS Food audit.")
    hook = Hook(text="Trelvik Foods passed its IFS Food audit", fact_ids=[began.id])
    assert hook_problems(hook, LEAD, {began.id: began}) == [
        f"hook {hook.text!r} says 'pass…' but its facts do not"
    ]
