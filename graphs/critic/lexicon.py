"""Word lists the critic uses: spam phrases, clichés, calls to action, placeholders."""

from __future__ import annotations

import re

# Phrases that trip spam filters or read as mass mail; each hit is a soft penalty.
SPAM_PHRASES = (
    "act now", "limited time", "100% free", "risk-free", "risk free", "guaranteed",
    "no obligation", "click here", "click below", "buy now", "order now", "call now",
    "apply now", "once in a lifetime", "double your", "earn money", "make money", "get paid",
    "cash bonus", "you have been selected", "winner", "urgent", "exclusive deal",
    "special promotion", "while supplies last", "don't miss out", "best price", "lowest price",
    "no cost", "no catch", "miracle", "dear friend", "this is not spam", "this isn't spam",
    "what are you waiting for", "increase sales", "amazing deal", "incredible deal",
    "as seen on", "100% satisfied", "free gift", "free money",
)  # fmt: skip

# Filler a strict editor strikes; softer than spam.
CLICHES = (
    "i hope this email finds you well", "i hope this finds you well", "i wanted to reach out",
    "just checking in", "touch base", "circle back", "synergy", "game-changer", "game changer",
    "revolutionary", "cutting-edge", "cutting edge", "best-in-class", "world-class",
    "low-hanging fruit", "move the needle", "paradigm shift", "leverage our",
)  # fmt: skip

CTA_PATTERNS = re.compile(
    r"\b(worth a|open to|would you|are you open|could we|can we|shall we|happy to|"
    r"interested in|up for|free for|time for|call|chat|meeting|meet|demo|reply|book|"
    r"calendar|minutes?)\b",
    re.IGNORECASE,
)

PLACEHOLDER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("template variable", re.compile(r"\{\{[^}]*\}\}|\{[a-z_]+\}")),
    (
        "bracket placeholder",
        re.compile(r"\[(?:your|their|insert|first|last|company|name)[^\]]*\]", re.IGNORECASE),
    ),
    ("angle placeholder", re.compile(r"<(?:FIRST|LAST|COMPANY|NAME)[A-Z_]*>")),
    ("filler text", re.compile(r"\b(?:lorem ipsum|TODO|TBD|XXX+)\b")),
)  # fmt: skip

# Words allowed capitalized anywhere without being a claim.
NEUTRAL_CAPITALIZED = frozenset(
    """i i'm i've i'd i'll hi hello hey dear thanks thank best cheers regards sincerely warmly
    ps p.s. ok monday tuesday wednesday thursday friday mon tue wed thu fri re fwd quick""".split()
)

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
