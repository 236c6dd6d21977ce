"""Recognize scraped text that tries to instruct an AI instead of informing a reader."""

from __future__ import annotations

import re

_INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|guidelines)\b"
    r"|\b(system prompt|developer mode|you are now|as an ai\b|language model|ai assistants?"
    r" reading)",
    re.IGNORECASE,
)


def reads_as_instructions(text: str) -> bool:
    """Return whether text looks like a prompt-injection attempt rather than information."""
    return _INSTRUCTION_LIKE.search(text) is not None
