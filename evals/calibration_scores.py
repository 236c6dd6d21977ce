"""The calibration report's arithmetic: precision and recall of the critic's verdict overall, per
class, per language and per check, and the gate they must clear.

Every case record (evals.calibration_run) says what the case is labelled (`defect`, "none" for
a good message), its `class` and `language`, whether the critic passed it (`critic_passed`) and
which checks failed (`failed_checks`).

A positive is a message the critic fails. So a failed defective message is a true positive, a
failed good message a false positive (a false alarm), a passed defective message a false
negative (a miss). Precision is TP / (TP + FP): of the messages the critic failed, the share
that had a defect. Recall is TP / (TP + FN): of the defective messages, the share it failed.

Where nothing was failed (TP + FP = 0) precision is 1.0: the critic raised no false alarm. So
a class of good messages only scores 1.0 without a false alarm and 0.0 with one (TP is 0), and
a defect class the critic missed entirely scores 1.0 on precision and 0.0 on recall. Recall is
None where there is no defective message to catch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MIN_PRECISION = 0.95
"""Overall precision the gate asks for: at most one false alarm in twenty failed messages."""
MIN_RECALL = 0.95
"""Overall recall the gate asks for."""
MIN_CLASS_PRECISION = 0.9
"""No class may fall below this precision (one false alarm in a small class of good messages
already does)."""
FULL_RECALL = ("hallucinated_hook", "hallucinated_claim", "placeholder_leak")
"""Defects the critic must catch every time: a made-up claim or a leaked placeholder in a sent
message is the failure a user never forgives."""

Case = Mapping[str, Any]


@dataclass
class Tally:
    """The critic's verdicts on a group of cases."""

    cases: int = 0
    good: int = 0
    bad: int = 0
    caught: int = 0
    """Defective messages the critic failed (true positives)."""
    false_alarms: int = 0
    """Good messages the critic failed (false positives)."""
    misses: int = 0
    """Defective messages the critic passed (false negatives)."""

    def add(self, case: Case) -> None:
        """Count one case's verdict."""
        self.cases += 1
        failed = not case["critic_passed"]
        if case["defect"] == "none":
            self.good += 1
            self.false_alarms += int(failed)
        else:
            self.bad += 1
            self.caught += int(failed)
            self.misses += int(not failed)

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when the critic failed none of these cases."""
        flagged = self.caught + self.false_alarms
        return self.caught / flagged if flagged else 1.0

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); None without a defective case."""
        return self.caught / self.bad if self.bad else None

    def as_dict(self) -> dict[str, Any]:
        """Return the counts and both rates, for calibration.json."""
        return {**self.__dict__, "precision": self.precision, "recall": self.recall}


@dataclass
class CheckTally:
    """How one check of the critic fired across the set."""

    check: str
    fired: int = 0
    """Cases (of any label) on which this check failed."""
    fired_on_target: int = 0
    """Of those, cases whose defect this check is meant to catch."""
    targets: int = 0
    """Cases whose defect this check is meant to catch."""
    caught: int = 0
    """Of those, cases on which this check failed."""

    @property
    def precision(self) -> float | None:
        """Share of the check's firings that were on a case it is meant to catch."""
        return self.fired_on_target / self.fired if self.fired else None

    @property
    def recall(self) -> float | None:
        """Share of the cases it is meant to catch on which it fired."""
        return self.caught / self.targets if self.targets else None

    def as_dict(self) -> dict[str, Any]:
        """Return the counts and both rates, for calibration.json."""
        return {**self.__dict__, "precision": self.precision, "recall": self.recall}


def tally(cases: Iterable[Case]) -> Tally:
    """Return the verdict counts of all the cases."""
    total = Tally()
    for case in cases:
        total.add(case)
    return total


def tally_by(cases: Iterable[Case], key: Callable[[Case], str]) -> dict[str, Tally]:
    """Return the verdict counts per value of key (a class, a language), sorted by it."""
    groups: dict[str, Tally] = {}
    for case in cases:
        groups.setdefault(key(case), Tally()).add(case)
    return dict(sorted(groups.items()))


def by_class(cases: Iterable[Case]) -> dict[str, Tally]:
    """Return the verdict counts per class."""
    return tally_by(cases, lambda case: str(case["class"]))


def by_language(cases: Iterable[Case]) -> dict[str, Tally]:
    """Return the verdict counts per language."""
    return tally_by(cases, lambda case: str(case["language"]))


def by_check(cases: Iterable[Case], checks_for: Mapping[str, set[str]]) -> dict[str, CheckTally]:
    """Return, per check, how often it fired, on how many cases it is meant to catch (per
    checks_for: defect -> the checks meant to catch it), and how many of those it caught.
    Every check meant for a defect is listed, and every check that fired."""
    names = {check for checks in checks_for.values() for check in checks}
    rows: dict[str, CheckTally] = {name: CheckTally(name) for name in names}
    for case in cases:
        failed = set(case["failed_checks"])
        meant = checks_for.get(case["defect"], set())
        for name in failed | meant:
            row = rows.setdefault(name, CheckTally(name))
            fired, targeted = name in failed, name in meant
            row.fired += int(fired)
            row.fired_on_target += int(fired and targeted)
            row.targets += int(targeted)
            row.caught += int(fired and targeted)
    return dict(sorted(rows.items()))


def gate_failures(
    cases: Sequence[Case], must_catch: Iterable[str] = (), full_recall: Iterable[str] = FULL_RECALL
) -> list[str]:
    """Return why the critic fails the calibration gate, one reason a line; [] when it passes.

    The critic passes when it catches every case of the must-catch defects and of full_recall,
    its overall precision and recall reach MIN_PRECISION and MIN_RECALL, and no class's
    precision is below MIN_CLASS_PRECISION.
    """
    reasons: list[str] = []
    strict = list(dict.fromkeys([*must_catch, *full_recall]))
    missed = [c["id"] for c in cases if c["defect"] in strict and c["critic_passed"]]
    if missed:
        reasons.append(
            f"passed {len(missed)} labelled {' / '.join(strict)} case(s): {', '.join(missed)}"
        )
    total = tally(cases)
    if total.precision < MIN_PRECISION:
        reasons.append(f"precision {total.precision:.3f} < {MIN_PRECISION}")
    if total.recall is not None and total.recall < MIN_RECALL:
        reasons.append(f"recall {total.recall:.3f} < {MIN_RECALL}")
    low = [
        f"{name} {score.precision:.2f}"
        for name, score in by_class(cases).items()
        if score.precision < MIN_CLASS_PRECISION
    ]
    if low:
        reasons.append(f"class precision < {MIN_CLASS_PRECISION}: {', '.join(low)}")
    return reasons
