"""Which segment, angle, sequence and ISO week each contacted lead counts for.

A lead counts under the segment its first message recorded when it was written (runs record
it since segments' angles shape the writing). A lead written before that is placed with the
campaign's segment rules as they are now (`segments as defined now`), over the lead's fields
and stored facts as of the day its first message went; a campaign without segments falls back
to the lead file's `segment` column, else `unsegmented`. The angle is the first message's tone,
the segment's emphasis and the hook type: the trigger (funding, hiring, ...) or kind of the fact
the first message's first hook cites, as its drafts recorded it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Row

from agent.campaigns.spec import CampaignSpec
from agent.planning.prospects import prospect_of
from agent.planning.segment_config import MAX_NAME_CHARS, UNSEGMENTED, Angle, read_segments
from agent.planning.segmentation import place
from agent.planning.signals import FactRecord, signal_of
from agent.planning.stored_facts import fact_record
from storage.first_touches import FirstTouch

SegmentBasis = Literal["recorded", "recorded_and_rules", "campaign_rules", "lead_field", "none"]
NO_HOOK = "no hook"
SINGLE_MESSAGE = "one message"
BASIS_NOTES: dict[str, str] = {
    "recorded": (
        "Segments as recorded: each lead counts under the segment its first message was "
        "written for, with that segment's emphasis then."
    ),
    "recorded_and_rules": (
        "Segments as recorded where the first message recorded one; leads written before "
        "messages recorded their segment are placed with the campaign's current rules."
    ),
    "campaign_rules": (
        "Segments as defined now: each lead is placed with the campaign's current segment rules "
        "over its fields and stored facts as of the day its first message went (messages do "
        "not record the segment they were written for), so a rule changed since moves leads."
    ),
    "lead_field": (
        "The campaign defines no segments: each lead counts under its lead file's `segment` "
        "column, else as unsegmented."
    ),
    "none": "The campaign defines no segments and no lead has a `segment` column.",
}


@dataclass(frozen=True, slots=True)
class AngleKey:
    """How a lead was written to: tone, the segment's emphasis, and the first hook's type."""

    tone: str
    emphasis: str | None
    hook: str

    def as_dict(self) -> dict[str, Any]:
        """Return the angle as JSON shows it."""
        return {"tone": self.tone, "emphasis": self.emphasis, "hook": self.hook}

    def label(self) -> str:
        """Return the angle on one line."""
        parts = [self.tone or "no tone", f"“{self.emphasis}”" if self.emphasis else None]
        return " · ".join(p for p in (*parts, self.hook) if p)


@dataclass(frozen=True, slots=True)
class AttributedLead:
    """One contacted lead (or touch.leads alike) with the groups it counts in and what it
    did."""

    touch: FirstTouch
    segment: str
    angle: AngleKey
    sequence: str
    week: str
    """The ISO week of its first message, as 2026-W49."""


def iso_week(touch: FirstTouch) -> str:
    """Return the ISO week (YYYY-Www) the lead's first message went in."""
    year, week, _ = touch.sent_at.isocalendar()
    return f"{year}-W{week:02d}"


def sequence_label(spec: CampaignSpec, enrolled: bool) -> str:
    """Return what a lead got: the campaign's sequence (its preset or step count), or one
    message when it was never enrolled."""
    definition = spec.sequence
    if not enrolled:
        return SINGLE_MESSAGE
    if definition is None:
        return "a sequence since removed"
    return definition.preset or f"{len(definition.steps)}-step custom"


def _hook_type(facts: Sequence[Any], fact_id: str | None, touch: FirstTouch) -> str:
    if touch.hook_kind == "":
        return "fact since removed"
    if touch.hook_kind is not None:  # leads counted together: their fact's kind and trigger
        trigger = touch.hook_trigger
        fact = FactRecord(touch.hook_kind, "", attributes={"trigger": trigger} if trigger else {})
        signal = signal_of(fact, touch.sent_at.date())
        return signal.kind if signal is not None else fact.kind
    if fact_id is None:
        return NO_HOOK
    for row in facts:
        if row.fact_id == fact_id:
            fact = fact_record(row)
            signal = signal_of(fact, touch.sent_at.date())
            return signal.kind if signal is not None else fact.kind
    return "fact since removed"


def _field_segment(value: Any) -> str | None:
    if value is None or not str(value).strip():
        return None
    return " ".join(str(value).split())[:MAX_NAME_CHARS]


def attribute(
    spec: CampaignSpec,
    touches: Sequence[FirstTouch],
    leads: Mapping[int, tuple[Row[Any] | None, list[Row[Any]]]],
) -> tuple[list[AttributedLead], SegmentBasis]:
    """Place each contacted lead (or leads counted together) in its segment, angle, sequence
    and week; return them and where the segments came from.

    leads: for the touches of one lead that need them, the lead (storage/prospect_reads.py's
    row; needed to place it with the rules) and its facts (all of them to place it, else at
    least the one its hook cites)."""
    setup = read_segments(spec.segments, spec.segment_split)
    angles: dict[str, Angle] = {s.name: s.angle for s in setup.segments}
    basis: SegmentBasis = "campaign_rules" if setup.segments else "none"
    found: list[AttributedLead] = []
    recorded = 0
    for touch in touches:
        lead, facts = (None, []) if touch.lead_id is None else leads.get(touch.lead_id, (None, []))
        if touch.segment is not None:
            recorded += touch.leads
            segment = touch.segment
        elif setup.segments:
            if lead is None:  # erased (GDPR) between the two reads
                continue
            prospect = prospect_of(
                lead, [fact_record(f) for f in facts], today=touch.sent_at.date(), lead_id=lead.id
            )
            segment = place(prospect, setup.segments).segment
        else:
            named = _field_segment(touch.field_segment)
            basis = "lead_field" if named or basis == "lead_field" else basis
            segment = named or UNSEGMENTED
        if touch.segment is not None:
            emphasis = touch.emphasis
        else:
            emphasis = angles[segment].emphasis if segment in angles else None
        angle = AngleKey(touch.tone, emphasis, _hook_type(facts, touch.hook_fact_id, touch))
        found.append(
            AttributedLead(
                touch, segment, angle, sequence_label(spec, touch.enrolled), iso_week(touch)
            )
        )
    if recorded:
        basis = (
            "recorded" if recorded == sum(x.touch.leads for x in found) else "recorded_and_rules"
        )
    return found, basis
