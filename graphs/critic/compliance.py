"""Lines a compliant message carries on purpose: opt-out instructions, the sender's postal
address and signature.

"Reply STOP to opt out." names no fact, asks for no call and is no spam; a check that reads it
as a claim ("STOP" is a capitalized word nobody found) blocks every compliant text. Each check
that judges wording therefore looks at a message with these lines blanked out. Blanking keeps
every other character where it was, so spans a check reports still point into the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphs.lead import Campaign

# Keywords carriers and senders use for opt-out and help, written in capitals on purpose
# ("stop by our booth" is no instruction): English, Spanish, French and German.
_KEYWORDS = r"STOP|STOPP|HELP|AYUDA|AIDE|HILFE|BAJA|ARRET|ARRÊT|END|CANCEL|UNSUBSCRIBE|QUIT"
# Words that make a sentence an opt-out or unsubscribe notice in any of the four languages.
_NOTICE_WORDS = (
    r"unsubscribe|unsubscribing|opt[- ]?out|opt[- ]?in|no longer (?:wish|want) to (?:receive|"
    r"hear)|msg ?(?:&|and) ?data rates|message and data rates|rather not hear from (?:me|us)|"
    r"darte de baja|darse de baja|dejar de recibir|no recibir m[aá]s|cancelar (?:la )?suscripci"
    r"[oó]n|d[ée]sabonner|d[ée]sinscri(?:re|ption|vez)|ne plus recevoir|"
    r"abmelden|abbestellen|abmeldung|keine weiteren nachrichten|nicht mehr erhalten"
)
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|$)", re.MULTILINE)
# The lookaheads name the letters the keywords and notice words start with: the patterns then
# fail at once at every other position of a message.
_KEYWORD = re.compile(rf"(?=[ABCEHQSU])(?<![\w-])(?:{_KEYWORDS})(?![\w-])")
_NOTICE = re.compile(rf"(?=[acdkmnoru])(?<![\w-])(?:{_NOTICE_WORDS})", re.IGNORECASE)


def _is_notice(sentence: str) -> bool:
    """Whether a sentence is an opt-out, help or unsubscribe notice."""
    return _KEYWORD.search(sentence) is not None or _NOTICE.search(sentence) is not None


def _own_lines(campaign: Campaign | None) -> list[str]:
    """The sender's postal address and signature, line by line, as the campaign gives them."""
    if campaign is None:
        return []
    sender = campaign.sender
    lines: list[str] = []
    for block in (sender.postal_address, sender.signature):
        if block:
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) >= 3]
            lines.append(" ".join(block.split()))
    return sorted(dict.fromkeys(lines), key=len, reverse=True)


def compliance_spans(text: str, campaign: Campaign | None = None) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the compliance lines in text, in order."""
    spans: list[tuple[int, int]] = []
    # A notice's words never cross a sentence's end, so a text without them anywhere has no
    # notice sentence: most drafts have none, and reading them sentence by sentence took a
    # twentieth of the critic's time.
    sentences = _SENTENCE.finditer(text) if _is_notice(text) else ()
    for match in sentences:
        if match.group(0).strip() and _is_notice(match.group(0)):
            start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
            spans.append((start, match.end()))
    for line in _own_lines(campaign):
        for match in re.finditer(re.escape(line), text):
            spans.append(match.span())
    return _merged(spans)


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def blank_compliance(text: str, campaign: Campaign | None = None) -> str:
    """Return text with its compliance lines replaced by spaces (line breaks kept)."""
    chars = list(text)
    for start, end in compliance_spans(text, campaign):
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)


def compliance_lines(text: str, campaign: Campaign | None = None) -> list[str]:
    """Return the compliance lines of text as written, for a report."""
    return [text[start:end].strip() for start, end in compliance_spans(text, campaign)]
