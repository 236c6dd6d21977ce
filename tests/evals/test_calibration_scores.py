"""The calibration report's arithmetic, on a handful of verdicts worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from evals.calibration_scores import (
    by_check,
    by_class,
    by_language,
    gate_failures,
    tally,
)

CHECKS_FOR = {"hallucinated_claim": {"grounding"}, "broken_language": {"wording", "language"}}


def record(case_id: str, defect: str, case_class: str, language: str, failed: list[str]) -> dict[str, Any]:  # fmt: skip
    return {"id": case_id, "defect": defect, "class": case_class, "language": language,
            "critic_passed": not failed, "failed_checks": failed}  # fmt: skip


# Six good messages (one false alarm) and six defective ones (one miss).
CASES = [
    record("g1", "none", "compliance_line", "en", []),
    record("g2", "none", "compliance_line", "es", ["grounding"]),  # a false alarm
    record("g3", "none", "wrong_month", "en", []),
    record("g4", "none", "paraphrase", "de", []),
    record("g5", "none", "paraphrase", "en", []),
    record("g6", "none", "verbless_sentence", "fr", []),
    record("b1", "hallucinated_claim", "wrong_month", "en", ["grounding"]),
    record("b2", "hallucinated_claim", "wrong_month", "de", ["grounding", "wording"]),
    record("b3", "hallucinated_claim", "wrong_month", "en", []),  # a miss
    record("b4", "broken_language", "verbless_sentence", "fr", ["language"]),
    record("b5", "broken_language", "verbless_sentence", "en", ["grounding"]),  # wrong check
    record("b6", "broken_language", "verbless_sentence", "es", ["wording", "language"]),
]


def test_overall_precision_and_recall_of_the_verdict() -> None:
    total = tally(CASES)
    assert (total.cases, total.good, total.bad) == (12, 6, 6)
    assert (total.caught, total.false_alarms, total.misses) == (5, 1, 1)
    assert total.precision == pytest.approx(5 / 6)  # 5 of the 6 failed messages had a defect
    assert total.recall == pytest.approx(5 / 6)  # 5 of the 6 defective messages were failed


def test_per_check_precision_and_recall_against_the_defects_it_is_meant_for() -> None:
    checks = by_check(CASES, CHECKS_FOR)
    assert set(checks) == {"grounding", "wording", "language"}
    grounding = checks["grounding"]
    # Fired on g2 (good), b1, b2 (its defect) and b5 (another defect's case).
    assert (grounding.fired, grounding.fired_on_target) == (4, 2)
    assert (grounding.targets, grounding.caught) == (3, 2)  # b1, b2 of b1-b3
    assert grounding.precision == pytest.approx(0.5)
    assert grounding.recall == pytest.approx(2 / 3)
    wording = checks["wording"]
    assert (wording.fired, wording.fired_on_target, wording.targets, wording.caught) == (2, 1, 3, 1)
    language = checks["language"]
    assert (language.precision, language.recall) == (1.0, pytest.approx(2 / 3))


def test_a_check_that_never_fired_has_no_precision() -> None:
    quiet = by_check([record("g1", "none", "good", "en", [])], CHECKS_FOR)
    assert quiet["grounding"].precision is None and quiet["grounding"].recall is None


def test_per_class_and_per_language() -> None:
    classes = by_class(CASES)
    assert list(classes) == sorted(classes)
    # An all-good class: 1.0 without a false alarm, 0.0 with one; no recall.
    assert classes["paraphrase"].precision == 1.0 and classes["paraphrase"].recall is None
    assert classes["compliance_line"].false_alarms == 1
    assert classes["compliance_line"].precision == 0.0
    month = classes["wrong_month"]
    assert (month.good, month.bad, month.caught, month.misses) == (1, 3, 2, 1)
    assert month.precision == 1.0 and month.recall == pytest.approx(2 / 3)
    verbless = classes["verbless_sentence"]  # b5 failed on the wrong check: still caught
    assert verbless.precision == 1.0 and verbless.recall == 1.0

    languages = by_language(CASES)
    assert set(languages) == {"en", "es", "fr", "de"}
    assert (languages["es"].caught, languages["es"].false_alarms) == (1, 1)
    assert languages["es"].precision == 0.5
    assert languages["en"].recall == pytest.approx(2 / 3)  # b1, b5 caught; b3 missed


def test_the_gate_names_each_floor_it_misses() -> None:
    reasons = gate_failures(CASES, must_catch=("hallucinated_hook",))
    assert reasons[0] == (
        "passed 1 labelled hallucinated_hook / hallucinated_claim / placeholder_leak case(s): b3"
    )
    assert "precision 0.833 < 0.95" in reasons and "recall 0.833 < 0.95" in reasons
    assert reasons[-1] == "class precision < 0.9: compliance_line 0.00"

    caught_all = [{**case, "critic_passed": case["defect"] == "none"} for case in CASES]
    assert gate_failures(caught_all) == []
