"""A/B testing of message tones: per-arm rates, significance tests, a Bayesian winner, allocation.

Every campaign message has three variants (tones such as professional, friendly, direct) and
each send uses one of them. For each arm (tone) we count sent, delivered, opened, clicked,
replied and bounced, and judge the arms on one primary metric, the **reply rate**:

    reply_rate = replied / delivered    when the arm has any delivered events,
    reply_rate = replied / sent         otherwise (the provider reports no deliveries).

Open and click rates use the same denominator. Open rates are reported but never used to pick a
winner: Apple Mail Privacy Protection pre-fetches images, so opens are inflated and noisy.

How a winner is called. Each arm's reply rate gets a Beta(1 + replies, 1 + non-replies)
posterior. Monte Carlo draws from the posteriors (seeded, so results are reproducible) give the
probability that each arm is best and its expected loss, E[max_j p_j - p_i], i.e. how many
reply-rate points choosing it could cost. `DecisionRule` declares a winner only when the leader
is best with high probability, its expected loss is small and every arm has a minimum sample;
otherwise `AbResult.not_yet` lists, in plain English, every reason why not.

Peeking. The Bayesian decision rule is what governs the winner. The fixed-sample p-values
(Fisher's exact test when any expected cell count is below 5, otherwise an uncorrected
chi-square test, which equals the two-proportion z test) are reported for information only:
looking at them repeatedly as data arrives and stopping at the first p < 0.05 inflates false
positives well beyond 5 %.

Allocation. `allocate` picks the tone for the next send, either a fixed round-robin split or a
Thompson-sampling bandit that sends more to arms that are probably better while still exploring.

Everything here is pure: no I/O, no database, deterministic given the seed or generator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from agent.experiments.intervals import wilson

Allocation = Literal["fixed", "bandit"]

COUNTER_NAMES = ("sent", "delivered", "opened", "clicked", "replied", "bounced")
DRAWS = 20_000
"""Monte Carlo draws per arm for P(best) and expected loss."""


@dataclass(frozen=True)
class ArmCounts:
    """Event counts for one variant (tone). Counts are unique messages, so none exceeds `sent`."""

    tone: str
    sent: int
    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    replied: int = 0
    bounced: int = 0

    def __post_init__(self) -> None:
        counts = {
            "delivered": self.delivered,
            "opened": self.opened,
            "clicked": self.clicked,
            "replied": self.replied,
            "bounced": self.bounced,
        }
        if self.sent < 0 or any(value < 0 for value in counts.values()):
            raise ValueError(f"{self.tone}: counts must not be negative")
        for name, value in counts.items():
            if value > self.sent:
                raise ValueError(f"{self.tone}: {name} ({value}) exceeds sent ({self.sent})")
        if self.replied > self.trials:
            raise ValueError(
                f"{self.tone}: replied ({self.replied}) exceeds delivered ({self.delivered})"
            )

    @classmethod
    def from_counters(cls, tone: str, counters: Mapping[str, int | None]) -> ArmCounts:
        """Read tracked counters, mending what lost webhooks leave behind.

        Events arrive independently, so stored counters can disagree: a reply whose delivery
        event never came, or an event for a send recorded elsewhere. A reply, open or click
        proves a delivery, and any event proves a send.
        """
        get = {k: int(counters.get(k) or 0) for k in COUNTER_NAMES}
        if get["delivered"]:
            get["delivered"] = max(get["delivered"], get["replied"], get["opened"], get["clicked"])
        get["sent"] = max(get.values())
        return cls(tone=tone, **get)

    @property
    def rate_basis(self) -> Literal["delivered", "sent"]:
        """The denominator of the rates: delivered when any deliveries are recorded, else sent."""
        return "delivered" if self.delivered > 0 else "sent"

    @property
    def trials(self) -> int:
        """The number of messages the rates are computed over (see `rate_basis`)."""
        return self.delivered if self.delivered > 0 else self.sent


@dataclass(frozen=True)
class DecisionRule:
    """When to call a winner: all three conditions must hold."""

    prob_best: float = 0.95
    """The leader must be best with at least this posterior probability."""
    max_expected_loss: float = 0.005
    """The leader's expected loss must be below this (a fraction: 0.005 is half a point)."""
    min_sends_per_arm: int = 100
    """Every arm must have at least this many sends."""


@dataclass(frozen=True)
class ArmReport:
    """One arm's counts, rates (fractions 0..1, over `rate_basis`) and Bayesian standing.

    `open_rate` is inflated by Apple Mail Privacy Protection; read it as an upper bound and
    never as evidence that a tone works.
    """

    tone: str
    sent: int
    delivered: int
    opened: int
    clicked: int
    replied: int
    bounced: int
    rate_basis: Literal["delivered", "sent"]
    open_rate: float
    click_rate: float
    reply_rate: float
    reply_rate_ci: tuple[float, float]
    """Wilson 95 % interval; (0, 1) when the arm has no sends."""
    prob_best: float
    """Posterior probability that this arm has the highest reply rate."""
    expected_loss: float
    """Expected reply-rate shortfall against the best arm if this arm were chosen."""


@dataclass(frozen=True)
class Comparison:
    """A fixed-sample test of the leader's reply rate against another arm (information only)."""

    against: str
    test: Literal["fisher_exact", "chi_square"]
    p_value: float


@dataclass(frozen=True)
class AbResult:
    """The analysis of one message's variants; `winner` is None until `DecisionRule` is met."""

    arms: list[ArmReport]
    omnibus_test: Literal["fisher_exact", "chi_square"] | None
    """Test of "all arms have the same reply rate"; None when fewer than two arms have sends."""
    omnibus_p_value: float | None
    comparisons: list[Comparison]
    """The leader against every other arm that has sends."""
    leader: str | None
    """The sent arm most likely to be best so far (None with no sends). With few sends this can
    be a thinly sampled arm whose wide posterior beats a higher observed rate."""
    winner: str | None
    not_yet: list[str]
    """Every reason no winner is declared yet (empty when there is a winner)."""
    sends_needed_per_arm: int | None
    """With no winner: sends per arm to detect the top two observed reply rates' difference."""
    notes: list[str] = field(default_factory=list)
    """Caveats about the tests, such as a chi-square run on small expected counts."""
    primary_metric: str = "reply_rate"


def analyze(
    arms: Sequence[ArmCounts], rule: DecisionRule = DecisionRule(), *, seed: int = 0
) -> AbResult:
    """Report every arm, test the reply rates and call a winner if `rule` allows it."""
    if not arms:
        raise ValueError("analyze needs at least one arm")
    tones = [arm.tone for arm in arms]
    if len(set(tones)) != len(tones):
        raise ValueError(f"tones must be unique, got {tones}")

    prob_best, expected_loss = _posterior_standing(arms, seed)
    reports = [
        _report(arm, float(p), float(loss))
        for arm, p, loss in zip(arms, prob_best, expected_loss, strict=True)
    ]

    if sum(arm.sent for arm in arms) == 0:
        return AbResult(reports, None, None, [], None, None, ["no sends yet"], None)

    # The leader is the sent arm most likely to be best. An unsent arm's flat prior can give it a
    # high P(best), which counts against the leader, but there is nothing yet to choose it on.
    tested = [arm for arm in arms if arm.trials > 0]
    leader_report = max(
        (report for report in reports if report.sent > 0),
        key=lambda r: (r.prob_best, r.reply_rate),
    )
    leader = next(arm for arm in tested if arm.tone == leader_report.tone)
    notes: list[str] = []
    omnibus_test, omnibus_p = _omnibus(tested, notes)
    comparisons = [
        Comparison(arm.tone, *_pairwise(leader, arm)) for arm in tested if arm.tone != leader.tone
    ]

    not_yet = _reasons_not_yet(arms, leader_report, rule)
    winner = None if not_yet else leader.tone
    needed = None if winner else _needed_for_top_two(reports)
    return AbResult(
        reports, omnibus_test, omnibus_p, comparisons, leader.tone, winner, not_yet, needed, notes
    )


def sends_needed_per_arm(
    rate_a: float, rate_b: float, *, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Sends per arm to detect rate_a vs rate_b with a two-sided two-proportion z test.

    Uses the normal approximation; 3 % vs 6 % needs about 750 per arm. None when the rates are
    equal or both zero (there is no lift to detect).
    """
    if rate_a == rate_b or (rate_a <= 0 and rate_b <= 0):
        return None
    from scipy.stats import norm

    z_alpha = norm.ppf(1 - alpha / 2)
    z_power = norm.ppf(power)
    pooled = (rate_a + rate_b) / 2
    spread = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_power * math.sqrt(
        rate_a * (1 - rate_a) + rate_b * (1 - rate_b)
    )
    return math.ceil(spread**2 / (rate_a - rate_b) ** 2)


def choose_variant(arms: Sequence[ArmCounts], rng: np.random.Generator) -> str:
    """Thompson sampling: draw once from each arm's reply-rate posterior, return the top tone."""
    if not arms:
        raise ValueError("choose_variant needs at least one arm")
    alpha, beta = _posterior_parameters(arms)
    return arms[int(np.argmax(rng.beta(alpha, beta)))].tone


def allocate(
    policy: Allocation, arms: Sequence[ArmCounts], rng: np.random.Generator, index: int
) -> str:
    """The tone for send number `index`: a round-robin split ("fixed") or Thompson sampling."""
    if not arms:
        raise ValueError("allocate needs at least one arm")
    if policy == "fixed":
        return arms[index % len(arms)].tone
    if policy == "bandit":
        return choose_variant(arms, rng)
    raise ValueError(f"unknown allocation policy {policy!r}; use 'fixed' or 'bandit'")


def _posterior_parameters(arms: Sequence[ArmCounts]) -> tuple[np.ndarray, np.ndarray]:
    replied = np.array([arm.replied for arm in arms], dtype=float)
    trials = np.array([arm.trials for arm in arms], dtype=float)
    return 1 + replied, 1 + trials - replied


def _posterior_standing(arms: Sequence[ArmCounts], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """P(best) and expected loss per arm from `DRAWS` joint posterior draws."""
    alpha, beta = _posterior_parameters(arms)
    draws = np.random.default_rng(seed).beta(alpha, beta, size=(DRAWS, len(arms)))
    best = draws.argmax(axis=1)
    prob_best = np.bincount(best, minlength=len(arms)) / DRAWS
    expected_loss = (draws.max(axis=1, keepdims=True) - draws).mean(axis=0)
    return prob_best, expected_loss


def _report(arm: ArmCounts, prob_best: float, expected_loss: float) -> ArmReport:
    trials = arm.trials

    def rate(count: int) -> float:
        return count / trials if trials else 0.0

    return ArmReport(
        tone=arm.tone,
        sent=arm.sent,
        delivered=arm.delivered,
        opened=arm.opened,
        clicked=arm.clicked,
        replied=arm.replied,
        bounced=arm.bounced,
        rate_basis=arm.rate_basis,
        open_rate=rate(arm.opened),
        click_rate=rate(arm.clicked),
        reply_rate=rate(arm.replied),
        reply_rate_ci=wilson(arm.replied, trials),
        prob_best=prob_best,
        expected_loss=expected_loss,
    )


def _table(arms: Sequence[ArmCounts]) -> np.ndarray:
    """Rows are arms; columns are replied and not replied."""
    return np.array([[arm.replied, arm.trials - arm.replied] for arm in arms], dtype=float)


def _expected_counts(table: np.ndarray) -> np.ndarray:
    return np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()


def _pairwise(a: ArmCounts, b: ArmCounts) -> tuple[Literal["fisher_exact", "chi_square"], float]:
    """Fisher's exact test if any expected cell is below 5, else uncorrected chi-square."""
    from scipy.stats import chi2_contingency, fisher_exact  # ~90 MB: only reports need it

    table = _table([a, b])
    if (_expected_counts(table) < 5).any():
        return "fisher_exact", float(fisher_exact(table.astype(int)).pvalue)
    return "chi_square", float(chi2_contingency(table, correction=False).pvalue)


def _omnibus(
    tested: Sequence[ArmCounts], notes: list[str]
) -> tuple[Literal["fisher_exact", "chi_square"] | None, float | None]:
    """Are all reply rates equal? 2 arms: the pairwise rule; more: chi-square on k x 2."""
    from scipy.stats import chi2_contingency

    if len(tested) < 2:
        return None, None
    if len(tested) == 2:
        return _pairwise(tested[0], tested[1])
    table = _table(tested)
    if table[:, 0].sum() == 0:
        notes.append("no omnibus test: no variant has a reply yet")
        return None, None
    if table[:, 1].sum() == 0:
        notes.append("no omnibus test: every message has a reply, so the variants cannot differ")
        return None, None
    if (_expected_counts(table) < 5).any():
        notes.append(
            f"the omnibus chi-square test has expected counts below 5 in its {len(tested)} x 2 "
            "table, so its p-value is approximate"
        )
    return "chi_square", float(chi2_contingency(table, correction=False).pvalue)


def _reasons_not_yet(arms: Sequence[ArmCounts], leader: ArmReport, rule: DecisionRule) -> list[str]:
    reasons: list[str] = []
    if len(arms) == 1:
        reasons.append("only one variant has been sent; a winner needs at least two to compare")
    for arm in arms:
        if arm.sent < rule.min_sends_per_arm:
            reasons.append(
                f"{arm.tone} has {arm.sent} sends; each variant needs "
                f"{rule.min_sends_per_arm} before a winner is called"
            )
    if len(arms) > 1 and leader.prob_best < rule.prob_best:
        # Rounded down, so a shortfall never displays as if it met the bar.
        shown = math.floor(round(leader.prob_best * 100, 6)) / 100
        reasons.append(
            f"the best variant, {leader.tone}, is best with probability {shown:.2f}; "
            f"{rule.prob_best:g} is needed"
        )
    if len(arms) > 1 and leader.expected_loss >= rule.max_expected_loss:
        # Rounded up, for the same reason.
        shown = math.ceil(round(leader.expected_loss * 1000, 6)) / 10
        reasons.append(
            f"choosing {leader.tone} now could cost {shown:.1f} reply-rate points; "
            f"{rule.max_expected_loss * 100:g} allowed"
        )
    return reasons


def _needed_for_top_two(reports: Sequence[ArmReport]) -> int | None:
    rates = sorted((report.reply_rate for report in reports), reverse=True)
    if len(rates) < 2:
        return None
    return sends_needed_per_arm(rates[0], rates[1])
