"""Confidence intervals for a rate, as the A/B report shows them for each variant."""

from __future__ import annotations


def wilson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion (sensible at 0 %, 100 % and small n).

    With no trials the rate could be anything: (0, 1).
    """
    if trials == 0:
        return (0.0, 1.0)
    from scipy.stats import binomtest  # here: scipy.stats alone is ~90 MB a process

    result = binomtest(successes, trials).proportion_ci(confidence, method="wilson")
    return (float(result.low), float(result.high))
