"""The typed commands over leads: list them, show one, trace a hook, import a file, erase one."""

from __future__ import annotations

import re
from typing import Any, Final

from agent.operator.command_grammar import (
    ID_LIMIT,
    Command,
    Problem,
    Said,
    brief,
    checked_id,
    nothing_left,
    plain_name,
    quoted,
    strip_filler,
    take_id,
    whole_number,
)
from agent.operator.views import MAX_LIST

_LEAD_FILLER: Final = r"(?:(?:for|about|on|of)\s+)?(?:(?:the\s+)?lead\s+)?"


_TOKEN: Final = re.compile(r'"[^"]*"|“[^”]*”|\S+')
_LEADS_OPTION: Final = re.compile(r"(status|state|limit|top|first)[=:](.+)", re.IGNORECASE)
_LEADS_CAMPAIGN_MARKERS: Final = frozenset({"in", "for", "from", "of", "campaign"})


def _read_list_leads(rest: str, said: Said) -> dict[str, Any]:
    """`leads [in] [campaign] [status S] [limit N]`, in any order; campaign words gather up."""
    tokens: list[str] = []
    for token in _TOKEN.findall(rest):
        option = _LEADS_OPTION.fullmatch(token)
        tokens.extend(option.groups() if option else (token,))
    args: dict[str, Any] = {}
    campaign_words: list[str] = []
    position = 0
    while position < len(tokens):
        word = tokens[position].lower()
        if word in ("status", "state", "limit", "top", "first"):
            if position + 1 >= len(tokens):
                raise Problem(f"`{word}` needs a value, e.g. `{said.usage}`")
            value = tokens[position + 1]
            if word in ("status", "state"):
                args["status"] = plain_name(value).lower()
            else:
                if not value.isdecimal() or not 0 < whole_number(value) <= MAX_LIST:
                    raise Problem(
                        f"limit must be a positive whole number up to {MAX_LIST}, "
                        f"not {brief(value, 20)}; "
                        f"e.g. `{said.usage}`"
                    )
                args["limit"] = whole_number(value)
            position += 2
            continue
        if not (campaign_words == [] and word in _LEADS_CAMPAIGN_MARKERS):
            campaign_words.append(tokens[position])
        position += 1
    campaign = plain_name(" ".join(campaign_words))
    if campaign:
        args["campaign"] = campaign
    return {key: args[key] for key in ("campaign", "status", "limit") if key in args}


def _read_show_lead(rest: str, said: Said) -> dict[str, Any]:
    lead_id, extra = take_id(rest, said, "lead id", _LEAD_FILLER)
    nothing_left(extra, said)
    return {"lead_id": lead_id}


_HOOK_AFTER_LEAD: Final = re.compile(
    r"(?:(?:for|of|on)\s+)?(?:lead\s+)?#?(?P<lead>\d+)(?:\s*,\s*|\s+)(?:hook\s*#?|#)?"
    r"(?P<hook>\d+)[\s.!?]*",
    re.IGNORECASE,
)
_HOOK_BEFORE_LEAD: Final = re.compile(
    r"(?:hook\s*)?#?(?P<hook>\d+)\s+(?:of|for|on|from)\s+(?:lead\s+)?#?(?P<lead>\d+)[\s.!?]*",
    re.IGNORECASE,
)


def _read_hook_evidence(rest: str, said: Said) -> dict[str, Any]:
    """`evidence 5 hook 2`, `hook 5 2`, `evidence lead 5 hook 2`, or `hook 2 of lead 5`."""
    text = rest.strip()
    match = _HOOK_AFTER_LEAD.fullmatch(text) or _HOOK_BEFORE_LEAD.fullmatch(text)
    if match is None:
        raise said.needs("a lead id and a hook number", got=text)
    lead_id = checked_id(match.group("lead"), "lead id")
    hook = whole_number(match.group("hook"))
    if not 0 < hook < ID_LIMIT:
        raise Problem(
            "hook number must be a positive whole number (hooks count from 1), "
            f"not {brief(match.group('hook'), 20)}"
        )
    return {"lead_id": lead_id, "hook": hook}


def _read_import_leads(rest: str, said: Said) -> dict[str, Any]:
    text = strip_filler(r"(?:from\s+)", rest)
    inside = quoted(text)
    path = (inside if inside is not None else text).strip()
    if not path:
        raise said.needs("the path of a CSV file")
    return {"path": path}


NEEDS_LEAD_WORD: Final = ("delete", "remove")


def _read_delete_lead(rest: str, said: Said) -> dict[str, Any]:
    # Erasing is permanent and most ids typed in the chat are message ids, so a bare
    # "delete 12" is refused: the operator must say "lead" (erase/forget are lead-only words).
    if said.verb in NEEDS_LEAD_WORD:
        raise Problem(
            f"{said.verb} only erases leads and needs the word `lead`, e.g. `{said.usage}`"
        )
    lead_id, extra = take_id(rest, said, "lead id", _LEAD_FILLER)
    nothing_left(extra, said)
    return {"lead_id": lead_id}


LIST_LEADS: Final = Command(
    "list_leads",
    ("leads", "list leads", "show leads"),
    "leads Q1 status sent limit 50",
    "list leads; campaign, status and limit are optional",
    _read_list_leads,
)

SHOW_LEAD: Final = Command(
    "show_lead",
    ("lead", "facts", "show lead", "view lead", "open lead", "lead facts"),
    "lead 5",
    "a lead's facts and personalization hooks",
    _read_show_lead,
)

HOOK_EVIDENCE: Final = Command(
    "hook_evidence",
    ("evidence", "hook", "show evidence", "hook evidence"),
    "evidence 5 hook 2",
    "the evidence behind hook 2 of lead 5",
    _read_hook_evidence,
)

IMPORT_LEADS: Final = Command(
    "import_leads",
    ("import", "import leads", "load", "load leads"),
    'import "my leads.csv"',
    "import leads from a CSV file",
    _read_import_leads,
)

DELETE_LEAD: Final = Command(
    "delete_lead",
    # Bare "delete" and "remove" are refused without "lead"; see _read_delete_lead.
    (
        "delete lead",
        "erase",
        "erase lead",
        "forget",
        "forget lead",
        "remove lead",
        "delete",
        "remove",
    ),
    "delete lead 5",
    "erase a lead and its data",
    _read_delete_lead,
)
