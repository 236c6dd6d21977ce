"""The statistics against values computed independently."""

from __future__ import annotations

import pytest

from evals.stats import mcnemar, paired_bootstrap, wilson


def test_wilson_interval_matches_the_formula() -> None:
    low, high = wilson(9, 10)
    assert low == pytest.approx(0.5958, abs=1e-4) and high == pytest.approx(0.9821, abs=1e-4)
    assert wilson(0, 30)[0] == 0.0 and wilson(0, 30)[1] == pytest.approx(0.1135, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_paired_bootstrap_is_zero_width_for_identical_runs() -> None:
    assert paired_bootstrap([0.0] * 30) == (0.0, 0.0, 0.0)
    assert paired_bootstrap([]) == (0.0, 0.0, 0.0)


def test_paired_bootstrap_brackets_the_mean_and_is_reproducible() -> None:
    diffs = [1.0, 0.0, -1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    mean, low, high = paired_bootstrap(diffs)
    assert mean == pytest.approx(0.375)
    assert low < mean < high and low < 0 < high
    assert paired_bootstrap(diffs) == (mean, low, high)


def test_mcnemar_exact() -> None:
    assert mcnemar(0, 0) == 1.0
    assert mcnemar(6, 0) == pytest.approx(0.03125)  # 2 * 0.5**6
    assert mcnemar(3, 1) == pytest.approx(0.625)
