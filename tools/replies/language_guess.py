"""Guess which language a reply is written in, from its function words and its script."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

RULE_LANGUAGES = frozenset({"en", "es", "fr", "de", "pt"})
"""Languages the phrase rules read."""
GUESS_CHARS = 3_000

_FUNCTION_WORDS = {
    "en": "the a an and or but you your i we our us is are was were be been not no this that "
    "these those to of for with me my it its have has had do does did will would can could "
    "should please thanks thank hi hello just if what when how who which there here they them "
    "their about from at on in as so too very yes also any some more than then get got let's "
    "i'm we're it's don't can't i'll i'd we'll that's",
    "es": "el la los las lo le les que y de del en por para con sin es son un una unos unas me "
    "mi mis nos nuestro nuestra nosotros su sus gracias hola pero esta este esto eso estoy "
    "estamos estan muy mas ya no si se al usted ustedes tenemos tengo tiene hay como cuando "
    "donde porque tambien aqui ahora todo bien saludos soy somos puedo puede quiero hacer ese esa "
    "a estos estas mejor",
    "fr": "le la les des et est je nous vous pas pour avec une un du que qui ce cette ces merci "
    "bonjour mais sur dans au aux ne suis sommes avons avez votre vos notre nos tres plus "
    "c'est j'ai n'est il elle ils on se sa son ses moi leur bien aussi deja recu",
    "de": "der die das und ist ich wir sie nicht mit fur ein eine einen zu auf den dem des im "
    "bin sind haben habe hat danke hallo aber bitte uns ihr ihre ihnen kein keine gerne auch "
    "noch es mich mir bei von wird werden was wie wo wenn dass oder schon sehr nur gut mein "
    "meine unser unsere diese dieser dieses bereits leider vielen dank",
    "pt": "o os as e que de do da dos das em no na nos nas para com nao um uma obrigado obrigada "
    "ola mas voce voces estou estamos muito ja meu minha seu sua por favor isso isto este esta "
    "temos tenho tem sim aqui agora tambem eu ele ela ao aos pra pelo pela sou somos a pode quem "
    "gente tudo",
    "it": "il di che e non per sono grazie ciao della questo siamo abbiamo buongiorno cordiali "
    "saluti gli nel alla anche sei molto",
    "nl": "de het een en niet ik wij we zijn voor met bedankt dank graag groeten geen ons jullie "
    "u uw hallo maar ook",
}
"""Frequent short words of each language (folded); a word several languages share counts less."""
HINT_WEIGHT = 1.5
"""What the language of the phrase rule that decided is worth, in function words."""


def _weights() -> dict[str, dict[str, float]]:
    weights: dict[str, dict[str, float]] = {}
    for language, words in _FUNCTION_WORDS.items():
        for word in set(words.split()):
            weights.setdefault(word, {})[language] = 1.0
    for languages in weights.values():
        for language in languages:
            languages[language] = 1.0 / len(languages)
    return weights


_WEIGHTS = _weights()
_ADDRESSES = re.compile(r"[^\s@]{1,64}@\S+|https?://\S+|www\.\S+")
"""Addresses and links say nothing of the language around them."""
_WORD = re.compile(r"[a-zß']+")
_SCRIPTS = (
    ("CYRILLIC", "ru"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("CJK", "zh"),
    ("ARABIC", "ar"),
    ("GREEK", "el"),
    ("HEBREW", "he"),
    ("THAI", "th"),
    ("DEVANAGARI", "hi"),
)


_BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f\u20ac\ufffd]")
DECISIVE_SCORE = 3.0
"""Function words enough to be sure of a reply's language (and to read only its rules)."""


def _script_language(text: str) -> str | None:
    """Return the language a non-Latin script suggests when most letters are in it."""
    if _BEYOND_LATIN.search(text) is None:
        return None  # Latin script only: the function words decide
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    counts: Counter[str] = Counter()
    for char in letters:
        if char.isascii():
            continue
        name = unicodedata.name(char, "")
        for script, language in _SCRIPTS:
            if name.startswith(script):
                counts[language] += 1
                break
    if not counts:
        return None
    language, count = counts.most_common(1)[0]
    if "ja" in counts and language == "zh":
        language = "ja"  # Japanese mixes kanji with kana
    return language if count * 2 >= len(letters) else None


def _scores(sample: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for word in _WORD.findall(_ADDRESSES.sub(" ", sample)):
        for language, weight in _WEIGHTS.get(word, {}).items():
            scores[language] = scores.get(language, 0.0) + weight
    return scores


def _ranked(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda item: -item[1])[:2]


def decisive_language(folded: str) -> str | None:
    """Return the reply's language when its function words leave no doubt, else None."""
    ranked = _ranked(_scores(folded[:GUESS_CHARS]))
    if not ranked or ranked[0][1] < DECISIVE_SCORE:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]


def guess_language(folded: str, text: str = "", *, hint: str | None = None) -> str | None:
    """Return an ISO 639-1 guess for a reply's folded text, or None when it says too little.

    hint is the language of the phrase rule that matched, if any: it settles short replies."""
    sample = folded[:GUESS_CHARS]
    script = _script_language(text[:GUESS_CHARS] or sample)
    if script is not None:
        return script
    scores = _scores(sample)
    if hint:
        scores[hint] = scores.get(hint, 0.0) + HINT_WEIGHT
    if not scores:
        return None
    ranked = _ranked(scores)
    best, score = ranked[0]
    if score < 1.0 or (len(ranked) > 1 and ranked[1][1] == score):
        return None
    return best
