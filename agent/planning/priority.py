"""A lead's priority: a sum of named parts, each with its reason, so a report can show why.

- fit: the title, seniority, industry and company size against the campaign's target audience,
  target keywords the facts mention, and excluded words (a large minus);
- signal: fresh trigger events (funding, hiring for the problem, launches, posts on the topic,
  ...), each weighed by its age (half after `half_life_days`); the strongest of each kind;
- reachability: a verified email (or one marked invalid), the campaign's channel, others;
- reply chance: what outcomes say about this segment and angle. `ReplyChance` is where that
  plugs in; until a campaign has outcomes it adds no part (`NoOutcomesYet`).

"+0.26 signal: funding: “Acme raises $20M Series B”, published 12 days ago (×0.87)"
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from agent.planning.prospects import Prospect, parse_company_size
from agent.planning.scoring_weights import ScoringWeights
from agent.planning.segment_config import Angle
from agent.planning.segmentation import Placement
from agent.planning.seniority import DECISION_MAKERS
from agent.planning.signals import Signal, age_weight
from graphs.lead import Channel, TargetAudience

PartKind = Literal["fit", "signal", "reachability", "reply_chance"]
MAX_KEYWORD_PARTS = 3
_TITLE_NOISE = frozenset(
    "of the and & head vp svp evp chief director manager lead senior sr principal staff "
    "officer cto ceo cfo coo cio cmo cpo vice president global".split()
)
"""Words of a target title that say how senior, not what about ('Head of Platform')."""
_CHANNEL_ADDRESS = {Channel.EMAIL: "email", Channel.SMS: "phone", Channel.LINKEDIN: "linkedin"}


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One named part of a score, and why it is there."""

    kind: PartKind
    name: str
    points: float
    reason: str

    def text(self) -> str:
        """Return the part as a report line: "+0.30 fit: title 'CTO' matches target 'CTO'"."""
        return f"{self.points:+.2f} {self.kind.replace('_', ' ')}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """Return the part as JSON shows it."""
        return {
            "kind": self.kind,
            "name": self.name,
            "points": round(self.points, 4),
            "reason": self.reason,
        }


class ReplyChance(Protocol):
    """What outcomes predict for a lead in this segment, written to with this angle."""

    def part(self, prospect: Prospect, placement: Placement, angle: Angle) -> ScorePart | None:
        """Return the reply-chance part, or None when there is nothing to go on."""
        ...


class NoOutcomesYet:
    """The reply chance before a campaign has outcomes: no part, so no guess."""

    def part(self, prospect: Prospect, placement: Placement, angle: Angle) -> ScorePart | None:
        """Return None: without outcomes there is no predicted reply chance."""
        return None


@dataclass(frozen=True, slots=True)
class Priority:
    """A lead's score, its parts, and the segment it is in."""

    prospect: Prospect
    placement: Placement
    score: float
    parts: tuple[ScorePart, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON line of `outreach prioritize --json` (and an API item)."""
        prospect = self.prospect
        return {
            "email": prospect.email,
            "segment": self.placement.segment,
            "score": round(self.score, 4),
            "reasons": [part.text() for part in self.parts],
            "name": prospect.name,
            "company": prospect.company,
            "row": prospect.row,
            "lead_id": prospect.lead_id,
            "rule": self.placement.rule,
            "parts": [part.as_dict() for part in self.parts],
        }


def _pattern(values: Sequence[str]) -> re.Pattern[str] | None:
    words = sorted({v.strip().lower() for v in values if v.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in words)})(?!\w)")


def _topic_words(target: TargetAudience, hiring_for: Sequence[str]) -> list[str]:
    """What hiring 'for the problem' means: the campaign's own words, else its target keywords
    and what its target titles are about ('Head of Platform' -> platform)."""
    if hiring_for:
        return list(hiring_for)
    words = [w for t in target.titles for w in re.findall(r"[\w-]+", t.lower())]
    return [*target.keywords, *(w for w in words if w not in _TITLE_NOISE and len(w) > 2)]


class Scorer:
    """Scores prospects for one campaign: its target, weights and day, compiled once."""

    def __init__(
        self,
        *,
        target: TargetAudience,
        target_audience: Mapping[str, Any],
        channel: Channel,
        weights: ScoringWeights,
        today: date,
        reply_chance: ReplyChance | None = None,
    ):
        self.weights = weights.weights
        self.half_life = weights.half_life_days
        self.today = today
        self.channel = channel
        self.reply_chance = reply_chance or NoOutcomesYet()
        self.written = {v.strip().lower(): v.strip() for v in (*target.titles, *target.industries)}
        self.titles = _pattern(target.titles)
        self.industries = _pattern(target.industries)
        self.keywords = _pattern(target.keywords)
        self.excluded = _pattern(target.exclude_keywords)
        self.topic = _pattern(_topic_words(target, weights.hiring_for))
        self.post_topic = _pattern(target.keywords) or self.topic
        size = target_audience.get("company_size")
        self.size = parse_company_size(size) if isinstance(size, str | int) else None

    def _as_written(self, found: re.Match[str]) -> str:
        return self.written.get(found.group(0), found.group(0))

    def _w(self, name: str) -> float:
        return self.weights[name]

    def fit(self, p: Prospect) -> list[ScorePart]:
        """Return the fit parts: title, seniority, industry, size, keywords, exclusions."""
        parts: list[ScorePart] = []
        if self.titles is not None:
            found = self.titles.search(p.title_words) if p.title else None
            if found:
                parts.append(
                    ScorePart("fit", "title", self._w("title"),
                              f"title {p.title!r} matches target {self._as_written(found)!r}")
                )  # fmt: skip
            else:
                parts.append(
                    ScorePart("fit", "title", 0.0,
                              f"title {p.title or '(none)'!r} matches no target title")
                )  # fmt: skip
        if p.seniority in DECISION_MAKERS:
            parts.append(
                ScorePart("fit", "seniority", self._w("seniority"),
                          f"seniority {p.seniority} (a decision maker)")
            )  # fmt: skip
        elif p.seniority == "manager":
            parts.append(
                ScorePart("fit", "seniority", self._w("seniority") / 2, "seniority manager")
            )
        if self.industries is not None:
            found = self.industries.search(p.industry) if p.industry else None
            if found:
                parts.append(
                    ScorePart("fit", "industry", self._w("industry"),
                              f"industry {p.industry!r} matches target {self._as_written(found)!r}")
                )  # fmt: skip
        if self.size is not None and p.company_size is not None:
            estimate, low, high = p.company_size.estimate, self.size.low, self.size.high
            inside = estimate >= low and (high is None or estimate <= high)
            parts.append(
                ScorePart(
                    "fit",
                    "company_size",
                    self._w("company_size") if inside else 0.0,
                    f"company size {p.company_size.label} "
                    f"{'within' if inside else 'outside'} the target {self.size.label}",
                )
            )
        if self.keywords is not None and p.fact_text:
            mentioned = sorted(set(self.keywords.findall(p.fact_text)))[:MAX_KEYWORD_PARTS]
            if mentioned:
                parts.append(
                    ScorePart(
                        "fit",
                        "keywords",
                        self._w("keywords") * len(mentioned),
                        f"facts mention {', '.join(repr(k) for k in mentioned)}",
                    )
                )
        if self.excluded is not None:
            found = self.excluded.search(f"{p.title_words} {p.industry} {p.company.lower()}")
            found = found or self.excluded.search(p.fact_text)
            if found:
                parts.append(
                    ScorePart("fit", "excluded", self._w("excluded"),
                              f"mentions {found.group(0)!r}, which the campaign excludes")
                )  # fmt: skip
        return parts

    def _signal_weight(self, signal: Signal) -> tuple[str, str]:
        """Return the weight's name for a signal, and how it is described."""
        if signal.kind == "hiring":
            roles = f"{signal.open_roles} open roles" if signal.open_roles else "hiring"
            if self.topic is not None and (found := self.topic.search(signal.words)):
                return "hiring", f"hiring for {found.group(0)!r} ({roles})"
            return "hiring_other", f"{roles}, none for the campaign's problem"
        if signal.kind == "post":
            if self.post_topic is not None and (found := self.post_topic.search(signal.words)):
                return "post", f"post on {found.group(0)!r}"
            return "post_other", "post"
        return signal.kind, signal.kind.replace("_", " ")

    def signal(self, p: Prospect) -> list[ScorePart]:
        """Return the signal parts: the strongest trigger of each kind, weighed by age."""
        best: dict[str, ScorePart] = {}
        for signal in p.signals:
            name, label = self._signal_weight(signal)
            factor = age_weight(signal.age_days, self.half_life)
            points = self._w(name) * factor
            if points == 0 or (name in best and abs(best[name].points) >= abs(points)):
                continue
            best[name] = ScorePart(
                "signal",
                name,
                points,
                f"{label}: “{signal.headline}”, {signal.age_text()} (×{factor:.2f})",
            )
        return sorted(best.values(), key=lambda part: -part.points)

    def reachability(self, p: Prospect) -> list[ScorePart]:
        """Return the reachability parts: the email's status, the channel, other channels."""
        parts: list[ScorePart] = []
        if p.suppressed:
            parts.append(
                ScorePart("reachability", "suppressed", self._w("suppressed"),
                          f"{p.suppressed}: on the suppression list, never written to")
            )  # fmt: skip
        needed = _CHANNEL_ADDRESS[self.channel]
        if needed not in p.channels:
            parts.append(
                ScorePart("reachability", "no_address", self._w("no_address"),
                          f"no {needed} address for a campaign on {self.channel.value}")
            )  # fmt: skip
        if "email" in p.channels:
            if p.email_status == "verified":
                parts.append(
                    ScorePart("reachability", "verified_email", self._w("verified_email"),
                              "verified email")
                )  # fmt: skip
            elif p.email_status == "invalid":
                parts.append(
                    ScorePart("reachability", "invalid_email", self._w("invalid_email"),
                              "email marked invalid (email status column)")
                )  # fmt: skip
            else:
                parts.append(
                    ScorePart("reachability", "unverified_email", self._w("unverified_email"),
                              "email not verified")
                )  # fmt: skip
        others = sorted(p.channels - {needed, "email"})
        if others:
            parts.append(
                ScorePart(
                    "reachability",
                    "other_channel",
                    self._w("other_channel") * len(others),
                    f"also reachable by {', '.join(others)}",
                )
            )
        return parts

    def priority(self, p: Prospect, placement: Placement, angle: Angle) -> Priority:
        """Return the prospect's score with all its parts, largest first within each kind."""
        parts = [*self.fit(p), *self.signal(p), *self.reachability(p)]
        predicted = self.reply_chance.part(p, placement, angle)
        if predicted is not None:
            parts.append(predicted)
        return Priority(p, placement, sum(part.points for part in parts), tuple(parts))


def rank(priorities: Sequence[Priority], top: int | None = None) -> list[Priority]:
    """Return the priorities best first (ties: in the order given), at most `top` of them."""
    order = sorted(range(len(priorities)), key=lambda i: (-priorities[i].score, i))
    return [priorities[i] for i in (order[:top] if top is not None else order)]
