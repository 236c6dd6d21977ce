"""Compare an eval run with the blessed baseline, lead by lead (non-inferiority gate)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from evals.metrics import METRICS, MetricSpec
from evals.stats import mcnemar, paired_bootstrap, wilson


@dataclass(frozen=True)
class MetricComparison:
    """One metric: both means, the paired difference (positive = better) and its interval."""

    name: str
    summary: str
    better: str
    tolerance: float | None
    pairs: int
    baseline: float | None
    candidate: float | None
    difference: float
    low: float
    high: float
    regression: bool
    """Worse beyond the tolerance: the interval's lower bound is below −tolerance."""


@dataclass(frozen=True)
class PassRate:
    """Leads passing, with a Wilson interval."""

    passed: int
    total: int
    low: float
    high: float

    @classmethod
    def of(cls, records: list[dict[str, Any]]) -> PassRate:
        """Count passes in a run."""
        passed = sum(1 for record in records if record["passed"])
        low, high = wilson(passed, len(records))
        return cls(passed, len(records), low, high)


@dataclass
class Comparison:
    """The whole comparison; `regressions` non-empty means the gate fails."""

    metrics: list[MetricComparison] = field(default_factory=list)
    candidate_pass: PassRate | None = None
    baseline_pass: PassRate | None = None
    mcnemar_p: float | None = None
    newly_failing: list[str] = field(default_factory=list)
    newly_passing: list[str] = field(default_factory=list)
    not_in_baseline: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[MetricComparison]:
        """Metrics worse than the baseline beyond their tolerance, worst first."""
        return sorted((m for m in self.metrics if m.regression), key=lambda m: m.low)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form."""
        data = asdict(self)
        data["regressions"] = [m.name for m in self.regressions]
        return data


def _compare_metric(
    spec: MetricSpec, candidate: dict[str, dict[str, Any]], baseline: dict[str, dict[str, Any]]
) -> MetricComparison | None:
    pairs = [
        (baseline[key]["metrics"][spec.name], candidate[key]["metrics"][spec.name])
        for key in candidate
        if key in baseline
        and spec.name in candidate[key]["metrics"]
        and spec.name in baseline[key]["metrics"]
    ]
    if not pairs:
        return None
    sign = -1.0 if spec.better == "lower" else 1.0
    differences = [sign * (new - old) for old, new in pairs]
    mean, low, high = paired_bootstrap(differences)
    gated = spec.tolerance is not None and spec.better != "none"
    return MetricComparison(
        name=spec.name,
        summary=spec.summary,
        better=spec.better,
        tolerance=spec.tolerance,
        pairs=len(pairs),
        baseline=sum(old for old, _ in pairs) / len(pairs),
        candidate=sum(new for _, new in pairs) / len(pairs),
        difference=mean,
        low=low,
        high=high,
        regression=gated and low < -(spec.tolerance or 0.0) - 1e-12,
    )


def compare(candidate: list[dict[str, Any]], baseline: list[dict[str, Any]] | None) -> Comparison:
    """Compare two runs of the golden set (or summarize one when there is no baseline)."""
    result = Comparison(candidate_pass=PassRate.of(candidate))
    if baseline is None:
        return result
    by_id = {record["id"]: record for record in candidate}
    base = {record["id"]: record for record in baseline}
    result.baseline_pass = PassRate.of([base[k] for k in by_id if k in base])
    result.not_in_baseline = sorted(set(by_id) - set(base))
    for spec in METRICS:
        compared = _compare_metric(spec, by_id, base)
        if compared is not None:
            result.metrics.append(compared)
    shared = [k for k in by_id if k in base]
    result.newly_failing = sorted(k for k in shared if base[k]["passed"] and not by_id[k]["passed"])
    result.newly_passing = sorted(k for k in shared if by_id[k]["passed"] and not base[k]["passed"])
    result.mcnemar_p = mcnemar(len(result.newly_failing), len(result.newly_passing))
    return result
