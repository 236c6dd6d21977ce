"""A campaign's segments as written (`segments:` in a campaign file or the API), read into
compiled segments, with every problem named by segment, rule and field.

    segment_split: partial        # or full
    segments:
      - name: platform-leaders
        share: 0.5                # of the week's first touches
        match: {title: [CTO, VP Engineering], trigger: [funding, hiring]}
        angle: {tone: direct, emphasis: "cut CI time by a third", sequence: 3-step}
      - name: managers
        share: 0.3
        rules:                    # any of these rules places a lead (first match wins)
          - {title: Engineering Manager}
          - {seniority: manager, keywords: [flaky tests]}

Order matters: a lead goes to the first segment (top to bottom) with a rule that matches it,
else to `unsegmented`. A segment that cannot be read (an unknown field, a share that is not a
number from 0 to 1, a duplicate name) is left out and named in `problems`; the others work.
Shares: with `segment_split: partial` (the default) shares may add up to less than 1, and the
rest of the week goes to unsegmented leads; with `full` they must add up to 1. Either way,
shares over 1 in all (or under 1 with `full`) are scaled to 1, with a warning. A share of 0
keeps the segment (its leads are placed there and held back) and warns that it gets no volume.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from agent.planning.problems import PlanningProblem
from agent.planning.segment_rules import Rule, RuleError, compile_rule, shown, suggestion
from agent.sequences.definition import PRESETS
from graphs.drafts import Tone

UNSEGMENTED = "unsegmented"
MAX_SEGMENTS = 50
MAX_RULES = 50
MAX_NAME_CHARS = 80
MAX_EMPHASIS_CHARS = 500
SHARE_TOLERANCE = 0.001
SEGMENT_KEYS = ("name", "share", "match", "rules", "angle", "description")
ANGLE_KEYS = ("tone", "emphasis", "sequence")
Split = Literal["partial", "full"]


@dataclass(frozen=True, slots=True)
class Angle:
    """How a segment is written to: a tone, what the pitch stresses, and a sequence preset."""

    tone: str | None = None
    emphasis: str | None = None
    sequence: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Return the angle as the API and JSON lines show it."""
        return {"tone": self.tone, "emphasis": self.emphasis, "sequence": self.sequence}

    def text(self) -> str:
        """Return the angle in one line for a table."""
        parts = [self.tone, self.sequence, f"“{self.emphasis}”" if self.emphasis else None]
        return ", ".join(p for p in parts if p) or "-"


@dataclass(frozen=True, slots=True)
class Segment:
    """A compiled segment: its rules, its target share of the week, and its angle."""

    name: str
    share: float
    """As written."""
    rules: tuple[Rule, ...]
    angle: Angle
    target_share: float = 0.0
    """Of the week's first touches, after scaling when the shares do not add up."""


@dataclass(frozen=True, slots=True)
class SegmentProblem(PlanningProblem):
    """What is wrong with a segment (an error leaves it out; a warning keeps it)."""

    segment: str | None = None
    rule: int | None = None

    def __str__(self) -> str:
        return f"{self.level}: {self.text()}"

    def where(self) -> dict[str, Any]:
        """Return the segment and rule the problem is in."""
        return {"segment": self.segment, "rule": self.rule}


@dataclass
class SegmentSetup:
    """The segments that work, in order, the share left to unsegmented leads, and problems."""

    segments: list[Segment] = field(default_factory=list)
    split: Split = "partial"
    unsegmented_share: float = 1.0
    problems: list[SegmentProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[SegmentProblem]:
        """Return the problems that left a segment (or part of the setup) out."""
        return [p for p in self.problems if p.level == "error"]


def _angle(name: str, raw: Any) -> Angle:
    where = f"segment {name!r}"
    if raw is None:
        return Angle()
    if not isinstance(raw, Mapping):
        raise _Refused(f"{where}: angle must be a mapping of tone, emphasis and sequence", "angle")
    unknown = [str(k) for k in raw if k not in ANGLE_KEYS]
    if unknown:
        raise _Refused(
            f"{where}: angle has no field {shown(unknown[0])}"
            f"{suggestion(unknown[0][:80])}; it takes {', '.join(ANGLE_KEYS)}",
            f"angle.{unknown[0][:80]}",
        )
    tone, emphasis, sequence = (raw.get(k) for k in ANGLE_KEYS)
    tones = [t.value for t in Tone]
    if tone is not None and tone not in tones:
        raise _Refused(
            f"{where}: angle.tone {shown(tone)} is no tone; tones: {', '.join(tones)}", "angle.tone"
        )
    if emphasis is not None and (
        not isinstance(emphasis, str) or len(emphasis) > MAX_EMPHASIS_CHARS
    ):
        raise _Refused(
            f"{where}: angle.emphasis must be text of at most {MAX_EMPHASIS_CHARS} characters",
            "angle.emphasis",
        )
    if sequence is not None and sequence not in PRESETS:
        raise _Refused(
            f"{where}: angle.sequence {shown(sequence)} is no preset; presets: "
            f"{', '.join(PRESETS)}",
            "angle.sequence",
        )
    return Angle(tone=tone, emphasis=emphasis.strip() if emphasis else None, sequence=sequence)


class _Refused(ValueError):
    def __init__(self, message: str, field: str | None = None, rule: int | None = None):
        super().__init__(message)
        self.field = field
        self.rule = rule


def _share(name: str, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
        raise _Refused(
            f"segment {name!r}: share {shown(raw)} is not a number from 0 to 1 (0.25 for a quarter "
            "of the week)",
            "share",
        )
    return float(raw)


def _segment(index: int, raw: Any, seen: set[str]) -> Segment:
    if not isinstance(raw, Mapping):
        raise _Refused(f"segment {index}: must be a mapping with name, share and match")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
        raise _Refused(
            f"segment {index}: needs a name (text of 1 to {MAX_NAME_CHARS} characters)", "name"
        )
    name = name.strip()
    if name.lower() == UNSEGMENTED:
        raise _Refused(
            f"segment {index}: {UNSEGMENTED!r} is the name of leads no segment takes", "name"
        )
    if name.lower() in seen:
        raise _Refused(f"segment {name!r}: another segment has this name", "name")
    unknown = [str(k) for k in raw if k not in SEGMENT_KEYS]
    if unknown:
        raise _Refused(
            f"segment {name!r}: has no field {shown(unknown[0])}"
            f"{suggestion(unknown[0][:80])}; a segment takes {', '.join(SEGMENT_KEYS)}",
            unknown[0][:80],
        )
    if "share" not in raw:
        raise _Refused(f"segment {name!r}: needs a share (0 to 1 of the week's volume)", "share")
    share = _share(name, raw["share"])
    if ("match" in raw) == ("rules" in raw):
        raise _Refused(
            f"segment {name!r}: give either match (one rule) or rules (a list of them); "
            "match: {} takes every lead",
            "match",
        )
    written = [raw["match"]] if "match" in raw else raw["rules"]
    if not isinstance(written, list) or not written or len(written) > MAX_RULES:
        raise _Refused(f"segment {name!r}: rules must be a list of 1 to {MAX_RULES} rules", "rules")
    rules = []
    for number, rule in enumerate(written, start=1):
        try:
            rules.append(compile_rule(number, rule))
        except RuleError as exc:
            label = f"rule {number}" if "rules" in raw else "match"
            raise _Refused(f"segment {name!r}, {label}: {exc}", exc.field, number) from None
    return Segment(name=name, share=share, rules=tuple(rules), angle=_angle(name, raw.get("angle")))


def read_segments(raw: Any, split: Split = "partial") -> SegmentSetup:
    """Read a campaign's segments; each one that cannot be read is left out and named."""
    setup = SegmentSetup(split=split)
    if raw is None:
        return setup
    if not isinstance(raw, list):
        setup.problems.append(
            SegmentProblem("error", "segments must be a list of segments", field="segments")
        )
        return setup
    if len(raw) > MAX_SEGMENTS:
        setup.problems.append(
            SegmentProblem(
                "error",
                f"{len(raw)} segments; the first {MAX_SEGMENTS} are read",
                field="segments",
            )
        )
    seen: set[str] = set()
    for index, item in enumerate(raw[:MAX_SEGMENTS], start=1):
        try:
            segment = _segment(index, item, seen)
        except _Refused as exc:
            name = item.get("name") if isinstance(item, Mapping) else None
            setup.problems.append(
                SegmentProblem(
                    "error",
                    str(exc),
                    segment=name[:MAX_NAME_CHARS] if isinstance(name, str) else None,
                    rule=exc.rule,
                    field=exc.field,
                    effect="the segment is left out; its leads go to the next segment that matches",
                )
            )
            continue
        seen.add(segment.name.lower())
        setup.segments.append(segment)
        if segment.share == 0:
            setup.problems.append(
                SegmentProblem(
                    "warning",
                    f"segment {segment.name!r}: share 0, so its leads are held back this week "
                    "(they are placed in it and get no first touches)",
                    segment=segment.name,
                    field="share",
                )
            )
    _fit_shares(setup)
    return setup


def _fit_shares(setup: SegmentSetup) -> None:
    """Work out each segment's target share, scaling the shares when they do not add up."""
    total = sum(s.share for s in setup.segments)
    listed = " + ".join(f"{s.name} {s.share:g}" for s in setup.segments)
    scale = 1.0
    if total > 1 + SHARE_TOLERANCE:
        scale = 1 / total
        setup.problems.append(
            SegmentProblem(
                "warning",
                f"shares add up to {total:.3g} ({listed}), more than 1: each is scaled by "
                f"1/{total:.3g}, so unsegmented leads get no volume",
                field="share",
            )
        )
    elif setup.split == "full" and setup.segments and total < 1 - SHARE_TOLERANCE:
        if total == 0:
            setup.problems.append(
                SegmentProblem(
                    "warning",
                    "segment_split is full but every share is 0: no segment gets volume",
                    field="share",
                )
            )
            scale = 0.0
        else:
            scale = 1 / total
            setup.problems.append(
                SegmentProblem(
                    "warning",
                    f"segment_split is full but shares add up to {total:.3g} ({listed}): each "
                    f"is scaled by 1/{total:.3g} so they make up the whole week",
                    field="share",
                )
            )
    setup.segments = [
        Segment(s.name, s.share, s.rules, s.angle, target_share=s.share * scale)
        for s in setup.segments
    ]
    used = sum(s.target_share for s in setup.segments)
    setup.unsegmented_share = (
        0.0 if setup.split == "full" and setup.segments else max(0.0, 1 - used)
    )
