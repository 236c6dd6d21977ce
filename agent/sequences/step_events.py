"""What the scheduler did, step by step: the timeline `outreach simulate` prints and the
worker logs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from storage.sequence_models import SequenceStepRow

EventKind = Literal[
    "scheduled", "sent", "queued", "task", "skipped", "paused", "resumed", "stopped", "replied",
]  # fmt: skip


@dataclass(frozen=True)
class StepEvent:
    """One thing that happened to one lead's step."""

    at: dt.datetime
    lead_id: int
    campaign_id: int
    step: int
    channel: str
    event: EventKind
    detail: str = ""


@dataclass
class StepRecorder:
    """Collects events as the scheduler goes (a tick's report, or a simulation's timeline)."""

    events: list[StepEvent] = field(default_factory=list)

    def add(
        self, step: SequenceStepRow, event: EventKind, detail: str = "", *, at: dt.datetime
    ) -> None:
        """Record an event about a step."""
        self.events.append(
            StepEvent(
                at=at,
                lead_id=step.lead_id,
                campaign_id=step.campaign_id,
                step=step.step,
                channel=step.channel,
                event=event,
                detail=detail,
            )
        )

    def take(self) -> list[StepEvent]:
        """Return the events so far and start a new list."""
        taken, self.events = self.events, []
        return taken
