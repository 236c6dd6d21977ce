"""Text matching shared by the offline analyst and hook ranking."""

from __future__ import annotations

import re

# Text that reads as instructions to an AI rather than as news about a company.
_INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions|prompts?|rules)\b|"
    r"\b(system prompt|you are now|as an ai|language model)\b",
    re.IGNORECASE,
)


def mentions(text: str, phrase: str) -> bool:
    """Return whether text contains the phrase as whole words, ignoring case."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


def reads_as_instructions(text: str) -> bool:
    """Return whether scraped text looks like an injected instruction, not information."""
    return _INSTRUCTION_LIKE.search(text) is not None
