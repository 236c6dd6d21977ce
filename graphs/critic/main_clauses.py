"""A sentence whose main clause lost its verb while a subordinate clause keeps one.

"More builds for every new engineer, as your announcement shows." has a verb ("shows"), but
only in the clause "as" opens: the sentence says nothing. Two shapes are read, both tuned for
precision (when unsure, the sentence is fine):

- a main clause of six words or more before ", <subordinator> …" whose subordinate clause has
  a verb and at least three words ("as your post shows", "weil die Pipeline wächst", "qui
  grandit vite"), while the main clause has none, even read generously; "…, as promised",
  "…, as well as …" and short exclamations ("Exciting times for the team, as …") are left
  alone;
- in German, a sentence opening with a "dass" clause, which must be the subject or object of
  a main clause with a verb after its comma ("Dass X fließt, heißt …"); in English, Spanish and
  French a leading clause may stand before a verbless phrase in speech ("If useful, a short
  call next week."), so those are not read.
"""

from __future__ import annotations

import re

from graphs.critic.message_text import TITLE
from graphs.critic.sentence_words import sentence_words
from graphs.critic.verb_lexicon import VerbRules
from graphs.critic.verbs import has_verb

MIN_MAIN_WORDS = 6
"""A shorter main clause before a subordinate one ("Exciting times for the team, as …",
"Spannende Zeiten für Ihr Team, da …") is an exclamation, not a lost verb."""
MIN_AFTER_DASS = 3
"""What follows a German "dass" clause is its main clause: three words make one."""
MIN_SUBORDINATE_WORDS = 3
"""A shorter subordinate clause ("as promised", "if useful") is an idiom."""
_SUBORDINATORS = {
    "en": r"as|because|since|while|although|though|whereas|unless|which|who|whose|so that|"
    r"even though|even if",
    "es": r"porque|ya que|aunque|mientras|cuando|como|donde|pues|lo que",
    "fr": r"car|parce que|puisque|comme|quand|lorsque|bien que|alors que|tandis que|qui|dont|où",
    "de": r"weil|da|wenn|als|obwohl|dass|damit|sobald|falls|während|nachdem|wie|wo",
}
_TRAILING = {
    language: re.compile(rf",\s+(?:{words})\b(?!\s+well\b)", re.IGNORECASE)
    for language, words in _SUBORDINATORS.items()
}
_LEADING_DASS = re.compile(r"^dass\s", re.IGNORECASE)
_QUANTIFIERS = frozenset(
    """more most many some few fewer several both these those such other every each any no
    más muchos muchas varios varias plus beaucoup plusieurs mehr viele einige mehrere""".split()
)
"""Words after which a word that may be a verb is a noun: "more builds", "mehr Builds"."""


def _has_verb(text: str, language: str, rules: VerbRules) -> bool:
    return has_verb(sentence_words(text, language, rules), rules)


def _may_have_verb(text: str, language: str, rules: VerbRules) -> bool:
    """A generous reading for the main clause: any listed or verb-like word counts, unless an
    article, a possessive or a quantifier makes it a noun ("more builds", "your post")."""
    words = sentence_words(text, language, rules)
    if has_verb(words, rules):
        return True
    for index, word in enumerate(words):
        if word.name or not word.alphabetic or word.text in rules.function:
            continue
        before = words[index - 1] if index else None
        if before is not None and (
            before.possessive or before.text in rules.determiners or before.text in _QUANTIFIERS
        ):
            continue
        if word.text in rules.forms or word.text in rules.weak or rules.suffix(word.text):
            return True
    return False


def _words(text: str, language: str, rules: VerbRules) -> int:
    return sum(w.text != TITLE for w in sentence_words(text, language, rules))


def verbless_main_clause(sentence: str, language: str, rules: VerbRules) -> str | None:
    """Return the main clause of a sentence that has a verb only in a subordinate clause.

    sentence: a declarative sentence (titles masked) that has a verb somewhere.
    """
    if language == "de" and _LEADING_DASS.match(sentence):
        comma = sentence.find(", ")
        if comma > 0 and _has_verb(sentence[:comma], language, rules):
            main = sentence[comma + 2 :]
            if _words(main, language, rules) >= MIN_AFTER_DASS and not _may_have_verb(
                main, language, rules
            ):
                return main
        return None
    trailing = _TRAILING.get(language)
    match = trailing.search(sentence) if trailing is not None else None
    if match is None:
        return None
    main, subordinate = sentence[: match.start()], sentence[match.start() + 1 :]
    if _words(subordinate, language, rules) < MIN_SUBORDINATE_WORDS:
        return None
    if not _has_verb(subordinate, language, rules) or _may_have_verb(main, language, rules):
        return None
    return main if _words(main, language, rules) >= MIN_MAIN_WORDS else None
