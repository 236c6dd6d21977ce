"""The pieces every typed command is read with: the Command record, Problem, and shared readers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from storage.models import MAX_ROW_ID

ID_LIMIT: Final = MAX_ROW_ID + 1
"""Ids are positive integers below this (they are stored as 32-bit integers)."""


class Problem(Exception):
    """A command was recognized but an argument is missing or wrong; the message says which."""


@dataclass(frozen=True)
class Said:
    """How a command was typed, for error messages: its words and its help example."""

    verb: str
    usage: str

    def needs(self, what: str, got: str = "") -> Problem:
        """Return "approve needs a message id, e.g. `approve 12 variant 2`" plus what was typed."""
        typed = f" (got {brief(got)})" if got.strip() else ""
        return Problem(f"{self.verb} needs {what}, e.g. `{self.usage}`{typed}")

    def unexpected(self, extra: str) -> Problem:
        """Return the problem of text left over after a command read its arguments."""
        return Problem(f"{self.verb} did not expect {brief(extra)}; e.g. `{self.usage}`")


Reader = Callable[[str, Said], dict[str, Any]]
"""Reads the text after the command words into the tool's arguments, or raises `Problem`."""


@dataclass(frozen=True)
class Command:
    """One row of the command table: a tool, the words that start it, its help, its reader."""

    tool: str
    verbs: tuple[str, ...]  # the first is the one the help text shows
    usage: str
    summary: str
    read: Reader


def brief(text: str, limit: int = 60) -> str:
    """Return text on one line, shortened, in quotes: for quoting input back."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f'"{flat}"'


_QUOTE_PAIRS: Final = {'"': '"', "'": "'", "“": "”", "‘": "’"}


def quoted(text: str) -> str | None:
    """Return the inside of text wrapped in one pair of quotes, else None."""
    if len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        return text[1:-1]
    return None


def plain_name(text: str) -> str:
    """Return a name or id as typed: quotes removed, else runs of spaces collapsed; `#3` is 3."""
    text = text.strip()
    inside = quoted(text)
    if inside is not None:
        return inside.strip()
    if re.fullmatch(r"#\d+", text):
        return text[1:]
    return " ".join(text.split())


def strip_filler(prefix: str, text: str) -> str:
    """Return text with a leading filler (a regex) removed, unless nothing would be left."""
    text = text.strip()
    match = re.match(prefix, text, re.IGNORECASE)
    if match and text[match.end() :].strip():
        return text[match.end() :].strip()
    return text


def without_trailing_punctuation(text: str) -> str:
    """Return text without trailing spaces, full stops, exclamation or question marks."""
    return re.sub(r"[\s.!?]+$", "", text)


_CAMPAIGN_FILLER: Final = r"(?:(?:for|of|on|in|to)\s+)?(?:(?:the\s+)?campaign\b\s*)?"


def read_campaign(text: str) -> str:
    """Return a campaign name after optional filler: `for campaign "Q1 launch"` is `Q1 launch`."""
    return plain_name(strip_filler(_CAMPAIGN_FILLER, text))


_ID_AT_START: Final = re.compile(r"#?(\d+)(?!\w|\.\d)")


def whole_number(digits: str) -> int:
    """Return a run of digits' value; absurdly long runs read as too big rather than failing."""
    return int(digits) if len(digits) <= 12 else ID_LIMIT


def checked_id(digits: str, what: str) -> int:
    """Return digits as an id, or raise Problem if they are not a positive id below ID_LIMIT."""
    value = whole_number(digits)
    if not 0 < value < ID_LIMIT:
        raise Problem(
            f"{what} must be a positive whole number below {ID_LIMIT:,}, not {brief(digits, 20)}"
        )
    return value


def take_id(rest: str, said: Said, what: str, filler: str = "") -> tuple[int, str]:
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
            raise Problem(f"{what} must be a positive whole number, not {brief(first, 20)}")
        raise said.needs(f"a {what}", got=text)
    return checked_id(found.group(1), what), text[found.end() :]


def nothing_left(extra: str, said: Said) -> None:
    """Raise Problem if anything but trailing punctuation is left after a command's arguments."""
    extra = without_trailing_punctuation(extra.strip())
    if extra:
        raise said.unexpected(extra)
