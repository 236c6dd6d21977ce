"""An earlier outreach to a colleague of the lead, as a fact from our own records.

Leads at one company (their email's domain; free mail is no company) in one campaign form an
account. When we already sent a message to one of the lead's colleagues in the campaign, the
agent's outreach history (agent/planning/earlier_outreach.py, handed over through the run's
context as `PipelineContext.outreach_history`) says so as a fact of kind earlier_outreach: "We
emailed Maya Okafor (VP Engineering) at Northwind Robotics on 1 December 2026." The writer may
mention it; the critic fails a draft claiming an earlier contact without it
(graphs/critic/outreach_claims.py). The analyst never sees it: it is no hook.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from graphs.lead import Lead
from tools.facts import Fact, FactKind

OUTREACH_TOOL = "outreach_history"
"""The tool name of earlier_outreach facts: our own records, not research."""


class OutreachHistory(Protocol):
    """Where a run learns whether a colleague of the lead was already written to."""

    async def earlier_outreach(self, campaign: str, lead: Lead, now: datetime) -> Fact | None:
        """Return the fact of the latest message sent to one colleague of the lead in the
        named campaign (None: none was, or none may be mentioned)."""
        ...


def without_records(facts: Sequence[Fact]) -> list[Fact]:
    """Return the facts without earlier_outreach ones (an earlier step's may be stale)."""
    return [f for f in facts if f.kind is not FactKind.EARLIER_OUTREACH]
