"""decide prefers the segment angle's tone among the drafts that pass; a better-scored draft
of another tone wins only when the preferred one fails the critic."""

from __future__ import annotations

from graphs.drafts import Critique, Tone
from graphs.nodes.decide import best_critique


def verdicts(**scores: tuple[float, bool]) -> list[Critique]:
    return [
        Critique(tone=Tone(tone), score=score, passed=passed, checks=[])
        for tone, (score, passed) in scores.items()
    ]


def test_the_preferred_tone_wins_when_it_passes_even_with_a_lower_score() -> None:
    critiques = verdicts(professional=(0.95, True), friendly=(0.82, True), direct=(0.9, True))
    assert best_critique(critiques, Tone.FRIENDLY).tone is Tone.FRIENDLY  # type: ignore[union-attr]
    assert best_critique(critiques).tone is Tone.PROFESSIONAL  # type: ignore[union-attr]


def test_another_tone_wins_when_the_preferred_one_fails() -> None:
    critiques = verdicts(professional=(0.9, True), friendly=(0.99, False), direct=(0.95, True))
    assert best_critique(critiques, Tone.FRIENDLY).tone is Tone.DIRECT  # type: ignore[union-attr]
    # Nothing passes: the best score is shown to the reviewer, whatever the segment asks.
    failing = verdicts(professional=(0.5, False), friendly=(0.3, False), direct=(0.6, False))
    assert best_critique(failing, Tone.FRIENDLY).tone is Tone.DIRECT  # type: ignore[union-attr]
