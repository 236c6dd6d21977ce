"""What research found about a lead, told apart from what the lead file itself says."""

from __future__ import annotations

from collections.abc import Iterable

from tools.facts import Fact, FactKind

LEAD_FILE_TOOL = "lead_file"
"""The tool name of the fact enrich writes from the lead file's own row ("X is T at C")."""


def researched(facts: Iterable[Fact]) -> list[Fact]:
    """Return the facts research found, leaving out the lead file's own line and our own
    records (an earlier outreach to a colleague says nothing about the lead)."""
    return [
        fact
        for fact in facts
        if fact.tool != LEAD_FILE_TOOL and fact.kind is not FactKind.EARLIER_OUTREACH
    ]


def found_nothing(facts: Iterable[Fact]) -> bool:
    """Whether research found nothing about the lead, so a message can only be unpersonalized."""
    return not researched(facts)
