"""The typed command that sends a campaign's approved messages: `send CAMPAIGN`."""

from __future__ import annotations

import re
from typing import Any, Final

from agent.operator.command_grammar import Command, Problem, Said, read_campaign


def _read_send_campaign(rest: str, said: Said) -> dict[str, Any]:
    if re.match(r"(?:the\s+)?(?:message|msg|draft|email)\b", rest.strip(), re.IGNORECASE):
        raise Problem(
            f"{said.verb} takes a campaign name or id, not a message, e.g. `{said.usage}`; "
            "approve messages first, then send their campaign"
        )
    campaign = read_campaign(rest)
    if not campaign:
        raise said.needs("a campaign name or id")
    return {"campaign": campaign}


SEND_CAMPAIGN: Final = Command(
    "send_campaign",
    ("send", "send campaign"),
    "send Q1",
    "send a campaign's approved messages",
    _read_send_campaign,
)
