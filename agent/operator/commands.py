"""Typed commands for `outreach chat` when no language model is configured.

Without a model the chat console cannot read free-form requests, but it can still drive
Outreach Architect: `parse_command` reads a short typed command ("approve 12 variant 2",
"leads Q1 status sent") and returns the same `ToolRequest` a model would make, or a `Reply`
to show instead (the help text, or what was wrong with the command).

The grammar is one table, `_COMMANDS`, assembled here from the commands of each concern
(campaign_commands, lead_commands, run_commands, review_commands, sending_commands): each
entry names a tool, the words that start it, an example for the help text, and a reader for
the rest of the line. Command words match case-insensitively, longest first, so "show lead 5"
wins over "show 5". A reader raises `Problem` (command_grammar) with a readable message when an
argument is missing or wrong, and the parser turns that into a `Reply`. Parsing is pure:
nothing here touches the database or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from agent.operator.campaign_commands import CAMPAIGN_ANALYTICS, CREATE_CAMPAIGN, LIST_CAMPAIGNS
from agent.operator.command_grammar import Command, Problem, Said, brief
from agent.operator.lead_commands import (
    DELETE_LEAD,
    HOOK_EVIDENCE,
    IMPORT_LEADS,
    LIST_LEADS,
    NEEDS_LEAD_WORD,
    SHOW_LEAD,
)
from agent.operator.review_commands import (
    APPROVE_MESSAGE,
    EDIT_MESSAGE,
    EXPLAIN_DECISION,
    REGENERATE_MESSAGE,
    REJECT_MESSAGE,
    REVIEW_QUEUE,
    SHOW_MESSAGE,
)
from agent.operator.run_commands import RUN_LEADS
from agent.operator.sending_commands import SEND_CAMPAIGN

_LLM_HINT: Final = (
    "Natural-language chat needs a model endpoint: set OUTREACH_LLM_PROVIDER=openai with "
    "OUTREACH_LLM_BASE_URL and OUTREACH_LLM_API_KEY (any OpenAI-compatible endpoint)."
)


@dataclass(frozen=True)
class ToolRequest:
    """A tool call to make: one of `TOOL_NAMES` and its JSON-serializable arguments."""

    tool: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """Text to show instead of calling a tool: help, or a clear account of what was wrong."""

    text: str


# The order is that of the help text and of TOOL_NAMES.
_COMMANDS: Final[tuple[Command, ...]] = (
    LIST_CAMPAIGNS,
    CREATE_CAMPAIGN,
    CAMPAIGN_ANALYTICS,
    LIST_LEADS,
    SHOW_LEAD,
    HOOK_EVIDENCE,
    IMPORT_LEADS,
    RUN_LEADS,
    REVIEW_QUEUE,
    SHOW_MESSAGE,
    EXPLAIN_DECISION,
    APPROVE_MESSAGE,
    EDIT_MESSAGE,
    REJECT_MESSAGE,
    REGENERATE_MESSAGE,
    SEND_CAMPAIGN,
    DELETE_LEAD,
)

TOOL_NAMES: Final[tuple[str, ...]] = tuple(command.tool for command in _COMMANDS)
"""The tools the commands call: every tool of the chat, one command each."""


def _verb_pattern(verb: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in verb.split())
    return re.compile(rf"{words}(?=$|[\s#:,?\"'“])", re.IGNORECASE)


_VERB_PATTERNS: Final[tuple[tuple[re.Pattern[str], Command], ...]] = tuple(
    (_verb_pattern(verb), command)
    for command, verb in sorted(
        ((command, verb) for command in _COMMANDS for verb in command.verbs),
        key=lambda pair: (-len(pair[1].split()), -len(pair[1])),
    )
)

_HELP_WORDS: Final = frozenset({"help", "?", "commands", "h"})


def _help_line(usage: str, summary: str) -> str:
    return f"  {usage:<32} {summary}"


def _also(command: Command) -> str:
    primary = command.usage.split()[0]
    others = [
        verb
        for verb in command.verbs
        if " " not in verb and verb != primary and verb not in NEEDS_LEAD_WORD
    ][:3]
    return f" (also: {', '.join(others)})" if others else ""


def _build_help() -> str:
    lines = ["Commands (offline mode, no model endpoint):"]
    for command in _COMMANDS:
        lines.append(_help_line(command.usage, command.summary + _also(command)))
    lines.append(_help_line("help", "this list (also: ?, commands)"))
    lines.append(
        "Ids may be written #12; separate lead ids with spaces or commas; quote names with "
        'spaces ("Q1 launch").'
    )
    lines.append(_LLM_HINT)
    return "\n".join(lines)


COMMAND_HELP: Final[str] = _build_help()
"""The help text for offline mode: one line per command, each with an example."""


def _help_reply(line: str) -> Reply | None:
    """The help text for `help`, `?` or `commands`; `help approve` shows just that command."""
    words = line.lower().split()
    if words[0] not in _HELP_WORDS:
        return None
    if len(words) == 1:
        return Reply(COMMAND_HELP)
    topic = " ".join(words[1:])
    matching = [
        _help_line(command.usage, command.summary + _also(command))
        for command in _COMMANDS
        if topic in command.verbs or topic == command.tool
    ]
    if not matching:
        return Reply(COMMAND_HELP)
    return Reply("\n".join([*matching, "Type `help` for all commands."]))


def _not_understood(line: str) -> str:
    return (
        f"I did not understand {brief(line)}. Without a language model, chat only understands "
        f"typed commands. {_LLM_HINT}\n"
        "Try `campaigns`, `leads Q1`, `queue`, `approve 12 variant 2` or `run 1 2 3 in Q1`; "
        "`help` shows all commands."
    )


def parse_command(text: str) -> ToolRequest | Reply:
    """Map one typed command to a tool request, or to a reply (help, or what was wrong)."""
    line = text.strip()
    if line.startswith("/"):  # "/help" and friends: the slash is optional here
        line = line[1:].strip()
    if not line:
        return Reply("Type a command, e.g. `campaigns` or `queue`; `help` lists them all.")
    help_reply = _help_reply(line)
    if help_reply is not None:
        return help_reply
    for pattern, command in _VERB_PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        said = Said(verb=" ".join(match.group(0).lower().split()), usage=command.usage)
        try:
            return ToolRequest(command.tool, command.read(line[match.end() :], said))
        except Problem as problem:
            message = str(problem)
            if not message.lower().startswith(said.verb):
                message = f"{said.verb}: {message}"  # say which command the problem is in
            return Reply(message)
    return Reply(_not_understood(line))
