"""The typed review commands: queue, show, why, approve, edit, reject and regenerate a message."""

from __future__ import annotations

import re
from typing import Any, Final

from agent.operator.command_grammar import (
    Command,
    Problem,
    Said,
    brief,
    nothing_left,
    plain_name,
    read_campaign,
    take_id,
    whole_number,
    without_trailing_punctuation,
)
from graphs.drafts import TONES

_MESSAGE_FILLER: Final = (
    r"(?:(?:for|about|on|of)\s+)?(?:(?:the\s+)?(?:message|msg|draft|email)\s+)?"
)


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
    number = whole_number(word) if word.isdecimal() else _NUMBER_WORDS.get(word)
    if number is None:
        raise Problem(
            f"variant must be 1, 2 or 3, or a tone ({', '.join(TONES)}), not {brief(raw, 20)}"
        )
    if not 1 <= number <= 3:
        raise Problem(f"variant must be 1, 2 or 3, not {number}")
    return number


def _take_variant(text: str) -> tuple[int | str | None, str]:
    """Read `variant 2`, `v2`, `with variant 2` or a tone name at the start of text."""
    text = text.strip()
    match = _VARIANT.match(text)
    if match is None:
        return None, text
    raw = match.group("value") or match.group("short") or match.group("tone")
    return _variant(raw), text[match.end() :].strip()


def _read_review_queue(rest: str, said: Said) -> dict[str, Any]:
    campaign = read_campaign(rest)
    return {"campaign": campaign} if campaign else {}


def _read_show_message(rest: str, said: Said) -> dict[str, Any]:
    message_id, extra = take_id(rest, said, "message id", _MESSAGE_FILLER)
    nothing_left(extra, said)
    return {"message_id": message_id}


_WHY_FILLER: Final = (
    r"(?:(?:was|were|is|did|does|do|for|about|on|of|the|decision|message|msg|draft|email)\s+)*"
)


def _read_explain_decision(rest: str, said: Said) -> dict[str, Any]:
    """`explain 7`, `why 7`, `why was message 7 queued`: words after the id are ignored."""
    message_id, _ = take_id(rest, said, "message id", _WHY_FILLER)
    return {"message_id": message_id}


def _read_approve_message(rest: str, said: Said) -> dict[str, Any]:
    message_id, extra = take_id(rest, said, "message id", _MESSAGE_FILLER)
    variant, extra = _take_variant(extra)
    extra = without_trailing_punctuation(extra.strip())
    if re.match(r"[,\s]*(?:and\s+)?#?\d", extra):
        raise Problem(
            f"{said.verb} takes one message id; to choose a variant write `approve 12 variant 2`"
        )
    if extra:
        raise Problem(
            f"{said.verb} could not read {brief(extra)}: choose a variant by number (1-3) or "
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


def _split_body(text: str, said: Said) -> tuple[str, str | None]:
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
        raise Problem(f"{said.verb}: the subject's quote is never closed; e.g. `{_EDIT_FORM}`")
    return text, None


def _read_edit_message(rest: str, said: Said) -> dict[str, Any]:
    """`edit 12 [variant] [subject "..."]: body`; the body may span several lines."""
    message_id, after_id = take_id(rest, said, "message id", _MESSAGE_FILLER)
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
                subject = plain_name(subject)
            if not subject:
                raise Problem(f"{said.verb}: the subject is empty; e.g. `{_EDIT_FORM}`")
            header = header[match.end() :].strip()
            continue
        raise Problem(
            f"{said.verb} could not read {brief(header)} before the colon; "
            f"write `{_EDIT_FORM}` (variant and subject are optional)"
        )
    body = (body or "").strip()
    if not body:
        raise Problem(
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


def _read_reject_message(rest: str, said: Said) -> dict[str, Any]:
    message_id, extra = take_id(rest, said, "message id", _MESSAGE_FILLER)
    lead = _REASON_LEAD.match(extra)
    reason = extra[lead.end() if lead else 0 :].strip()
    if not reason:
        raise Problem(f"{said.verb} needs a reason, e.g. `{said.usage}`")
    return {"message_id": message_id, "reason": reason}


def _read_regenerate_message(rest: str, said: Said) -> dict[str, Any]:
    message_id, extra = take_id(rest, said, "message id", _MESSAGE_FILLER)
    instruction = re.sub(r"^[\s:;,\-–—]+", "", extra).strip()
    if not instruction:
        raise Problem(
            f"{said.verb} needs an instruction saying what to change, e.g. `{said.usage}`"
        )
    return {"message_id": message_id, "instruction": instruction}


REVIEW_QUEUE: Final = Command(
    "review_queue",
    ("queue", "review", "review queue", "show queue", "pending"),
    "queue Q1",
    "messages awaiting review",
    _read_review_queue,
)

SHOW_MESSAGE: Final = Command(
    "show_message",
    ("show", "message", "msg", "view", "open", "show message", "view message"),
    "show 12",
    "a message and its variants",
    _read_show_message,
)

EXPLAIN_DECISION: Final = Command(
    "explain_decision",
    ("explain", "why", "explain message"),
    "why 12",
    "why a message was sent, queued or rejected",
    _read_explain_decision,
)

APPROVE_MESSAGE: Final = Command(
    "approve_message",
    ("approve", "accept", "approve message"),
    "approve 12 variant 2",
    "approve; variant 1-3 or a tone",
    _read_approve_message,
)

EDIT_MESSAGE: Final = Command(
    "edit_message",
    ("edit", "edit message"),
    "edit 12 variant 2: new text",
    'new text after the colon; subject "..." optional',
    _read_edit_message,
)

REJECT_MESSAGE: Final = Command(
    "reject_message",
    ("reject", "decline", "reject message"),
    "reject 12 because wrong persona",
    "reject a message, with a reason",
    _read_reject_message,
)

REGENERATE_MESSAGE: Final = Command(
    "regenerate_message",
    ("regenerate", "rewrite", "redraft", "regen", "regenerate message"),
    "regenerate 12 make it shorter",
    "redraft following an instruction",
    _read_regenerate_message,
)
