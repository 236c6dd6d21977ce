"""A lead's priority: a sum of named parts, each with its reason, so a report can show why.

- fit: the title, seniority, industry and company size against the campaign's target audience,
  target keywords the facts mention, and excluded words (a large minus);
- signal: fresh trigger events (funding, hiring for the problem, launches, posts on the topic,
  ...), each weighed by its age (half after `half_life_days`); the strongest of each kind;
- reachability: a verified email (or one marked invalid), the campaign's channel, others;
- reply chance: what outcomes say about this segment and angle. `ReplyChance` is where that
  plugs in: agent/learning/reply_chance.py reads a campaign's outcomes since its learning
  was reset; until a segment has outcomes it adds no part (`NoOutcomesYet`).

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

    def _part(self, kind: PartKind, name: str, reason: str, factor: float = 1.0) -> ScorePart:
        return ScorePart(kind, name, self.weights[name] * factor, reason)

    def fit(self, p: Prospect) -> list[ScorePart]:
        """Return the fit parts: title, seniority, industry, size, keywords, exclusions."""
        parts: list[ScorePart] = []
        if self.titles is not None:
            found = self.titles.search(p.title_words) if p.title else None
            if found:
                reason = f"title {p.title!r} matches target {self._as_written(found)!r}"
                parts.append(self._part("fit", "title", reason))
            else:
                reason = f"title {p.title or '(none)'!r} matches no target title"
                parts.append(self._part("fit", "title", reason, factor=0))
        if p.seniority in DECISION_MAKERS:
            reason = f"seniority {p.seniority} (a decision maker)"
            parts.append(self._part("fit", "seniority", reason))
        elif p.seniority == "manager":
            parts.append(self._part("fit", "seniority", "seniority manager", factor=0.5))
        if self.industries is not None and p.industry:
            found = self.industries.search(p.industry)
            if found:
                reason = f"industry {p.industry!r} matches target {self._as_written(found)!r}"
                parts.append(self._part("fit", "industry", reason))
        if self.size is not None and p.company_size is not None:
            estimate, low, high = p.company_size.estimate, self.size.low, self.size.high
            inside = estimate >= low and (high is None or estimate <= high)
            reason = (
                f"company size {p.company_size.label} "
                f"{'within' if inside else 'outside'} the target {self.size.label}"
            )
            parts.append(self._part("fit", "company_size", reason, factor=1 if inside else 0))
        if self.keywords is not None and p.fact_text:
            mentioned = sorted(set(self.keywords.findall(p.fact_text)))[:MAX_KEYWORD_PARTS]
            if mentioned:
                reason = f"facts mention {', '.join(repr(k) for k in mentioned)}"
                parts.append(self._part("fit", "keywords", reason, factor=len(mentioned)))
        if self.excluded is not None:
            found = self.excluded.search(f"{p.title_words} {p.industry} {p.company.lower()}")
            found = found or self.excluded.search(p.fact_text)
            if found:
                reason = f"mentions {found.group(0)!r}, which the campaign excludes"
                parts.append(self._part("fit", "excluded", reason))
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
            points = self.weights[name] * factor
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
        """Return the reachability parts: suppression, the email's status, the channel, other
        channels."""
        parts: list[ScorePart] = []
        if p.suppressed:
            reason = f"{p.suppressed}: on the suppression list, never written to"
            parts.append(self._part("reachability", "suppressed", reason))
        needed = _CHANNEL_ADDRESS[self.channel]
        if needed not in p.channels:
            reason = f"no {needed} address for a campaign on {self.channel.value}"
            parts.append(self._part("reachability", "no_address", reason))
        if "email" in p.channels:
            if p.email_status == "verified":
                parts.append(self._part("reachability", "verified_email", "verified email"))
            elif p.email_status == "invalid":
                reason = "email marked invalid (email status column)"
                parts.append(self._part("reachability", "invalid_email", reason))
            else:
                parts.append(self._part("reachability", "unverified_email", "email not verified"))
        others = sorted(p.channels - {needed, "email"})
        if others:
            reason = f"also reachable by {', '.join(others)}"
            parts.append(self._part("reachability", "other_channel", reason, factor=len(others)))
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
