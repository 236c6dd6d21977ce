"""The weights of the priority score's parts, and a campaign's `scoring:` section over them.

    scoring:
      weights: {funding: 0.4, post: 0.1}   # any of DEFAULT_WEIGHTS; the rest keep theirs
      half_life_days: 60                   # a trigger this old counts half
      hiring_for: [platform, devops]       # what hiring "for the problem" means

Unknown weight names and values that are not numbers are named in `problems` and ignored.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.planning.segment_rules import suggestion

DEFAULT_WEIGHTS: dict[str, float] = {
    # fit: the lead against the campaign's target audience
    "title": 0.25,
    "seniority": 0.10,
    "industry": 0.15,
    "company_size": 0.10,
    "keywords": 0.05,
    "excluded": -0.50,
    # signal: fresh trigger events, each times its age weight; the strongest of each kind
    "funding": 0.30,
    "hiring": 0.25,
    "hiring_other": 0.10,
    "product_launch": 0.15,
    "leadership_change": 0.15,
    "acquisition": 0.10,
    "expansion": 0.10,
    "partnership": 0.05,
    "post": 0.15,
    "post_other": 0.05,
    # reachability: can a message get there
    "verified_email": 0.10,
    "unverified_email": 0.03,
    "invalid_email": -0.40,
    "no_address": -0.50,
    "other_channel": 0.03,
    "suppressed": -1.00,
    # reply chance: the segment's positive-reply rate since the learning's reset, as the lift
    # of its posterior mean over the prior's (agent/learning/reply_chance.py)
    "reply_chance": 2.00,
}
"""Points per part. `keywords` is per target keyword the facts mention (up to 3); `hiring` is
hiring for the problem (roles matching hiring_for), `hiring_other` any other hiring; `post` a
post on the campaign's topic, `post_other` any other."""
DEFAULT_HALF_LIFE_DAYS = 60.0
MAX_WEIGHT = 10.0
SCORING_KEYS = ("weights", "half_life_days", "hiring_for")


@dataclass
class ScoringWeights:
    """The weights a campaign scores with, and what was wrong with its `scoring:` section."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS
    hiring_for: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_scoring(raw: Any) -> ScoringWeights:
    """Read a campaign's `scoring:` section; what cannot be read is named and left out."""
    result = ScoringWeights()
    if raw is None:
        return result
    if not isinstance(raw, Mapping):
        result.problems.append("scoring must be a mapping of weights, half_life_days, hiring_for")
        return result
    for key in raw:
        if key not in SCORING_KEYS:
            result.problems.append(
                f"scoring has no field {str(key)!r}{suggestion(str(key))}; it takes "
                f"{', '.join(SCORING_KEYS)}"
            )
    weights = raw.get("weights") or {}
    if not isinstance(weights, Mapping):
        result.problems.append("scoring.weights must be a mapping of part name to points")
        weights = {}
    for name, value in weights.items():
        if name not in DEFAULT_WEIGHTS:
            close = _close(str(name))
            result.problems.append(
                f"scoring.weights.{name}: no such part{close}; parts: {', '.join(DEFAULT_WEIGHTS)}"
            )
        elif isinstance(value, bool) or not isinstance(value, int | float):
            result.problems.append(f"scoring.weights.{name}: {value!r} is not a number")
        elif not math.isfinite(value) or abs(value) > MAX_WEIGHT:
            result.problems.append(f"scoring.weights.{name}: {value} is beyond ±{MAX_WEIGHT:g}")
        else:
            result.weights[name] = float(value)
    half_life = raw.get("half_life_days", DEFAULT_HALF_LIFE_DAYS)
    if (
        isinstance(half_life, bool)
        or not isinstance(half_life, int | float)
        or not (1 <= half_life <= 3650)
    ):
        result.problems.append(f"scoring.half_life_days: {half_life!r} is not 1 to 3650 days")
    else:
        result.half_life_days = float(half_life)
    hiring_for = raw.get("hiring_for") or []
    if isinstance(hiring_for, str):
        hiring_for = [hiring_for]
    if not isinstance(hiring_for, list) or not all(
        isinstance(v, str) and 0 < len(v) <= 200 for v in hiring_for
    ):
        result.problems.append("scoring.hiring_for must be a list of words")
    else:
        result.hiring_for = hiring_for[:200]
    return result


def _close(name: str) -> str:
    close = difflib.get_close_matches(name, list(DEFAULT_WEIGHTS), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""
