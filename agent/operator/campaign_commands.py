"""The typed commands over campaigns: `campaigns`, `new campaign FILE`, `analytics CAMPAIGN`."""

from __future__ import annotations

import re
from typing import Any, Final

from agent.operator.command_grammar import (
    Command,
    Problem,
    Said,
    plain_name,
    quoted,
    read_campaign,
    strip_filler,
    without_trailing_punctuation,
)


def _read_list_campaigns(rest: str, said: Said) -> dict[str, Any]:
    if without_trailing_punctuation(rest.strip()):
        raise Problem(
            f"{said.verb} takes no arguments; for one campaign's results use `analytics Q1`"
        )
    return {}


def _read_campaign_analytics(rest: str, said: Said) -> dict[str, Any]:
    campaign = read_campaign(rest)
    if not campaign:
        raise said.needs("a campaign name or id")
    return {"campaign": campaign}


_CAMPAIGN_NAMED: Final = re.compile(r"\s+(?:as|named|called)\s+(?P<name>.+)$", re.IGNORECASE)


def _read_create_campaign(rest: str, said: Said) -> dict[str, Any]:
    """`new campaign [from] FILE [as NAME]`; FILE and NAME may be quoted."""
    text = strip_filler(r"(?:from\s+)", rest)
    args: dict[str, Any] = {}
    match = _CAMPAIGN_NAMED.search(text)
    if match is not None:
        name = plain_name(match.group("name"))
        if not name:
            raise said.needs("a name after `as`")
        args["name"] = name
        text = text[: match.start()]
    inside = quoted(text.strip())
    path = (inside if inside is not None else text).strip()
    if not path:
        raise said.needs("the path of a campaign file (YAML or JSON)")
    return {"path": path, **args}


LIST_CAMPAIGNS: Final = Command(
    "list_campaigns",
    ("campaigns", "list campaigns", "show campaigns"),
    "campaigns",
    "list the campaigns",
    _read_list_campaigns,
)

CREATE_CAMPAIGN: Final = Command(
    "create_campaign",
    ("new campaign", "create campaign", "add campaign"),
    'new campaign examples/campaign.yaml as "Q1 launch"',
    "a draft campaign from a YAML/JSON file",
    _read_create_campaign,
)

CAMPAIGN_ANALYTICS: Final = Command(
    "campaign_analytics",
    ("analytics", "stats", "ab", "a/b", "results", "report"),
    'analytics "Q1 launch"',
    "a campaign's A/B results",
    _read_campaign_analytics,
)
