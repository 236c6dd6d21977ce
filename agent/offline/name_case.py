"""Names and their case in sentences the offline writer builds from facts and the campaign.

A fact or a pitch sentence is joined into a frame ("I see Acme makes …", "In practice, teams
using it …"): its first letter is lowered unless it opens with a name, and a text that opens
with a company's name is spelt the way the lead file spells it.
"""

from __future__ import annotations

import re

from tools.word_frequency import zipf_frequency


def reads_as(text: str, language: str = "en") -> bool:
    """Whether most words are common ones in language ("en", "es" …): a description is quoted
    in the message, not translated, so it must already be in the message's language."""
    words = re.findall(r"[^\W\d_]+", text)
    common = [w for w in words if _common(w.lower(), language)]
    return bool(words) and len(common) / len(words) >= 0.8


def _common(word: str, language: str) -> bool:
    """Whether a word is common in language; a German compound counts when the word it ends
    in is ("Hafenlogistik": "Logistik")."""
    if zipf_frequency(word, language) >= 2.5:
        return True
    if language != "de":
        return False
    return any(zipf_frequency(word[i:], language) >= 3.0 for i in range(3, len(word) - 4))


_GERMAN_SMALL_WORDS = frozenset(
    """kurz kurzum hier ich wir gerne genau dafür damit so auch zur zum mit in im bei als
    wie das dies diese dieser übrigens deshalb darum daher ein eine einen""".split()
)
"""Words that open a German clause and are no noun: lowered after "Hallo Jürgen," """
COMMON_WORD_ZIPF = 3.0
"""How common (wordfreq Zipf) a capitalised opening word must be to be read as an ordinary word."""
_OPENING_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE_END = re.compile(r"['’]s?$")


def name_led(text: str, name: str) -> str | None:
    """Return text with its opening name spelt as given, if it opens with that name.

    "copperleaf Health makes …" and "Copperleaf Health's …" open with "Copperleaf Health";
    "Copperleaf Healthcare …" does not.
    """
    head, rest = text[: len(name)], text[len(name) :]
    if not name or head.casefold() != name.casefold() or rest[:1].isalnum() or rest[:1] == "_":
        return None
    return name + rest


def _is_proper_name(word: str, text: str, names: tuple[str, ...], language: str = "en") -> bool:
    """Whether a capitalised opening word names a company, person or product: keep its case."""
    folded = _POSSESSIVE_END.sub("", word).casefold()
    known = {w.casefold() for name in names for w in _OPENING_WORD.findall(name)}
    if folded in known or zipf_frequency(folded, language) < COMMON_WORD_ZIPF:
        return True  # one of the known names, or a rare word: a brand, a product, a surname
    following = text[len(word) :].split()
    if following and following[0][:1].isupper() and following[0][1:2].islower():
        return True  # "Maria Lopez founded …", "Appointment Scheduling Software": a title
    # Capitalised again mid-sentence ("Harbor syncs with Harbor Cloud"): a name.
    for match in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text[len(word) :]):
        before = text[: len(word) + match.start()].rstrip()
        if before and before[-1] not in '.!?:;"“(':
            return True
    return False


def lower_opening(text: str, names: tuple[str, ...] = (), language: str = "en") -> str:
    """Lower the first letter so text can follow "makes …": "Payroll for X" → "payroll for X".

    A first word that is a name keeps its case: one of names (the company, the person), a rare
    word in language (a brand or product), or one written with capitals elsewhere in the text.
    German text is left as written: a capital there is as likely a noun as a sentence's start.
    """
    if language == "de":
        # German writes every noun with a capital ("Teams, die es nutzen, …"): only the
        # small words that open a clause are lowered ("Kurz zu Brightpath" → "kurz zu …").
        word = text.split(" ", 1)[0]
        lowered = word[:1].lower() + word[1:]
        return lowered + text[len(word) :] if word.casefold() in _GERMAN_SMALL_WORDS else text
    match = _OPENING_WORD.match(text)
    word = match.group(0) if match else ""
    proper = _is_proper_name(word, text, names, language)
    if not (word[1:2].islower() or text[:2] == "A ") or proper:
        return text  # "AI tools", "I", names: as written; "A platform …" becomes "a platform …"
    return text[0].lower() + text[1:]
