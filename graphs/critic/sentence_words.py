"""A sentence's words as the language check reads them: each with its case, whether it opens a
clause, and whether it is a name, a quoted title or an address."""

from __future__ import annotations

import re
from functools import lru_cache

from graphs.critic.message_text import TITLE
from graphs.critic.verb_lexicon import VerbRules
from graphs.critic.verbs import Word

ADDRESS = "\x02"
"""What a link, email address or bare domain becomes in masked text: one name-like word."""
_TOKEN = re.compile(r"\x01|\x02|[^\W_](?:[\w'’-]*[^\W_])?")
_ELISION = re.compile(r"^(?:l|d|j|c|n|s|m|t|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)
ADDRESS_PATTERN = re.compile(
    r"\S*(?:@|://|\bwww\.)\S*|\b[\w-]+(?:\.[\w-]+)*\.(?!js\b)[a-z]{2,}\b(?:/\S*)?"
)
"""Links, email addresses and bare domains ("Node.js" is a name: there is no .js domain)."""
_ADDRESS_HINT = re.compile(r"\.[a-z]{2}")


def mask_addresses(text: str) -> str:
    """Text with each link, email address and bare domain replaced by ADDRESS and spaces."""
    if "@" in text or "://" in text or "www." in text or _ADDRESS_HINT.search(text):
        return ADDRESS_PATTERN.sub(lambda m: ADDRESS + " " * (len(m.group(0)) - 1), text)
    return text  # no "@", "://", "www." nor a dot before two small letters: no address


def sentence_words(sentence: str, language: str, rules: VerbRules) -> list[Word]:
    """Read a masked sentence's words for the verb test (titles and addresses are names,
    a French elision is two words: "l'équipe")."""
    # Most sentences have no colon or dash: then only the first word opens a clause.
    marked = ":" in sentence or "—" in sentence or "–" in sentence
    elisions = language != "en" and ("'" in sentence or "’" in sentence)
    forms = rules.forms
    if not marked and not elisions:  # each token one word, the first opening the clause
        tokens = _TOKEN.findall(sentence)
        return [_read(token, not index, forms) for index, token in enumerate(tokens)]
    words: list[Word] = []
    last = 0
    for match in _TOKEN.finditer(sentence):
        token = match.group(0)
        # After a colon or a dash a new clause starts: "Tomasz — Saw your post".
        if not words:
            opens = True
        elif marked:
            gap = sentence[last : match.start()]
            opens = ":" in gap or "—" in gap or "–" in gap
        else:
            opens = False
        last = match.end()
        elided = _ELISION.match(token) if elisions and ("'" in token or "’" in token) else None
        if elided:
            words.append(_read(token[: elided.end()], opens, forms))
            words.append(_read(token[elided.end() :], False, forms))
        else:
            words.append(_read(token, opens, forms))
    return words


@lru_cache(maxsize=8192)
def _read(token: str, opens: bool, forms: frozenset[str]) -> Word:
    """One token as a Word (cached: most recur from sentence to sentence; forms are the
    language's verb forms, one set per language)."""
    if token in (TITLE, ADDRESS):
        return _word(token, True, True, False, False)
    text = token.replace("’", "'").casefold()
    possessive = text.endswith("'s") and text not in forms and len(text) > 2
    if possessive:
        text = text[:-2]
    capital = token[0].isupper()
    name = not opens and capital and text != "i"
    return _word(text, name, capital, possessive, opens)


@lru_cache(maxsize=8192)
def _word(text: str, name: bool, capital: bool, possessive: bool, first: bool) -> Word:
    """One Word per reading (words are immutable, and most recur from sentence to sentence)."""
    return Word(text, name=name, capital=capital, possessive=possessive, first=first)
