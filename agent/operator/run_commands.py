"""The typed command that runs leads in a campaign: `run 1 2 4-9 in CAMPAIGN`."""

from __future__ import annotations

import re
from typing import Any, Final

from agent.operator.command_grammar import Command, Problem, Said, brief, checked_id, plain_name
from agent.operator.views import MAX_RUN_LEADS

_RUN_ID: Final = re.compile(
    r"\s*(?:(?:,|\band\b)\s*)?#?(?P<first>\d+)(?:\s*(?:-|–|\.\.)\s*#?(?P<last>\d+))?(?!\w|\.\d)",
    re.IGNORECASE,
)
_RUN_MARKER: Final = re.compile(
    r"(?:(?:in|for|into|on|under|with|using)(?:\s+|$))?(?:(?:the\s+)?campaign\b\s*)?",
    re.IGNORECASE,
)


def _read_run_leads(rest: str, said: Said) -> dict[str, Any]:
    """Lead ids (spaces, commas, `and`, ranges like 4-9), then `in|for|campaign <campaign>`."""
    lead_ids: list[int] = []
    position = 0
    while match := _RUN_ID.match(rest, position):
        first = checked_id(match.group("first"), "lead id")
        last = checked_id(match.group("last"), "lead id") if match.group("last") else first
        if last < first:
            raise Problem(f"the range {first}-{last} runs backwards; write {last}-{first}")
        if last - first >= MAX_RUN_LEADS:
            raise Problem(f"run takes at most {MAX_RUN_LEADS} leads at a time")
        lead_ids.extend(range(first, last + 1))
        position = match.end()
    remainder = rest[position:].strip().lstrip(",").strip()
    if not lead_ids:
        if re.match(r"#?[-+]?\d", remainder):
            raise Problem(
                f"lead ids must be positive whole numbers, not {brief(remainder.split()[0], 20)}"
            )
        raise said.needs("lead ids and a campaign", got=remainder)
    unique = list(dict.fromkeys(lead_ids))
    if len(unique) > MAX_RUN_LEADS:
        raise Problem(f"run takes at most {MAX_RUN_LEADS} leads at a time, not {len(unique)}")
    if not remainder:
        raise Problem(f"{said.verb} needs a campaign to run the leads in, e.g. `{said.usage}`")
    marker = _RUN_MARKER.match(remainder)
    if marker is None or marker.end() == 0:
        raise Problem(
            f"{said.verb} expects lead ids, then `in` and a campaign, e.g. `{said.usage}` "
            f"(could not read {brief(remainder)})"
        )
    campaign = plain_name(remainder[marker.end() :])
    if not campaign:
        raise Problem(f"{said.verb} needs a campaign to run the leads in, e.g. `{said.usage}`")
    return {"lead_ids": unique, "campaign": campaign}


RUN_LEADS: Final = Command(
    "run_leads",
    ("run", "research", "run leads", "run lead", "research leads", "research lead"),
    "run 1 2 3 in Q1",
    "research leads and draft messages",
    _read_run_leads,
)
