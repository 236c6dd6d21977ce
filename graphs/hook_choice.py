"""Which hook leads a message, by Thompson sampling over what each kind of hook has earned.

Each kind of fact a hook can cite (a post, news, hiring, ...) has a Beta posterior over its
positive-reply rate in the lead's segment: the campaign's prior plus its positive replies and
its sends without one. One draw from each candidate's posterior picks the hook that leads, so
a kind that has done well leads more often while a little-tried one still gets its chances.
The draw is seeded (the run and the lead), so a rerun writes the same message.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graphs.analysis import Hook
from graphs.learned import AngleOdds


@dataclass(frozen=True, slots=True)
class Posterior:
    """A Beta posterior over a positive-reply rate, with the data behind it."""

    prior: tuple[float, float]
    sent: int
    positive: int

    @property
    def alpha(self) -> float:
        """The prior's alpha plus the positive replies."""
        return self.prior[0] + self.positive

    @property
    def beta(self) -> float:
        """The prior's beta plus the sends without a positive reply."""
        return self.prior[1] + self.sent - self.positive

    @property
    def mean(self) -> float:
        """The expected positive-reply rate."""
        return self.alpha / (self.alpha + self.beta)

    def text(self) -> str:
        """Return the data and prior in words: "6/40 positive, prior Beta(1,9)"."""
        return (
            f"{self.positive}/{self.sent} positive, prior Beta({self.prior[0]:g},{self.prior[1]:g})"
        )


def posterior(
    odds: Iterable[AngleOdds],
    prior: tuple[float, float],
    *,
    segment: str,
    hook_kind: str | None = None,
    tone: str | None = None,
) -> Posterior:
    """Return the posterior of a segment's outcomes, narrowed to a hook kind and tone if given."""
    sent = positive = 0
    for row in odds:
        if row.segment != segment:
            continue
        if (hook_kind is not None and row.hook_kind != hook_kind) or (
            tone is not None and row.tone != tone
        ):
            continue
        sent += row.sent
        positive += row.positive
    return Posterior(prior, sent, positive)


def choose_hooks(
    hooks: Sequence[Hook],
    kinds: Sequence[str],
    odds: Sequence[AngleOdds],
    prior: tuple[float, float],
    *,
    segment: str,
    seed: str,
) -> tuple[list[Hook], dict[str, Any] | None]:
    """Return the hooks with the one whose kind drew highest first, and what was drawn.

    kinds[i] is the kind of fact hooks[i] cites. Without outcomes for the segment, or with
    fewer than two kinds to choose from, the analyst's order stands (and nothing is drawn).
    """
    candidates = sorted(set(kinds))
    if len(candidates) < 2 or not any(o.segment == segment and o.sent for o in odds):
        return list(hooks), None
    rng = random.Random(seed)
    draws: dict[str, float] = {}
    data: dict[str, str] = {}
    for kind in candidates:
        belief = posterior(odds, prior, segment=segment, hook_kind=kind)
        draws[kind] = rng.betavariate(belief.alpha, belief.beta)
        data[kind] = belief.text()
    best = max(candidates, key=lambda k: draws[k])
    order = sorted(range(len(hooks)), key=lambda i: kinds[i] != best)
    record = {
        "segment": segment,
        "chosen": best,
        "draws": {k: round(v, 4) for k, v in draws.items()},
        "data": data,
    }
    return [hooks[i] for i in order], record
