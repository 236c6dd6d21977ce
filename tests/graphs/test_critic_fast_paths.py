"""The critic's fast paths read drafts exactly as its patterns do: doubled phrases in any case
(a dotted "İ", a Kelvin sign, "ß"), tone markers at the very edges of a draft, and clauses cut
at soft full stops ("1.5", "am 6. November") found without the clause pattern."""

from __future__ import annotations

import random

import pytest

from graphs.critic.claim_text import CLAUSE_PATTERN, clause_spans
from graphs.critic.register_checks import check_tone
from graphs.critic.wording import doubled_phrases
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Lead


@pytest.mark.parametrize(
    ("line", "doubled"),
    [
        ("We met in İstanbul istanbul last week.", ["İstanbul istanbul"]),
        ("The \u212aelvin kelvin scale.", ["\u212aelvin kelvin"]),
        ("Weiß weiß nicht.", ["Weiß weiß"]),
        ("Our ΑΓΟΡΑΣ αγορας team.", []),  # a final sigma is another letter to the pattern
        ("dbt and Snowflake, DBT AND SNOWFLAKE run it.", ["dbt and Snowflake, DBT AND SNOWFLAKE"]),
        ("Maya Okafor maya okafor", ["Maya Okafor maya okafor"]),
        ("it’s it's fine", ["it's it's"]),
        ("a b c d e f g h a b c d e f g h", ["a b c d e f g h a b c d e f g h"]),
        ("a b c d e f g h i a b c d e f g h i", []),  # nine words: longer than a slip
        ("ſome some", []),
        ("no, no", []),
        ("thank you thank you", []),
    ],
)
def test_a_doubled_phrase_is_found_in_any_case_the_pattern_matches(
    line: str, doubled: list[str]
) -> None:
    assert doubled_phrases(line) == doubled


LEAD = Lead(name="Maya Okafor", company="Northwind Robotics")
CAMPAIGN = Campaign(value_proposition="Brightpath finds slow and flaky CI builds.")


@pytest.mark.parametrize(
    ("tone", "body", "detail"),
    [
        (
            Tone.DIRECT,
            "Please be advised that Brightpath finds slow builds. Kindly",
            "labelled direct but reads formal, bureaucratic (please be advised, kindly)",
        ),
        (
            Tone.DIRECT,
            "Kindly note Brightpath finds slow builds.\nPlease be advised",
            "labelled direct but reads formal, bureaucratic (please be advised, kindly)",
        ),
        (
            Tone.DIRECT,
            "Perhaps Brightpath could help, sorry to bother",
            "labelled direct but reads hedging (perhaps, sorry to bother)",
        ),
        (
            Tone.PROFESSIONAL,
            "lol Brightpath finds slow builds",
            "labelled professional but reads slang (lol)",
        ),
        (
            Tone.PROFESSIONAL,
            "Brightpath finds slow builds ngl",
            "labelled professional but reads slang (ngl)",
        ),
        (Tone.PROFESSIONAL, "Brightpath finds slow builds, lol’s", "reads professional"),
        (Tone.FRIENDLY, "Perhaps, Brightpath’s kindly", "reads friendly"),
    ],
)
def test_tone_markers_count_at_the_edges_of_a_draft(tone: Tone, body: str, detail: str) -> None:
    variant = Variant(tone=tone, subject="CI builds", body=body)
    assert check_tone(variant, LEAD, CAMPAIGN).detail == detail


_PIECES = [
    *"ab Z1239.,;!?\n—–\t -",
    *["am 6. November", " 29. des", "1.5", "12.", " Oktober", "...", "3. ", ". ", "A."],
    *["12.5.2026", "Ö", " mai", " März", "\n\n"],
]


def test_clauses_are_the_spans_the_clause_pattern_finds() -> None:
    rnd = random.Random(20261207)
    texts = ["", "Version 1.5 ships\nNext", "Am 6. November — 12. des Monats.", "A. B.\n"]
    texts += ["".join(rnd.choices(_PIECES, k=rnd.randint(1, 16))) for _ in range(5000)]
    for text in texts:
        assert clause_spans(text) == [m.span() for m in CLAUSE_PATTERN.finditer(text)], text
