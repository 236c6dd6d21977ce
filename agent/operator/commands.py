"""Typed commands for `outreach chat` when no language model is configured.

Without a model the chat console cannot read free-form requests, but it can still drive
Outreach Architect: `parse_command` reads a short typed command ("approve 12 variant 2",
"leads Q1 status sent") and returns the same `ToolRequest` a model would make, or a `Reply`
to show instead (the help text, or what was wrong with the command).

The grammar is one table, `_COMMANDS`: each entry names a tool, the words that start it, an
example for the help text, and a reader for the rest of the line. Command words match
case-insensitively, longest first, so "show lead 5" wins over "show 5". A reader raises
`_Problem` with a readable message when an argument is missing or wrong, and the parser turns
that into a `Reply`. Parsing is pure: nothing here touches the database or the network.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from agent.operator.views import MAX_LIST, MAX_RUN_LEADS
from graphs.drafts import TONES
from storage.models import MAX_ROW_ID

ID_LIMIT: Final = MAX_ROW_ID + 1
"""Ids are positive integers below this (they are stored as 32-bit integers)."""

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


class _Problem(Exception):
    """A command was recognized but an argument is missing or wrong; the message says which."""


@dataclass(frozen=True)
class _Said:
    """How a command was typed, for error messages: its words and its help example."""

    verb: str
    usage: str

    def needs(self, what: str, got: str = "") -> _Problem:
        """'approve needs a message id, e.g. `approve 12 variant 2`' (plus what was typed)."""
        typed = f" (got {_brief(got)})" if got.strip() else ""
        return _Problem(f"{self.verb} needs {what}, e.g. `{self.usage}`{typed}")

    def unexpected(self, extra: str) -> _Problem:
        """A command read its arguments but text was left over."""
        return _Problem(f"{self.verb} did not expect {_brief(extra)}; e.g. `{self.usage}`")


Reader = Callable[[str, _Said], dict[str, Any]]
"""Reads the text after the command words into the tool's arguments, or raises `_Problem`."""


@dataclass(frozen=True)
class _Command:
    tool: str
    verbs: tuple[str, ...]  # the first is the one the help text shows
    usage: str
    summary: str
    read: Reader


# ---------------------------------------------------------------------------------------------
# Small readers shared by the commands


def _brief(text: str, limit: int = 60) -> str:
    """The text on one line, shortened, in quotes: for quoting input back."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f'"{flat}"'


_QUOTE_PAIRS: Final = {'"': '"', "'": "'", "“": "”", "‘": "’"}


def _quoted(text: str) -> str | None:
    """The inside of text wrapped in one pair of quotes, else None."""
    if len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        return text[1:-1]
    return None


def _name(text: str) -> str:
    """A campaign name or id: quotes removed, or unquoted runs of spaces collapsed; `#3` is 3."""
    text = text.strip()
    inside = _quoted(text)
    if inside is not None:
        return inside.strip()
    if re.fullmatch(r"#\d+", text):
        return text[1:]
    return " ".join(text.split())


def _after(prefix: str, text: str) -> str:
    """Text with a leading filler (a regex) removed, unless nothing would be left."""
    text = text.strip()
    match = re.match(prefix, text, re.IGNORECASE)
    if match and text[match.end() :].strip():
        return text[match.end() :].strip()
    return text


def _no_trailing_punctuation(text: str) -> str:
    return re.sub(r"[\s.!?]+$", "", text)


_CAMPAIGN_FILLER: Final = r"(?:(?:for|of|on|in|to)\s+)?(?:(?:the\s+)?campaign\b\s*)?"


def _campaign(text: str) -> str:
    """A campaign name after optional filler: `for campaign "Q1 launch"` is `Q1 launch`."""
    return _name(_after(_CAMPAIGN_FILLER, text))


_ID_AT_START: Final = re.compile(r"#?(\d+)(?!\w|\.\d)")
_MESSAGE_FILLER: Final = (
    r"(?:(?:for|about|on|of)\s+)?(?:(?:the\s+)?(?:message|msg|draft|email)\s+)?"
)
_LEAD_FILLER: Final = r"(?:(?:for|about|on|of)\s+)?(?:(?:the\s+)?lead\s+)?"


def _whole_number(digits: str) -> int:
    """The value of a run of digits; absurdly long runs read as too big rather than failing."""
    return int(digits) if len(digits) <= 12 else ID_LIMIT


def _checked_id(digits: str, what: str) -> int:
    value = _whole_number(digits)
    if not 0 < value < ID_LIMIT:
        raise _Problem(
            f"{what} must be a positive whole number below {ID_LIMIT:,}, not {_brief(digits, 20)}"
        )
    return value


def _take_id(rest: str, said: _Said, what: str, filler: str = "") -> tuple[int, str]:
    """Read an id like `12` or `#12` at the start of rest; return it and the text after it."""
    text = rest.strip()
    if filler:
        match = re.match(filler, text, re.IGNORECASE)
        if match:
            text = text[match.end() :]
    found = _ID_AT_START.match(text)
    if found is None:
        if re.match(r"#?[-+]?\d", text):
            first = text.split()[0]
            raise _Problem(f"{what} must be a positive whole number, not {_brief(first, 20)}")
        raise said.needs(f"a {what}", got=text)
    return _checked_id(found.group(1), what), text[found.end() :]


def _nothing_left(extra: str, said: _Said) -> None:
    extra = _no_trailing_punctuation(extra.strip())
    if extra:
        raise said.unexpected(extra)


_NUMBER_WORDS: Final = {"one": 1, "two": 2, "three": 3, "first": 1, "second": 2, "third": 3}

_VARIANT: Final = re.compile(
    r"""(?:(?:with|using|as|in)\s+)?(?:the\s+)?
    (?:
        (?:variant|version|option|tone)\s*[#=]?\s*(?P<value>[^\s:,]+)
      | v\s*\#?(?P<short>\d+)
      | (?P<tone>professional|friendly|direct)(?:\s+(?:variant|version|tone|one))?
    )(?=$|[\s:,.!])""",
    re.IGNORECASE | re.VERBOSE,
)


def _variant(raw: str) -> int | str:
    """A variant: its number 1-3, or a tone name."""
    word = raw.lower().lstrip("#")
    if word in TONES:
        return word
    number = _whole_number(word) if word.isdecimal() else _NUMBER_WORDS.get(word)
    if number is None:
        raise _Problem(
            f"variant must be 1, 2 or 3, or a tone ({', '.join(TONES)}), not {_brief(raw, 20)}"
        )
    if not 1 <= number <= 3:
        raise _Problem(f"variant must be 1, 2 or 3, not {number}")
    return number


def _take_variant(text: str) -> tuple[int | str | None, str]:
    """Read `variant 2`, `v2`, `with variant 2` or a tone name at the start of text."""
    text = text.strip()
    match = _VARIANT.match(text)
    if match is None:
        return None, text
    raw = match.group("value") or match.group("short") or match.group("tone")
    return _variant(raw), text[match.end() :].strip()


# ---------------------------------------------------------------------------------------------
# One reader per command


def _read_list_campaigns(rest: str, said: _Said) -> dict[str, Any]:
    if _no_trailing_punctuation(rest.strip()):
        raise _Problem(
            f"{said.verb} takes no arguments; for one campaign's results use `analytics Q1`"
        )
    return {}


def _read_campaign_analytics(rest: str, said: _Said) -> dict[str, Any]:
    campaign = _campaign(rest)
    if not campaign:
        raise said.needs("a campaign name or id")
    return {"campaign": campaign}


_TOKEN: Final = re.compile(r'"[^"]*"|“[^”]*”|\S+')
_LEADS_OPTION: Final = re.compile(r"(status|state|limit|top|first)[=:](.+)", re.IGNORECASE)
_LEADS_CAMPAIGN_MARKERS: Final = frozenset({"in", "for", "from", "of", "campaign"})


def _read_list_leads(rest: str, said: _Said) -> dict[str, Any]:
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
                raise _Problem(f"`{word}` needs a value, e.g. `{said.usage}`")
            value = tokens[position + 1]
            if word in ("status", "state"):
                args["status"] = _name(value).lower()
            else:
                if not value.isdecimal() or not 0 < _whole_number(value) <= MAX_LIST:
                    raise _Problem(
                        f"limit must be a positive whole number up to {MAX_LIST}, "
                        f"not {_brief(value, 20)}; "
                        f"e.g. `{said.usage}`"
                    )
                args["limit"] = _whole_number(value)
            position += 2
            continue
        if not (campaign_words == [] and word in _LEADS_CAMPAIGN_MARKERS):
            campaign_words.append(tokens[position])
        position += 1
    campaign = _name(" ".join(campaign_words))
    if campaign:
        args["campaign"] = campaign
    return {key: args[key] for key in ("campaign", "status", "limit") if key in args}


def _read_show_lead(rest: str, said: _Said) -> dict[str, Any]:
    lead_id, extra = _take_id(rest, said, "lead id", _LEAD_FILLER)
    _nothing_left(extra, said)
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


def _read_hook_evidence(rest: str, said: _Said) -> dict[str, Any]:
    """`evidence 5 hook 2`, `hook 5 2`, `evidence lead 5 hook 2`, or `hook 2 of lead 5`."""
    text = rest.strip()
    match = _HOOK_AFTER_LEAD.fullmatch(text) or _HOOK_BEFORE_LEAD.fullmatch(text)
    if match is None:
        raise said.needs("a lead id and a hook number", got=text)
    lead_id = _checked_id(match.group("lead"), "lead id")
    hook = _whole_number(match.group("hook"))
    if not 0 < hook < ID_LIMIT:
        raise _Problem(
            "hook number must be a positive whole number (hooks count from 1), "
            f"not {_brief(match.group('hook'), 20)}"
        )
    return {"lead_id": lead_id, "hook": hook}


_CAMPAIGN_NAMED: Final = re.compile(r"\s+(?:as|named|called)\s+(?P<name>.+)$", re.IGNORECASE)


def _read_create_campaign(rest: str, said: _Said) -> dict[str, Any]:
    """`new campaign [from] FILE [as NAME]`; FILE and NAME may be quoted."""
    text = _after(r"(?:from\s+)", rest)
    args: dict[str, Any] = {}
    match = _CAMPAIGN_NAMED.search(text)
    if match is not None:
        name = _name(match.group("name"))
        if not name:
            raise said.needs("a name after `as`")
        args["name"] = name
        text = text[: match.start()]
    inside = _quoted(text.strip())
    path = (inside if inside is not None else text).strip()
    if not path:
        raise said.needs("the path of a campaign file (YAML or JSON)")
    return {"path": path, **args}


def _read_import_leads(rest: str, said: _Said) -> dict[str, Any]:
    text = _after(r"(?:from\s+)", rest)
    inside = _quoted(text)
    path = (inside if inside is not None else text).strip()
    if not path:
        raise said.needs("the path of a CSV file")
    return {"path": path}


_RUN_ID: Final = re.compile(
    r"\s*(?:(?:,|\band\b)\s*)?#?(?P<first>\d+)(?:\s*(?:-|–|\.\.)\s*#?(?P<last>\d+))?(?!\w|\.\d)",
    re.IGNORECASE,
)
_RUN_MARKER: Final = re.compile(
    r"(?:(?:in|for|into|on|under|with|using)(?:\s+|$))?(?:(?:the\s+)?campaign\b\s*)?",
    re.IGNORECASE,
)


def _read_run_leads(rest: str, said: _Said) -> dict[str, Any]:
    """Lead ids (spaces, commas, `and`, ranges like 4-9), then `in|for|campaign <campaign>`."""
    lead_ids: list[int] = []
    position = 0
    while match := _RUN_ID.match(rest, position):
        first = _checked_id(match.group("first"), "lead id")
        last = _checked_id(match.group("last"), "lead id") if match.group("last") else first
        if last < first:
            raise _Problem(f"the range {first}-{last} runs backwards; write {last}-{first}")
        if last - first >= MAX_RUN_LEADS:
            raise _Problem(f"run takes at most {MAX_RUN_LEADS} leads at a time")
        lead_ids.extend(range(first, last + 1))
        position = match.end()
    remainder = rest[position:].strip().lstrip(",").strip()
    if not lead_ids:
        if re.match(r"#?[-+]?\d", remainder):
            raise _Problem(
                f"lead ids must be positive whole numbers, not {_brief(remainder.split()[0], 20)}"
            )
        raise said.needs("lead ids and a campaign", got=remainder)
    unique = list(dict.fromkeys(lead_ids))
    if len(unique) > MAX_RUN_LEADS:
        raise _Problem(f"run takes at most {MAX_RUN_LEADS} leads at a time, not {len(unique)}")
    if not remainder:
        raise _Problem(f"{said.verb} needs a campaign to run the leads in, e.g. `{said.usage}`")
    marker = _RUN_MARKER.match(remainder)
    if marker is None or marker.end() == 0:
        raise _Problem(
            f"{said.verb} expects lead ids, then `in` and a campaign, e.g. `{said.usage}` "
            f"(could not read {_brief(remainder)})"
        )
    campaign = _name(remainder[marker.end() :])
    if not campaign:
        raise _Problem(f"{said.verb} needs a campaign to run the leads in, e.g. `{said.usage}`")
    return {"lead_ids": unique, "campaign": campaign}


def _read_review_queue(rest: str, said: _Said) -> dict[str, Any]:
    campaign = _campaign(rest)
    return {"campaign": campaign} if campaign else {}


def _read_show_message(rest: str, said: _Said) -> dict[str, Any]:
    message_id, extra = _take_id(rest, said, "message id", _MESSAGE_FILLER)
    _nothing_left(extra, said)
    return {"message_id": message_id}


_WHY_FILLER: Final = (
    r"(?:(?:was|were|is|did|does|do|for|about|on|of|the|decision|message|msg|draft|email)\s+)*"
)


def _read_explain_decision(rest: str, said: _Said) -> dict[str, Any]:
    """`explain 7`, `why 7`, `why was message 7 queued`: words after the id are ignored."""
    message_id, _ = _take_id(rest, said, "message id", _WHY_FILLER)
    return {"message_id": message_id}


def _read_approve_message(rest: str, said: _Said) -> dict[str, Any]:
    message_id, extra = _take_id(rest, said, "message id", _MESSAGE_FILLER)
    variant, extra = _take_variant(extra)
    extra = _no_trailing_punctuation(extra.strip())
    if re.match(r"[,\s]*(?:and\s+)?#?\d", extra):
        raise _Problem(
            f"{said.verb} takes one message id; to choose a variant write `approve 12 variant 2`"
        )
    if extra:
        raise _Problem(
            f"{said.verb} could not read {_brief(extra)}: choose a variant by number (1-3) or "
            f"tone ({', '.join(TONES)}), e.g. `{said.usage}`"
        )
    args: dict[str, Any] = {"message_id": message_id}
    if variant is not None:
        args["variant"] = variant
    return args


_SUBJECT: Final = re.compile(
    r"""(?:with\s+)?(?:the\s+|a\s+)?(?:new\s+)?subject(?:\s+line)?\s*=?\s*
    (?:"(?P<double>[^"]*)"|“(?P<curly>[^”]*)”|'(?P<single>[^']*)'(?=\s|$)|(?P<bare>[^"“].*))""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_EDIT_FORM: Final = 'edit 12 variant 2 subject "New subject": the new text'


def _split_body(text: str, said: _Said) -> tuple[str, str | None]:
    """Split at the first `:` outside a quoted subject, or at the first line break."""
    closing: str | None = None
    for index, char in enumerate(text):
        if char == "\n":
            return text[:index], text[index + 1 :]
        if closing is not None:
            if char == closing:
                closing = None
        elif char in ('"', "“"):
            closing = '"' if char == '"' else "”"
        elif char == ":":
            return text[:index], text[index + 1 :]
    if closing is not None:
        raise _Problem(f"{said.verb}: the subject's quote is never closed; e.g. `{_EDIT_FORM}`")
    return text, None


def _read_edit_message(rest: str, said: _Said) -> dict[str, Any]:
    """`edit 12 [variant] [subject "..."]: body`; the body may span several lines."""
    message_id, after_id = _take_id(rest, said, "message id", _MESSAGE_FILLER)
    header, body = _split_body(after_id, said)
    variant: int | str | None = None
    subject: str | None = None
    header = header.strip()
    while header:
        found_variant, remaining = _take_variant(header)
        if found_variant is not None and variant is None:
            variant, header = found_variant, remaining
            continue
        match = _SUBJECT.match(header)
        if match and subject is None:
            subject = next(group for group in match.groups() if group is not None).strip()
            if match.group("bare") is not None:
                subject = _name(subject)
            if not subject:
                raise _Problem(f"{said.verb}: the subject is empty; e.g. `{_EDIT_FORM}`")
            header = header[match.end() :].strip()
            continue
        raise _Problem(
            f"{said.verb} could not read {_brief(header)} before the colon; "
            f"write `{_EDIT_FORM}` (variant and subject are optional)"
        )
    body = (body or "").strip()
    if not body:
        raise _Problem(
            f"{said.verb} needs the new text after a colon, e.g. `edit 12: Hi Dana, ...` or "
            f"`{_EDIT_FORM}`; the text may span several lines"
        )
    args: dict[str, Any] = {"message_id": message_id, "body": body}
    if variant is not None:
        args["variant"] = variant
    if subject is not None:
        args["subject"] = subject
    return args


_REASON_LEAD: Final = re.compile(
    r"[\s:;,\-–—]*(?:(?:because|reason)\b[\s:;,\-–—]*)?", re.IGNORECASE
)


def _read_reject_message(rest: str, said: _Said) -> dict[str, Any]:
    message_id, extra = _take_id(rest, said, "message id", _MESSAGE_FILLER)
    lead = _REASON_LEAD.match(extra)
    reason = extra[lead.end() if lead else 0 :].strip()
    if not reason:
        raise _Problem(f"{said.verb} needs a reason, e.g. `{said.usage}`")
    return {"message_id": message_id, "reason": reason}


def _read_regenerate_message(rest: str, said: _Said) -> dict[str, Any]:
    message_id, extra = _take_id(rest, said, "message id", _MESSAGE_FILLER)
    instruction = re.sub(r"^[\s:;,\-–—]+", "", extra).strip()
    if not instruction:
        raise _Problem(
            f"{said.verb} needs an instruction saying what to change, e.g. `{said.usage}`"
        )
    return {"message_id": message_id, "instruction": instruction}


def _read_send_campaign(rest: str, said: _Said) -> dict[str, Any]:
    if re.match(r"(?:the\s+)?(?:message|msg|draft|email)\b", rest.strip(), re.IGNORECASE):
        raise _Problem(
            f"{said.verb} takes a campaign name or id, not a message, e.g. `{said.usage}`; "
            "approve messages first, then send their campaign"
        )
    campaign = _campaign(rest)
    if not campaign:
        raise said.needs("a campaign name or id")
    return {"campaign": campaign}


_NEEDS_LEAD_WORD: Final = ("delete", "remove")


def _read_delete_lead(rest: str, said: _Said) -> dict[str, Any]:
    # Erasing is permanent and most ids typed in the chat are message ids, so a bare
    # "delete 12" is refused: the operator must say "lead" (erase/forget are lead-only words).
    if said.verb in _NEEDS_LEAD_WORD:
        raise _Problem(
            f"{said.verb} only erases leads and needs the word `lead`, e.g. `{said.usage}`"
        )
    lead_id, extra = _take_id(rest, said, "lead id", _LEAD_FILLER)
    _nothing_left(extra, said)
    return {"lead_id": lead_id}


# ---------------------------------------------------------------------------------------------
# The command table


_COMMANDS: Final[tuple[_Command, ...]] = (
    _Command(
        "list_campaigns",
        ("campaigns", "list campaigns", "show campaigns"),
        "campaigns",
        "list the campaigns",
        _read_list_campaigns,
    ),
    _Command(
        "create_campaign",
        ("new campaign", "create campaign", "add campaign"),
        'new campaign examples/campaign.yaml as "Q1 launch"',
        "a draft campaign from a YAML/JSON file",
        _read_create_campaign,
    ),
    _Command(
        "campaign_analytics",
        ("analytics", "stats", "ab", "a/b", "results", "report"),
        'analytics "Q1 launch"',
        "a campaign's A/B results",
        _read_campaign_analytics,
    ),
    _Command(
        "list_leads",
        ("leads", "list leads", "show leads"),
        "leads Q1 status sent limit 50",
        "list leads; campaign, status and limit are optional",
        _read_list_leads,
    ),
    _Command(
        "show_lead",
        ("lead", "facts", "show lead", "view lead", "open lead", "lead facts"),
        "lead 5",
        "a lead's facts and personalization hooks",
        _read_show_lead,
    ),
    _Command(
        "hook_evidence",
        ("evidence", "hook", "show evidence", "hook evidence"),
        "evidence 5 hook 2",
        "the evidence behind hook 2 of lead 5",
        _read_hook_evidence,
    ),
    _Command(
        "import_leads",
        ("import", "import leads", "load", "load leads"),
        'import "my leads.csv"',
        "import leads from a CSV file",
        _read_import_leads,
    ),
    _Command(
        "run_leads",
        ("run", "research", "run leads", "run lead", "research leads", "research lead"),
        "run 1 2 3 in Q1",
        "research leads and draft messages",
        _read_run_leads,
    ),
    _Command(
        "review_queue",
        ("queue", "review", "review queue", "show queue", "pending"),
        "queue Q1",
        "messages awaiting review",
        _read_review_queue,
    ),
    _Command(
        "show_message",
        ("show", "message", "msg", "view", "open", "show message", "view message"),
        "show 12",
        "a message and its variants",
        _read_show_message,
    ),
    _Command(
        "explain_decision",
        ("explain", "why", "explain message"),
        "why 12",
        "why a message was sent, queued or rejected",
        _read_explain_decision,
    ),
    _Command(
        "approve_message",
        ("approve", "accept", "approve message"),
        "approve 12 variant 2",
        "approve; variant 1-3 or a tone",
        _read_approve_message,
    ),
    _Command(
        "edit_message",
        ("edit", "edit message"),
        "edit 12 variant 2: new text",
        'new text after the colon; subject "..." optional',
        _read_edit_message,
    ),
    _Command(
        "reject_message",
        ("reject", "decline", "reject message"),
        "reject 12 because wrong persona",
        "reject a message, with a reason",
        _read_reject_message,
    ),
    _Command(
        "regenerate_message",
        ("regenerate", "rewrite", "redraft", "regen", "regenerate message"),
        "regenerate 12 make it shorter",
        "redraft following an instruction",
        _read_regenerate_message,
    ),
    _Command(
        "send_campaign",
        ("send", "send campaign"),
        "send Q1",
        "send a campaign's approved messages",
        _read_send_campaign,
    ),
    _Command(
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
    ),
)

TOOL_NAMES: Final[tuple[str, ...]] = tuple(command.tool for command in _COMMANDS)
"""The tools the commands call: every tool of the chat, one command each."""


def _verb_pattern(verb: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in verb.split())
    return re.compile(rf"{words}(?=$|[\s#:,?\"'“])", re.IGNORECASE)


_VERB_PATTERNS: Final[tuple[tuple[re.Pattern[str], _Command], ...]] = tuple(
    (_verb_pattern(verb), command)
    for command, verb in sorted(
        ((command, verb) for command in _COMMANDS for verb in command.verbs),
        key=lambda pair: (-len(pair[1].split()), -len(pair[1])),
    )
)

_HELP_WORDS: Final = frozenset({"help", "?", "commands", "h"})


def _help_line(usage: str, summary: str) -> str:
    return f"  {usage:<32} {summary}"


def _also(command: _Command) -> str:
    primary = command.usage.split()[0]
    others = [
        verb
        for verb in command.verbs
        if " " not in verb and verb != primary and verb not in _NEEDS_LEAD_WORD
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
        f"I did not understand {_brief(line)}. Without a language model, chat only understands "
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
        said = _Said(verb=" ".join(match.group(0).lower().split()), usage=command.usage)
        try:
            return ToolRequest(command.tool, command.read(line[match.end() :], said))
        except _Problem as problem:
            message = str(problem)
            if not message.lower().startswith(said.verb):
                message = f"{said.verb}: {message}"  # say which command the problem is in
            return Reply(message)
    return Reply(_not_understood(line))
