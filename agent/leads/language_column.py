"""A lead file's language column: 'de', 'German', 'Deutsch', 'es-MX' or 'fr_FR' read as en/es/fr/de.

CRM exports hold a language as a code, a locale or a name in some language, so a value is
read as a language tag first (babel knows the ISO 639 codes and their aliases: 'deu', 'ger',
'es-419') and as a name second (babel's names of every language in English, Spanish, French
and German, and of ours in a few more), accents optional ('Espanol', 'Francais').
"""

from __future__ import annotations

import functools
import re
import unicodedata

from babel import Locale, UnknownLocaleError

from graphs.lead import LANGUAGES, Language

NAME_LOCALES = ("en", "es", "fr", "de")
"""The languages whose names of every language a column may use ('Italian', 'Italienisch')."""
EXTRA_NAME_LOCALES = ("it", "pt", "nl", "ca", "pl", "sv")
"""More languages whose names of ours are read too ('tedesco', 'alemão')."""
SHOWN_CHARS = 40
"""How much of an unreadable value a problem repeats back."""
_QUALIFIER = re.compile(r"\s*[(,/;].*$")
_ALIASES = {"castellano": "es", "castilian": "es"}
"""Names babel does not list that Spanish-speaking CRMs use."""


def _folded(text: str) -> str:
    """Lowercase without accents: 'Español' and 'Espanol' read the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@functools.cache
def _names() -> dict[str, str]:
    """Every known name of a language, folded, to its ISO 639-1 code."""
    names: dict[str, str] = dict(_ALIASES)
    for locale in NAME_LOCALES:
        for code, name in Locale(locale).languages.items():
            if re.fullmatch(r"[a-z]{2}", code):
                names.setdefault(_folded(name), code)
    for language in LANGUAGES:
        for locale in NAME_LOCALES + EXTRA_NAME_LOCALES:
            name = Locale(language).get_language_name(locale)
            if name:
                names[_folded(name)] = language  # ours win a clash
    return names


_NO_LANGUAGE = re.compile(r"und|mul|zxx|mis|q[a-t][a-z]")
"""ISO 639 codes that name no language: undetermined, multiple, none, uncoded, private use."""


def _tag_language(value: str) -> str | None:
    """The language subtag of a tag such as 'de', 'es-MX', 'fr_FR' or 'deu'; None if it is
    not one babel knows."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value):
        return None
    primary, *rest = re.split(r"[-_]", value)
    if _NO_LANGUAGE.fullmatch(primary.lower()):
        return None  # "und" (undetermined), "mul", "zxx", private use: no language is named
    tag = "_".join([primary.lower(), *rest])
    try:
        return Locale.parse(tag).language
    except (ValueError, UnknownLocaleError):
        # 'es-419', 'de-CH-1996': a region or variant babel does not know; the language stands.
        try:
            return Locale.parse(primary.lower()).language
        except (ValueError, UnknownLocaleError):
            return None


def read_language(value: str) -> tuple[Language | None, str | None]:
    """Return the language a cell names and, if it names none we write in, why not.

    (None, None) for an empty cell; (None, problem) for a language we do not write in or a
    value that is no language at all."""
    text = " ".join(value.split())
    if not text or _NO_LANGUAGE.fullmatch(re.split(r"[-_ ]", text)[0].lower()):
        return None, None  # empty, or "und" (undetermined): the language is inferred
    code = _tag_language(text) or _names().get(_folded(_QUALIFIER.sub("", text)))
    for language in LANGUAGES:
        if code == language:
            return language, None
    shown = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."
    if code is not None:
        name = Locale("en").languages.get(code, code)
        return None, (
            f"{shown!r} is {name}, which messages are not written in (en, es, fr, de); "
            "left empty, so the language is inferred"
        )
    return None, (
        f"{shown!r} is not a language name or code (expected en, es, fr or de, or a name such "
        "as German or Deutsch); left empty, so the language is inferred"
    )
