"""Whether a sentence has a verb, read with graphs/critic/verb_lexicon.py's word lists.

When unsure, it has one: a false alarm blocks a good message. A word is a verb when it is a
listed form ("was", "saw", "lanzó") or ends like one ("-ed", "-ando", "-ez"), unless it stands
where a noun stands: after an article or a possessive ("your post", "the CI queue"), or, for
an "-ing" word or an unlisted ending, after a preposition ("your post on quarantining tests").
A form that is a noun as often ("post", "tests") counts only where a verb stands: after a
subject, before an article, after "to", or opening the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from graphs.critic.verb_lexicon import INFINITIVE_ENDINGS, RULES, SKIPPABLE, VerbRules


@cache
def verb_rules(language: str) -> VerbRules:
    """Return the rules for a message in language: its own, merged with the other languages'
    (a message quotes names and phrases from them, and a word any of them reads as a verb
    counts as one); all four alike for an unknown language.

    The message's own language wins where they disagree: French "a" is a verb, English "a" an
    article; German "die" an article, English "die" a verb.
    """
    if language == "en":
        return RULES["en"]
    primary = RULES.get(language)
    others = [RULES[code] for code in RULES if code != language]
    if primary is None:
        primary, others = RULES["en"], [RULES[code] for code in RULES if code != "en"]
    forms = set(primary.forms)
    weak = set(primary.weak)
    function = set(primary.function)
    determiners = set(primary.determiners)
    for other in others:
        forms |= other.forms - primary.function
        weak |= other.weak - primary.function - primary.forms
        function |= other.function - primary.forms
        determiners |= other.determiners - primary.forms - primary.function
    every = [primary, *others]
    return VerbRules(
        forms=frozenset(forms),
        function=frozenset(function - forms - weak),
        determiners=frozenset(determiners),
        subjects=frozenset().union(*(rules.subjects for rules in every)),
        followers=frozenset().union(*(rules.followers for rules in every)),
        suffixes=tuple(dict.fromkeys(s for rules in every for s in rules.suffixes)),
        not_suffixed=frozenset().union(*(rules.not_suffixed for rules in every)),
        vetoed_endings=primary.vetoed_endings,
        min_length=primary.min_length,
        third_person_s=primary.third_person_s,
        weak=frozenset(weak - forms),
        prepositions=primary.prepositions,
    )


@dataclass(frozen=True)
class Word:
    """One word of a sentence as the verb test reads it."""

    text: str
    """Lower-cased, apostrophes straight, possessive "'s" removed."""
    name: bool = False
    """Capitalised inside the sentence (or a quoted title): a name, never a verb."""
    capital: bool = False
    """Written with a capital, wherever it stands."""
    possessive: bool = False
    first: bool = False
    """Opens the sentence, or a clause after a colon or a dash."""

    @cached_property
    def alphabetic(self) -> bool:
        """Whether the word has a letter (numbers are never verbs); asked of every word many
        times, so it is worked out once."""
        return any(c.isalpha() for c in self.text)


def has_verb(words: list[Word], rules: VerbRules) -> bool:
    """Whether any word of a sentence may be a verb (when unsure: yes)."""
    return any(_is_verb(words, index, rules) for index in range(len(words)))


def _is_verb(words: list[Word], index: int, rules: VerbRules) -> bool:
    word = words[index]
    if word.name or not word.alphabetic:
        return False
    if not rules.strict:
        return _maybe_verb(words, index, rules)
    if _in_noun_phrase(words, index, rules):
        return False
    text = word.text
    before = words[index - 1] if index else None
    after_preposition = before is not None and before.text in rules.prepositions
    if text in rules.weak:
        return _verb_position(words, index, rules) or _third_person(words, index, rules)
    if text in rules.forms:
        return not (after_preposition and text.endswith("ing"))  # a gerund: "on getting"
    if text in rules.function or text in SKIPPABLE:
        return False
    ending = rules.suffix(text)
    if ending is not None:
        return not after_preposition or ending in INFINITIVE_ENDINGS
    return _verb_position(words, index, rules) or _third_person(words, index, rules)


def _maybe_verb(words: list[Word], index: int, rules: VerbRules) -> bool:
    """The generous reading of a message not in English alone: any listed form, verb ending,
    word before an article or after a subject counts."""
    text = words[index].text
    before = words[index - 1] if index else None
    if text in rules.forms:
        return True  # a listed form, even after a pronoun that is also an article: "das sind"
    if before is not None and (before.text in rules.determiners or before.possessive):
        return False  # "un appel", "your post": a noun
    if text in rules.weak:
        return True
    if text in rules.function or text in SKIPPABLE:
        return False
    ending = rules.suffix(text)
    if ending is not None:
        # After a preposition an ending names a topic ("de ingeniería"), unless infinitive.
        return (
            before is None
            or before.text not in rules.prepositions
            or ending in (INFINITIVE_ENDINGS)
        )
    if before is not None and rules.third_person_s and _plural_after_word(text, before, rules):
        return True
    if _after_noun_phrase(words, index, rules):
        return True  # "El informe completo ocupa", "Votre équipe grandit"
    after = words[index + 1] if index + 1 < len(words) else None
    if after is not None and after.text in rules.followers and not after.name:
        return True
    subject = _subject_before(words, index)
    if subject is None:
        return False
    if subject.text in rules.subjects or subject.name:
        return not subject.possessive
    return subject.first and subject.text not in rules.function and subject.alphabetic


def _plural_after_word(text: str, before: Word, rules: VerbRules) -> bool:
    """An English-looking verb in -s after a noun ("the team benefits"), read generously."""
    if len(text) < 4 or not text.endswith("s") or text.endswith(("ss", "us", "is")):
        return False
    return before.alphabetic and before.text not in rules.function and not before.name


def _in_noun_phrase(words: list[Word], index: int, rules: VerbRules) -> bool:
    """Whether an article or a possessive opens the phrase words[index] ends, past names and
    numbers: "your post", "the CI queue", "your September post", "Tallyfold's news"."""
    position = index - 1
    while position >= 0 and (words[position].name or not words[position].alphabetic):
        if words[position].possessive:
            return True
        position -= 1
    if position < 0:
        return False
    return words[position].text in rules.determiners or words[position].possessive


def _verb_position(words: list[Word], index: int, rules: VerbRules) -> bool:
    """Whether words[index] stands where a verb stands."""
    if words[index].first or all(w.text in _OPENERS for w in words[:index]):
        return True  # "Send me the numbers.", "Or reply with a time.", "Teams cut…"
    after = words[index + 1] if index + 1 < len(words) else None
    if after is not None and after.text in rules.followers and not after.name:
        return True  # "recoup the cost", "show you"
    subject = _subject_before(words, index)
    if subject is None:
        return False
    if subject.text == "to" or subject.text in rules.subjects:
        return not subject.possessive
    if subject.name:
        return not _in_noun_phrase(words, words.index(subject), rules)
    if subject.first and subject.text not in rules.function and subject.alphabetic:
        return True  # "Brightpath quarantines", "Slow builds tax"
    # A plural noun phrase before a base form: "most platform teams get", "your engineers
    # deserve" (not "212 security questionnaires last year").
    return (
        not words[index].text.endswith("s")
        and subject.text.endswith("s")
        and not subject.text.endswith(("ss", "us", "is"))
        and _after_noun_phrase(words, words.index(subject) + 1, rules)
    )


def _subject_before(words: list[Word], index: int) -> Word | None:
    position = index - 1
    while position >= 0 and (
        words[position].text in SKIPPABLE or words[position].text.endswith("ly")
    ):
        position -= 1
    return words[position] if position >= 0 else None


_OPENERS = frozenset("or and but so just please simply then also plus".split())
"""Words before an imperative: "Or reply with a time.", "Just reply to this email."."""
_NP_OPENERS = frozenset(
    "most many some all few several both these those such more fewer other every each".split()
)


def _after_noun_phrase(words: list[Word], index: int, rules: VerbRules) -> bool:
    """Whether the words before words[index] are a noun phrase that an article, a possessive
    or a quantifier opens, or that opens the sentence ("the free health check", "most
    platform teams", "Kubernetes clusters")."""
    position = index - 1
    for _ in range(5):
        if position < 0:
            return index > 0
        word = words[position]
        if word.possessive or word.text in rules.determiners or word.text in _NP_OPENERS:
            return position < index - 1
        if word.alphabetic and (word.text in rules.function or word.text in rules.forms):
            return False
        position -= 1
    return False


def _third_person(words: list[Word], index: int, rules: VerbRules) -> bool:
    """Whether a word reads as an English verb in -s after a noun phrase ("the team
    benefits", "our platform unifies", "the free health check takes")."""
    text = words[index].text
    if not rules.third_person_s or index == 0:
        return False
    if len(text) < 4 or not text.endswith("s") or text.endswith(("ss", "us", "is")):
        return False
    before = words[index - 1]
    if not before.alphabetic or before.text in rules.function:
        return False
    return _after_noun_phrase(words, index, rules)
