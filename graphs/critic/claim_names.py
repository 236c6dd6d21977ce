"""Which capitalized words are names a fact must back, and which are ordinary words.

A capitalized word is a name claim ("KubeCon", "Amazon", "Warsaw") unless it is an ordinary
word written capitalized for grammar: the first word of a sentence or subject ("Welcome",
"Calendars", "Clean"), or any German noun in a German message ("Team", "Frage").

A word counts as ordinary when its lower-case form is common in the message's language
(wordfreq Zipf >= 3.0). wordfreq does not see case, so a brand or a city is as "common" as its
name is frequent. Two signs tell such a name apart, and keep it a claim:

- it is a place (a country or a time-zone city, in any of the four languages, from babel);
- it is about as frequent in English, Spanish, French and German alike, as brands, big cities
  and first names are ("amazon", "google", "netflix", "sarah"), unlike ordinary words, which
  each language spells its own way ("welcome", "bienvenue", "willkommen").

Known limit: a brand whose name is also an ordinary word of one language only ("Target",
"Notion", "Stripe") opens a sentence unchecked; mid-sentence it is still a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graphs.critic.claim_lexicon import CROSS_LINGUAL_WORDS, NOT_PLACES
from graphs.critic.lexicon import NEUTRAL_CAPITALIZED, SENTENCE_OPENERS
from tools.word_frequency import zipf_frequency

COMMON = 3.0
"""Zipf frequency from which a word is ordinary (about once per million words)."""
SAME_EVERYWHERE = 0.6
"""How much less frequent a word may be in the other languages (median) and still read as a
name used everywhere (a brand, a city, a first name) rather than a word of this language."""
LANGUAGES = ("en", "es", "fr", "de")
SHOUTED_SHORT = 5.0
"""Zipf frequency from which a word of three letters or fewer, in capitals, is an ordinary
word shouted rather than an acronym ("OUT" and "NOW" are; "SAP", "CRM" and "API" are not)."""

_NEUTRAL_ELSEWHERE = frozenset(
    """hola buenos buenas saludos atentamente gracias estimado estimada sr sra srta bonjour
    cordialement merci madame monsieur mme mlle m hallo liebe lieber sehr geehrte geehrter
    herr frau grüße viele beste freundlichen danke""".split()
)
"""Greetings, sign-offs and courtesy titles of the other three languages."""


@lru_cache(maxsize=1)
def _place_groups() -> dict[str, frozenset[str]]:
    """Each country and time-zone city, lower-cased, to all the names the four languages give
    it ("poland", "polonia", "pologne", "polen"), from babel's data."""
    from babel import Locale
    from babel.core import get_global

    groups: dict[str, set[str]] = {}
    for zone in get_global("zone_territories"):
        if "/" in zone and not zone.startswith(("Etc/", "US/", "Canada/", "SystemV/")):
            groups.setdefault(zone, set()).add(zone.rsplit("/", 1)[-1].replace("_", " "))
    for language in LANGUAGES:
        locale = Locale(language)
        for zone, names in locale.time_zones.items():
            if zone in groups and names.get("city"):
                groups[zone].add(names["city"])
        for code, name in locale.territories.items():
            if code.isalpha():
                groups.setdefault(code, set()).add(name)
    by_name: dict[str, frozenset[str]] = {}
    for names in groups.values():
        group = frozenset(n.lower() for n in names if n.lower() not in NOT_PLACES)
        for name in group:
            by_name[name] = by_name.get(name, frozenset()) | group
    return by_name


def place_names(name: str) -> frozenset[str]:
    """The names of a place in the four languages, lower-case (empty: not a known place)."""
    return _place_groups().get(name.lower(), frozenset())


@lru_cache(maxsize=8192)
def _zipf(word: str, language: str) -> float:
    return zipf_frequency(word, language)


@lru_cache(maxsize=8192)
def is_name_like(word: str) -> bool:
    """Whether a word (any case) reads as a name even though it may be frequent."""
    lowered = word.lower()
    if lowered in CROSS_LINGUAL_WORDS:
        return False
    if lowered in _place_groups():
        return True
    frequencies = sorted(_zipf(lowered, language) for language in LANGUAGES)
    # The top frequency is the word's home language; a name is nearly as frequent in the rest.
    return frequencies[-1] >= COMMON and frequencies[-1] - frequencies[1] < SAME_EVERYWHERE


@lru_cache(maxsize=8192)
def is_ordinary_word(word: str, language: str = "en", *, sentence_start: bool = True) -> bool:
    """Whether a capitalized word is an ordinary word rather than a name.

    sentence_start: it opens a sentence or a subject. Elsewhere only greetings, months and the
    like (NEUTRAL_CAPITALIZED) are ordinary, and in German any common noun.
    """
    lowered = word.lower().replace("’", "'")
    if lowered in NEUTRAL_CAPITALIZED or lowered in _NEUTRAL_ELSEWHERE:
        return True
    if not sentence_start and language != "de":
        return False
    if sentence_start and lowered in SENTENCE_OPENERS:
        return True
    if is_name_like(lowered):
        return False
    # An inflected verb opening a Spanish, French or German sentence ("¿Conectamos?") is rarer
    # than its English counterpart: each form counts on its own.
    common = COMMON if language == "en" or not sentence_start else COMMON - 0.5
    if _zipf(lowered, language) >= common:
        return True
    if language == "de" and _zipf(lowered, "en") >= COMMON + 0.5:
        return True  # English loanwords German writes capitalized ("Builds", "Pipeline")
    # Verbs and adverbs opening an English sentence ("Scaling", "Quarantined", "Clearly").
    return sentence_start and lowered.endswith(("ing", "ed", "ly")) and _zipf(lowered, "en") >= 2


def _always_ordinary(word: str, opener: bool) -> bool:
    """Greetings, sign-offs, months, and the listed sentence openers: never part of a name."""
    lowered = word.lower().replace("’", "'")
    return (
        lowered in NEUTRAL_CAPITALIZED
        or lowered in _NEUTRAL_ELSEWHERE
        or (opener and lowered in SENTENCE_OPENERS)
    )


@dataclass(frozen=True)
class NameRun:
    """A run of capitalized words read as one name, with where it is."""

    text: str
    start: int
    end: int
    droppable_first: bool = False
    """Its first word opens a sentence and is an ordinary word: "Welcome Maya" may mean "Maya"."""


# Upper-case letters of the Latin, Greek and Cyrillic alphabets (re has no \p{Lu}).
_UPPER = "".join(ch for ch in map(chr, range(0x530)) if ch.isupper())
# (The lookahead, before the lookbehind, lets the engine skip every other character at once.)
_CAPITALIZED = re.compile(
    rf"(?=[{re.escape(_UPPER)}])(?<![\w&'’.+/-])[{re.escape(_UPPER)}][\w&'’.+/-]*"
)
_NEXT_LETTER = re.compile(r"[ \t]*([^\W\d_])")
_NEXT_TOKEN = re.compile(r"[ \t]*([^\W\d_]+)")
_OPENING = frozenset(".!?:;\n—-•*|")
_NAME_ABBREVIATIONS = frozenset(
    "st co dr mr ms mrs jr sr inc ltd mt ft no nr vs sra dra mme gen col fr hr".split()
)
"""Short words a full stop follows inside a name ("St. Louis", "Acme Co. Ltd")."""
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,5}s")
_COMMON_ACRONYMS = frozenset(
    """CTO CEO CFO COO CIO CISO CMO CPO CRO VP SVP EVP API SDK KPI OKR SRE PM QA SLA SLO PR MR
    ID URL CRM ERP SDR BDR AE CSM MVP POC RFP RFC ADR LLM GPU CPU VM PDF FAQ SOP SKU DM""".split()
)
"""Acronyms of titles and things a message may speak of in the plural ("CTOs", "APIs")."""
_IMPERATIVE = re.compile(r"\w-(?:nous|vous|moi|toi|on|les|le|la|lui|leur)$", re.IGNORECASE)
"""A verb with its pronoun after a hyphen opens a French sentence ("Connectons-nous",
"Parlons-en"): an ordinary word."""
_ENCLITIC = re.compile(r"[áéíóú][^\W\d_]*(?:me|nos|le|les|lo|la|los|las|te|se)$")
"""A Spanish verb with its pronoun attached opens a sentence ("Avíseme", "Respóndeme",
"Escríbanos"): its written accent shows the verb's stress moved back."""
_WORD_BEFORE = re.compile(r"(?<![\w'’-])([^\W\d_A-Z][^\W\d_]+) $")
_NOT_BEFORE_A_LETTER = frozenset(
    "and or but than that as so if to from with y o que et ou und oder als wie".split()
)
"""Lower-case words a capital letter after them does not name a thing with ("than I")."""


_SKIPPED_BEFORE = frozenset(" \t\"'“«(‘¿¡")


def is_sentence_start(text: str, index: int) -> bool:
    """Whether the word at index opens a sentence, a line, or the text."""
    at = index - 1
    while at >= 0 and text[at] in _SKIPPED_BEFORE:
        at -= 1
    return at < 0 or text[at] in _OPENING


def name_runs(text: str, language: str = "en", *, title_case: bool = False) -> list[NameRun]:
    """Return the runs of capitalized words that are names, with their spans.

    title_case: the text is a Title Case subject line, so each of its ordinary words is
    capitalized for style, wherever it stands.
    """
    runs: list[NameRun] = []
    current: list[tuple[str, int, int]] = []
    droppable = False
    last_end = -1
    sentence_end = False

    def close() -> None:
        if current and not (droppable and len(current) == 1):
            runs.append(
                NameRun(" ".join(t for t, _, _ in current), current[0][1], current[-1][2],
                        droppable and len(current) > 1)
            )  # fmt: skip

    # Only capitalized words can be names: a lower-case word between two of them shows in
    # their gap, which then joins nothing.
    for match in _CAPITALIZED.finditer(text):
        token = match.group(0).rstrip(".'’-")
        start = match.start()
        gap = text[last_end:start] if last_end >= 0 else ""
        last_end = match.end()
        ended_sentence = sentence_end
        # "Clausewell. Vaultline", "Hola, Ana. Soy Alex": a full stop after a word that is no
        # abbreviation ("St.", "Co.") ends the sentence, and with it the name.
        sentence_end = match.group(0).endswith(".") and (
            len(token) > 3 or token.casefold() not in _NAME_ABBREVIATIONS
        )
        capitalized = True
        opener = is_sentence_start(text, start)
        if opener and (_IMPERATIVE.search(token) or (language == "es" and _ENCLITIC.search(token))):
            close()  # "Connectons-nous", "Hablemos", "Melden Sie": a verb, not a name
            current, droppable = [], False
            continue
        before = (
            _WORD_BEFORE.search(text, max(0, start - 40), start)
            if len(token) == 1 and token != "I"
            else None
        )
        if before is not None and before.group(1) not in _NOT_BEFORE_A_LETTER:
            # "série B" after an ordinary word: the letter names a thing with the word before
            # it, and a fact must say both.
            close()
            current, droppable = [(before.group(1), before.start(1), before.end(1))], False
            current.append((token, start, start + 1))
            continue
        plural = token[:-1] in _COMMON_ACRONYMS and _PLURAL_ACRONYM.fullmatch(token)
        if _is_shouted_word(token, language) or plural:
            # "CTOs", "VPs", "APIs": a plural of a title or a thing, not one named ("BMWs",
            # "SAPs" name a company, possessive in German)
            close()  # "DON'T MISS OUT", "LIMITED-TIME": ordinary words in capitals (spam's)
            current, droppable = [], False
            continue
        ordinary = capitalized and is_ordinary_word(
            token, language, sentence_start=opener or title_case
        )
        if len(token) == 1 and token != "I" and not opener:
            ordinary = False  # "Series C": a capital letter mid-sentence names something
        joined = (
            bool(current) and gap.strip() in ("", "&") and "\n" not in gap and not ended_sentence
        )
        # An ordinary opener before another capitalized word may start a name ("Clean Code
        # Labs"): it stays in the run, and the run may be checked without it. "Serie B",
        # "Plan B": an ordinary word naming a lettered thing is part of the name. (Only an
        # ordinary word asks whether it is glued.)
        glued = ordinary and (
            (opener and not title_case and _next_is_capitalized(text, match.end()))
            or _next_is_letter(text, match.end())
        )
        if not capitalized or _always_ordinary(token, opener) or (ordinary and not glued):
            close()
            current, droppable = [], False
            continue
        if not joined:
            close()
            current = []
            droppable = opener and ordinary
        current.append((token, start, start + len(token)))
    close()
    return runs


def _is_shouted_word(token: str, language: str) -> bool:
    """Whether a word in capitals is an ordinary word shouted ("FREE", "DON'T", "LIMITED-TIME"),
    not an acronym or a brand ("AWS", "SOC", "HDS"): each of its parts is common in the
    message's language or English, and none reads as a name."""
    if not token.isupper():
        return False  # what the test below says of most words, told without a pattern
    letters = re.sub(r"[-'’]", "", token)
    if len(letters) < 2 or not letters.isalpha() or not letters.isupper():
        return False
    parts = [part for part in token.lower().replace("’", "'").split("-") if part]
    if len(letters) <= 3:
        # Short words in capitals are mostly acronyms ("SAP", "CRM", "API"): only the
        # commonest words ("OUT", "NOW", "NEW") are shouted.
        return all(max(_zipf(p, language), _zipf(p, "en")) >= SHOUTED_SHORT for p in parts)
    return all(is_ordinary_word(p, language) or is_ordinary_word(p, "en") for p in parts)


def _next_is_letter(text: str, index: int) -> bool:
    match = _NEXT_TOKEN.match(text, index)
    return match is not None and re.fullmatch(r"[A-HJ-Z]|II|III|IV", match.group(1)) is not None


def _next_is_capitalized(text: str, index: int) -> bool:
    match = _NEXT_LETTER.match(text, index)
    return match is not None and match.group(1).isupper()
