"""What planning found wrong in a campaign's setup, and what it does about it.

Segments (segment_config.py) and mailboxes (cadence_config.py) each say where a problem is in
their own terms; the level, the message, the field and the effect are common to both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class PlanningProblem:
    """An error (what it names is left out) or a warning (kept), with its effect."""

    level: Literal["error", "warning"]
    message: str
    field: str | None = None
    effect: str | None = None
    """What planning does about it ("the segment is left out, ...")."""

    def text(self) -> str:
        """Return the message with its effect, in one line."""
        return f"{self.message}; {self.effect}" if self.effect else self.message

    def where(self) -> dict[str, Any]:
        """Return what the problem is about, as the API and JSON show it (none here)."""
        return {}

    def as_dict(self) -> dict[str, Any]:
        """Return the problem as the API and JSON show it."""
        return {
            "level": self.level,
            **self.where(),
            "field": self.field,
            "message": self.message,
            "effect": self.effect,
        }
