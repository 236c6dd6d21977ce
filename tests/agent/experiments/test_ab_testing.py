"""A/B testing of tones: the right test, a cautious winner, plain reasons, honest allocation."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from agent.experiments.ab_testing import (
    ArmCounts,
    DecisionRule,
    allocate,
    analyze,
    choose_variant,
    sends_needed_per_arm,
)
from agent.experiments.intervals import wilson


def arm(tone: str, sent: int, replied: int, **counts: int) -> ArmCounts:
    return ArmCounts(tone=tone, sent=sent, replied=replied, **counts)


def test_moderate_counts_use_uncorrected_chi_square() -> None:
    # 12 replies in 200 sends: 6 expected per arm, so the chi-square approximation is fine.
    result = analyze([arm("professional", 100, 9), arm("friendly", 100, 3)])

    assert result.omnibus_test == "chi_square"
    assert result.omnibus_p_value == pytest.approx(0.074, abs=0.001)
    [comparison] = result.comparisons
    assert (comparison.against, comparison.test) == ("friendly", "chi_square")
    assert comparison.p_value == pytest.approx(0.074, abs=0.001)


def test_small_counts_use_fisher_exact() -> None:
    result = analyze([arm("professional", 20, 3), arm("friendly", 20, 0)])

    assert result.omnibus_test == "fisher_exact"
    assert result.omnibus_p_value == pytest.approx(0.231, abs=0.001)
    assert [c.test for c in result.comparisons] == ["fisher_exact"]


def test_clear_difference_declares_a_winner() -> None:
    result = analyze(
        [arm("professional", 1000, 120), arm("friendly", 1000, 40), arm("direct", 1000, 45)]
    )

    assert result.winner == "professional"
    assert result.leader == "professional"
    assert result.not_yet == []
    assert result.sends_needed_per_arm is None
    best = result.arms[0]
    assert best.prob_best > 0.99
    assert best.reply_rate == pytest.approx(0.12)
    assert best.reply_rate_ci[0] < 0.12 < best.reply_rate_ci[1]
    assert result.omnibus_test == "chi_square"
    assert result.omnibus_p_value is not None and result.omnibus_p_value < 1e-6
    assert {c.against for c in result.comparisons} == {"friendly", "direct"}
    assert sum(a.prob_best for a in result.arms) == pytest.approx(1.0)


def test_close_race_declares_none_and_says_why() -> None:
    result = analyze([arm("professional", 1000, 30), arm("friendly", 1000, 31)])

    assert result.winner is None
    assert len(result.not_yet) == 1
    assert result.not_yet[0].startswith(
        f"the best variant, {result.leader}, is best with probability"
    )
    assert "0.95 is needed" in result.not_yet[0]
    assert result.sends_needed_per_arm is not None and result.sends_needed_per_arm > 100_000


def test_too_few_sends_blocks_a_winner_even_when_the_leader_is_probably_best() -> None:
    result = analyze([arm("professional", 20, 5), arm("friendly", 20, 0)])

    assert result.arms[0].prob_best > 0.95
    assert result.winner is None
    assert result.leader == "professional"
    assert (
        "friendly has 20 sends; each variant needs 100 before a winner is called" in result.not_yet
    )


def test_every_unmet_condition_is_listed() -> None:
    result = analyze(
        [arm("professional", 150, 6), arm("friendly", 34, 1), arm("direct", 150, 5)],
        DecisionRule(max_expected_loss=0.005),
    )

    assert result.winner is None
    assert result.not_yet[0] == (
        "friendly has 34 sends; each variant needs 100 before a winner is called"
    )
    assert any("is best with probability" in reason for reason in result.not_yet)
    assert any(
        "reply-rate points; 0.5 allowed" in reason and reason.startswith("choosing ")
        for reason in result.not_yet
    )


def test_zero_sends_says_no_sends_yet() -> None:
    result = analyze([arm("professional", 0, 0), arm("friendly", 0, 0), arm("direct", 0, 0)])

    assert result.not_yet == ["no sends yet"]
    assert result.winner is None and result.leader is None
    assert result.omnibus_test is None and result.comparisons == []
    assert all(a.reply_rate == 0 and a.reply_rate_ci == (0.0, 1.0) for a in result.arms)


def test_an_unsent_arm_is_reported_but_not_tested() -> None:
    result = analyze([arm("professional", 200, 10), arm("friendly", 200, 4), arm("direct", 0, 0)])

    assert [a.tone for a in result.arms] == ["professional", "friendly", "direct"]
    assert result.arms[2].reply_rate_ci == (0.0, 1.0)
    assert [c.against for c in result.comparisons] == ["friendly"]
    assert "direct has 0 sends; each variant needs 100 before a winner is called" in result.not_yet


def test_one_arm_never_wins() -> None:
    result = analyze([arm("professional", 500, 40)])

    assert result.winner is None
    assert result.comparisons == [] and result.omnibus_test is None
    assert result.not_yet == [
        "only one variant has been sent; a winner needs at least two to compare"
    ]


def test_opens_never_pick_the_winner() -> None:
    result = analyze(
        [
            arm("professional", 1000, 40, delivered=1000, opened=950),
            arm("friendly", 1000, 120, delivered=1000, opened=200),
        ]
    )

    assert result.arms[0].open_rate == pytest.approx(0.95)
    assert result.winner == "friendly"


def test_reply_rate_is_over_delivered_when_deliveries_are_recorded() -> None:
    with_deliveries, without = analyze(
        [arm("professional", 100, 9, delivered=90, bounced=10), arm("friendly", 100, 9)]
    ).arms

    assert (with_deliveries.rate_basis, with_deliveries.reply_rate) == ("delivered", 0.1)
    assert (without.rate_basis, without.reply_rate) == ("sent", 0.09)


def test_inconsistent_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="exceeds sent"):
        arm("professional", 10, 11)
    with pytest.raises(ValueError, match="exceeds delivered"):
        arm("professional", 10, 5, delivered=4)
    with pytest.raises(ValueError, match="unique"):
        analyze([arm("professional", 10, 1), arm("professional", 10, 2)])


def test_sends_needed_for_three_to_six_percent() -> None:
    needed = sends_needed_per_arm(0.03, 0.06)

    assert needed is not None and 700 <= needed <= 800
    assert sends_needed_per_arm(0.05, 0.05) is None
    assert sends_needed_per_arm(0.0, 0.0) is None


def test_sends_needed_is_reported_without_a_winner() -> None:
    result = analyze([arm("professional", 50, 3), arm("friendly", 50, 1)])

    assert result.winner is None
    assert result.sends_needed_per_arm == sends_needed_per_arm(0.06, 0.02)


def test_same_seed_same_result_and_other_seeds_agree_closely() -> None:
    arms = [arm("professional", 300, 14), arm("friendly", 300, 10), arm("direct", 300, 12)]

    assert analyze(arms, seed=7) == analyze(arms, seed=7)
    for a, b in zip(analyze(arms, seed=1).arms, analyze(arms, seed=2).arms, strict=True):
        assert a.prob_best == pytest.approx(b.prob_best, abs=0.02)


def test_thompson_sampling_favours_the_better_arm_but_keeps_exploring() -> None:
    arms = [arm("professional", 100, 12), arm("friendly", 100, 5), arm("direct", 100, 6)]
    rng = np.random.default_rng(0)

    counts = Counter(choose_variant(arms, rng) for _ in range(1000))

    assert counts["professional"] > 800
    assert counts["friendly"] > 0 and counts["direct"] > 0


def test_fixed_split_round_robins_and_bandit_uses_the_rng() -> None:
    arms = [arm("professional", 0, 0), arm("friendly", 0, 0), arm("direct", 0, 0)]
    rng = np.random.default_rng(0)

    assert [allocate("fixed", arms, rng, i) for i in range(4)] == [
        "professional",
        "friendly",
        "direct",
        "professional",
    ]
    seeded = [np.random.default_rng(3), np.random.default_rng(3)]
    assert allocate("bandit", arms, seeded[0], 0) == allocate("bandit", arms, seeded[1], 0)
    assert set(Counter(allocate("bandit", arms, rng, i) for i in range(300))) == {
        "professional",
        "friendly",
        "direct",
    }


def test_the_reply_rate_interval_is_wilsons() -> None:
    # 9 of 10: Wilson's 95% interval is 0.596..0.982; with no sends, any rate is possible.
    low, high = wilson(9, 10)
    assert low == pytest.approx(0.5958, abs=1e-4) and high == pytest.approx(0.9821, abs=1e-4)
    assert wilson(0, 30) == (0.0, pytest.approx(0.1135, abs=1e-4))
    assert wilson(0, 0) == (0.0, 1.0)
