"""Recognize untrusted text (scraped pages, lead fields) that is not plain information.

Three things never belong in a message we write: text that tries to instruct an AI instead of
informing a reader, a link we did not choose, and markup a mail client or a web page could run.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Each pattern opens with a lookahead on the letters its matches start with: Python's regex
# engine then skips every other position at once instead of trying each alternative there.
_INSTRUCTION_LIKE = re.compile(
    r"(?=[adfilosy])"
    r"(?:\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|guidelines)\b"
    r"|\b(system prompt|developer mode|you are now|as an ai\b|language model|ai assistants?"
    r" reading))",
    re.IGNORECASE,
)

# A web address: with a scheme (http://, javascript:, mailto:), starting www., or a host with a
# path ("evil.example/x"). A bare domain ("Booking.com", "Monday.com") is a name, not a link;
# so is "Node.js/React" (a file extension, not a host).
_SCHEME_URL = re.compile(
    r"\b(?:[a-z][a-z0-9+.-]{1,15}://|mailto:|javascript:|data:[a-z]+/)\S*", re.IGNORECASE
)
_WWW = re.compile(r"\bwww\.[^\s/]+\S*", re.IGNORECASE)
_HOST_WITH_PATH = re.compile(
    r"(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24}))/\S*", re.IGNORECASE
)
_NOT_A_TLD = frozenset({"js", "ts"})

# Markup that a mail client or a page could render or run: a tag of a real HTML element (so a
# placeholder such as <FIRST_NAME> is not markup), an HTML comment, an event-handler attribute
# or a script URL, including their entity-escaped forms.
_HTML_ELEMENTS = (
    "a|abbr|audio|b|base|body|br|button|canvas|details|dialog|div|em|embed|font|form|frame|"
    "frameset|h[1-6]|head|html|i|iframe|img|image|input|isindex|keygen|li|link|marquee|math|meta|"
    "noscript|object|ol|option|p|param|picture|pre|script|select|source|span|strong|style|svg|"
    "table|td|textarea|th|tr|u|ul|video|xmp"
)
_EVENTS = (
    "abort|animation\\w+|auxclick|before\\w+|begin|blur|change|click|contextmenu|copy|cut|"
    "dblclick|drag\\w*|drop|end|ended|error|focus\\w*|hashchange|input|invalid|key\\w+|load|"
    "message|mouse\\w+|paste|pause|play|pointer\\w+|reset|resize|scroll|search|select|show|"
    "submit|toggle|touch\\w+|transition\\w+|unload|wheel"
)
_MARKUP = re.compile(
    r"(?=[<&ojv])"
    rf"(?:</?(?:{_HTML_ELEMENTS})(?=[\s/>]|$)[^<>]*>?"
    r"|<!--|<!\[CDATA\["
    rf"|\bon(?:{_EVENTS})\s*="
    r"|\b(?:javascript|vbscript)\s*:"
    r"|&(?:lt|#0*60|#x0*3c);\s*/?\s*[a-z])",
    re.IGNORECASE,
)


_CACHED = 1024
"""How many texts each reading below remembers: a lead's fields and facts are screened again
for every draft the critic judges."""


@lru_cache(maxsize=_CACHED)
def reads_as_instructions(text: str) -> bool:
    """Return whether text looks like a prompt-injection attempt rather than information."""
    return _INSTRUCTION_LIKE.search(text) is not None


def instruction_phrases(text: str) -> list[str]:
    """Return the phrases of text that try to instruct an AI, in order ("ignore all … rules")."""
    return [m.group(0) for m in _INSTRUCTION_LIKE.finditer(text)]


def instruction_start(text: str) -> int | None:
    """Return where the first phrase that tries to instruct an AI starts, or None."""
    match = _INSTRUCTION_LIKE.search(text)
    return match.start() if match else None


def links_in(text: str) -> list[str]:
    """Return the web addresses in text: with a scheme, starting www., or a host with a path."""
    return list(_links_in(text))


@lru_cache(maxsize=_CACHED)
def _links_in(text: str) -> tuple[str, ...]:
    found = [m.group(0) for m in (*_SCHEME_URL.finditer(text), *_WWW.finditer(text))]
    found += [
        m.group(0)
        for m in _HOST_WITH_PATH.finditer(text)
        if m.group(2).lower() not in _NOT_A_TLD and not any(m.group(0) in f for f in found)
    ]
    return tuple(link.rstrip(".,;:!?)'\"") for link in found)


def link_hosts(links: list[str]) -> list[str]:
    """Return the host of each link ("http://evil.example/x" → "evil.example")."""
    hosts = []
    for link in links:
        rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", link, flags=re.IGNORECASE)
        host = re.split(r"[/?#:\s]", rest, maxsplit=1)[0].removeprefix("www.")
        if "." in host:
            hosts.append(host.lower())
    return hosts


def markup_in(text: str) -> list[str]:
    """Return the pieces of markup in text: tags, comments, event handlers, script URLs."""
    return list(_markup_in(text))


@lru_cache(maxsize=_CACHED)
def _markup_in(text: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in _MARKUP.finditer(text))
