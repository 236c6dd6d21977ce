"""How the critic reads a message: quoted titles, sentences, the greeting and the signature.

Checks that judge sentences (the call to action, the language check) read the body the same
way: a quoted title (“Our CI queue hit 48 minutes. Here is how…”) is one thing said, not two
sentences; "Dr. Okafor" and "3 a.m. red build" end no sentence; a French question may put a
space before its "?"; the greeting ("Hi Maya,") and the sign-off block ("Best regards,\\nAlex
Rivera\\nBrightpath") are not sentences of the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from graphs.critic.claim_lexicon import MONTH_ABBREVIATIONS, MONTHS
from graphs.critic.compliance import compliance_spans
from graphs.lead import Campaign

TITLE = "\x01"
"""What a quoted title becomes in masked text: one character standing for the whole title."""
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»|„[^“”\n]*[“”]")
"""Titles in English, straight, French and German quotes, each on one line."""
_END = re.compile(r"[.!?…]+[\"”»’)\]]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof st inc ltd co corp jr sr sra srta dra mme mlle nr no vs e.g i.e
    z.b bzw ca approx dept fig p.s ps a.m p.m u.a d.h s.a etc usw""".split()
) | frozenset(MONTH_ABBREVIATIONS)
"""Words a period follows without ending the sentence (when more of it follows)."""
_ALWAYS_ABBREVIATED = frozenset("mr mrs ms mx dr prof sr sra srta dra mme mlle".split())
_MONTH_WORDS = {m for names in MONTHS.values() for m in names} | set(MONTH_ABBREVIATIONS)
_MONTH_NEXT = re.compile(
    "(?:" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
"""A month name next: the number before the full stop is the day of a German date."""
_GREETING_WORDS = (
    r"hi|hello|hey|dear|good (?:morning|afternoon|evening)|hola|buenos d[ií]as|buenas tardes|"
    r"buenas|estimad[oa]s?|querid[oa]s?|bonjour|bonsoir|salut|cher|ch[èe]re|chers|madame|"
    r"monsieur|hallo|guten (?:tag|morgen|abend)|liebe[rs]?|sehr geehrte[rs]?|servus|moin"
)
_GREETING = re.compile(
    rf"^\s*(?i:{_GREETING_WORDS})\b[^,!:—–\n.?]{{0,40}}?(?:[,!:—–]+|\s*$)\s*|"
    rf"^\s*(?i:{_GREETING_WORDS})\s+(?i:mr|ms|mrs|dr|prof|sr|sra|mme|herr|frau)\.?\s+"
    r"[^,!:—–\n]{1,40}?[,!:—–]+\s*"
)
_SIGN_OFFS = (
    r"best|best regards|kind regards|warm regards|warmest regards|many thanks|regards|cheers|"
    r"thanks|thank you|thanks again|all the best|best wishes|talk soon|sincerely|yours|warmly|"
    r"yours sincerely|yours truly|saludos|un saludo|saludos cordiales|atentamente|un abrazo|"
    r"gracias|muchas gracias|cordialement|bien cordialement|bien à vous|merci|belle journée|"
    r"bonne journée|salutations|sinc[èe]res salutations|viele grüße|beste grüße|liebe grüße|"
    r"mit freundlichen grüßen|freundliche grüße|herzliche grüße|schöne grüße|danke|vielen dank|"
    r"gruß|vg|lg|mfg"
)
# Possessive quantifiers: a long line that is no sign-off fails at once instead of trying
# every way to split its words (the plain form took minutes on a seven-word sentence).
_SIGN_OFF_LINE = re.compile(rf"^\s*(?i:{_SIGN_OFFS})\b\s*[,.!—–-]?(?:\s*[^\W\d_][\w'’.-]*+)*+\s*$")
"""A sign-off line: "Best regards," or "Cheers, Alex"; the block after it is the signature."""
_SIGN_OFF_ONLY = re.compile(rf"^\s*(?i:{_SIGN_OFFS})\s*[,.!—–-]?\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+")


def mask_titles(text: str) -> str:
    """Return text with each quoted title replaced by TITLE and spaces (same length)."""
    return _QUOTED.sub(lambda m: TITLE + " " * (len(m.group(0)) - 1), text)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a message: where it is, and its text with titles masked."""

    start: int
    end: int
    masked: str
    """The sentence with quoted titles replaced by TITLE (same length as the original)."""

    @property
    def mark(self) -> str:
        """The sentence's closing punctuation ("." / "?" / "!"), or "" when it has none."""
        stripped = self.masked.rstrip(' "”»’)]')
        return stripped[-1] if stripped and stripped[-1] in ".!?…" else ""


def _ends_here(masked: str, match: re.Match[str]) -> bool:
    """Whether the punctuation matched ends a sentence (not "Dr." or "a.m. red")."""
    if not match.group(0).startswith("."):
        return True
    # The word the punctuation follows: what runs back from it to a space or "(" (a pattern
    # anchored at the end was tried at every position of the line before it).
    start = end = match.start()
    while start and not masked[start - 1].isspace() and masked[start - 1] != "(":
        start -= 1
    word = masked[start:end].casefold()
    rest = masked[match.end() :].lstrip(" \t")
    following = rest[:1]
    if word in _ALWAYS_ABBREVIATED:
        return False
    if re.fullmatch(r"\d{1,2}", word) and (following.islower() or _MONTH_NEXT.match(rest)):
        return False  # a German ordinal: "am Freitag, dem 6. November", "am 3. des Monats"
    if following and (following.islower() or following.isdigit()):
        return not (word in _ABBREVIATIONS or len(word) == 1 or "." in word)
    return not (len(word) == 1 and word.isalpha() and word.isupper())


def sentences(text: str, masked: str | None = None) -> list[Sentence]:
    """Split text into sentences, line by line, reading quoted titles as one word."""
    masked = mask_titles(text) if masked is None else masked
    return list(_sentences(masked))


@lru_cache(maxsize=256)
def _sentences(masked: str) -> tuple[Sentence, ...]:
    """The sentences of masked text (cached: the call-to-action and language checks split
    the same draft)."""
    found: list[Sentence] = []
    offset = 0
    for line in masked.split("\n"):
        start = 0
        for match in _END.finditer(line):
            if _ends_here(line, match):
                _add(found, line, start, match.end(), offset)
                start = match.end()
        _add(found, line, start, len(line), offset)
        offset += len(line) + 1
    return tuple(found)


def _add(found: list[Sentence], line: str, start: int, end: int, offset: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin, finish = offset + start + lead, offset + start + lead + len(stripped)
    found.append(Sentence(begin, finish, stripped))


def strip_greeting(sentence: str, names: Iterable[str] = ()) -> str:
    """Drop an opening greeting ("Hi Maya,", "Bonjour Camille,", "Maya —") from a sentence."""
    match = _GREETING.match(sentence)
    if match:
        return sentence[match.end() :]
    for name in names:
        if name and sentence.startswith(name):
            rest = sentence[len(name) :]
            after = re.match(r"\s*[,!:—–-]+\s*", rest)
            if after:
                return rest[after.end() :]
    return sentence


def strip_bullet(sentence: str) -> tuple[str, bool]:
    """Return a line without its bullet ("- ", "1. ") and whether it had one."""
    match = _BULLET.match(sentence)
    return (sentence[match.end() :], True) if match else (sentence, False)


def signature_start(text: str) -> int:
    """Return where the sign-off block starts (its sign-off line), or len(text) if none.

    Only a sign-off in the last six lines counts: "Thanks, Maya" early in a message is not one.
    """
    lines = text.split("\n")
    position = len(text)
    offsets = []
    total = 0
    for line in lines:
        offsets.append(total)
        total += len(line) + 1
    for index in range(len(lines) - 1, max(-1, len(lines) - 7), -1):
        line = lines[index]
        only = _SIGN_OFF_ONLY.match(line) is not None
        if only or (len(line.split()) <= 4 and _SIGN_OFF_LINE.match(line)):
            position = offsets[index]
    return position


def is_sign_off(sentence: str) -> bool:
    """Whether a sentence is a sign-off ("Cheers,", "Best regards,", "Viele Grüße,")."""
    return _SIGN_OFF_ONLY.match(sentence.rstrip(".")) is not None


_COMPLIANCE_CACHE: dict[tuple[str, ...], tuple[str, tuple[tuple[int, int], ...]]] = {}
_CACHE_SIZE = 256


def read_compliance(
    text: str, campaign: Campaign | None = None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Return text with its compliance lines blanked (as compliance.blank_compliance does) and
    their spans, computed once per text and sender: every check of a draft asks for them."""
    sender = campaign.sender if campaign is not None else None
    own = (sender.postal_address or "", sender.signature or "", sender.name) if sender else ()
    key = (text, *own)
    hit = _COMPLIANCE_CACHE.get(key)
    if hit is None:
        spans = tuple(compliance_spans(text, campaign))
        chars = list(text)
        for start, end in spans:
            for index in range(start, end):
                if chars[index] != "\n":
                    chars[index] = " "
        if len(_COMPLIANCE_CACHE) >= _CACHE_SIZE:
            _COMPLIANCE_CACHE.clear()
        hit = _COMPLIANCE_CACHE[key] = ("".join(chars), spans)
    return hit
