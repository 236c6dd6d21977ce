"""Honest statistics for small eval sets: Wilson intervals, paired bootstrap, McNemar."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import binomtest, bootstrap


def wilson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (sensible at 0 %, 100 % and small n)."""
    if trials == 0:
        return (0.0, 1.0)
    result = binomtest(successes, trials).proportion_ci(confidence, method="wilson")
    return (float(result.low), float(result.high))


def paired_bootstrap(
    differences: Sequence[float], confidence: float = 0.95, resamples: int = 4000
) -> tuple[float, float, float]:
    """Mean of paired differences with a percentile bootstrap interval (fixed seed).

    All-equal differences (the usual case for a deterministic provider) have a zero-width
    interval at their value.
    """
    values = np.asarray(differences, dtype=float)
    if values.size == 0:
        return (0.0, 0.0, 0.0)
    mean = float(values.mean())
    if np.allclose(values, values[0]):
        return (mean, mean, mean)
    result = bootstrap(
        (values,),
        np.mean,
        confidence_level=confidence,
        n_resamples=resamples,
        method="percentile",
        random_state=np.random.default_rng(0),
    )
    interval = result.confidence_interval
    return (mean, float(interval.low), float(interval.high))


def mcnemar(baseline_only: int, candidate_only: int) -> float:
    """Exact McNemar p-value for paired pass/fail: leads passing in only one of two runs."""
    discordant = baseline_only + candidate_only
    if discordant == 0:
        return 1.0
    return float(binomtest(min(baseline_only, candidate_only), discordant, 0.5).pvalue)
