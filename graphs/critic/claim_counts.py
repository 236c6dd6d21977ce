"""Whether the evidence backs a number or a quantity a message states.

A number must be stated with what it counts ("6 Engineering" backs "sechs davon im
Engineering" and "six engineering roles"), a quantity in the same currency or unit. A rounded
figure ("more than 200", "nearly 50 minutes", "plus de 300") is backed by a fact whose figure
satisfies it (graphs/critic/claim_bounds.py). A message in another language than its facts
counts with words no fact uses ("acht offene Stellen" for "8 open roles"): the number is then
backed by a fact the sentence draws on that holds it.

When nothing backs a number, the fact reported is the nearest one that uses the word it
counts ("2 Sécurité" for "trois en sécurité"), else the nearest one with any figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graphs.critic.claim_bounds import Bound, bound_of, figures
from graphs.critic.claim_evidence import ClaimEvidence, Entry, Verdict, Words
from graphs.critic.claim_quantities import MONEY, Quantity
from graphs.critic.claim_text import Claim, counted_words

_YEAR = re.compile(r"(?:19|20)\d\d")
SMALL_COUNT = 10
"""Numbers up to this are in most facts: one no fact's words tie to the sentence backs nothing."""
_LIST = re.compile(
    r"(?<![\w-])(?:[^\s,;:.!?]+(?:\s[^\s,;:.!?]+){0,2},\s)+[^\s,;:.!?]+(?:\s[^\s,;:.!?]+){0,2}"
    r",?\s(?:and|or|y|e|o|u|et|ou|und|oder)\s[^\s,;:.!?]+",
    re.IGNORECASE,
)
"""A list of short items ("Airflow, dbt, Snowflake and Looker")."""
_SEPARATOR = re.compile(r",\s(?!(?:and|or|y|e|o|u|et|ou|und|oder)\s)", re.IGNORECASE)
"""A comma between two items (not the serial comma before "and")."""
_HALVED = re.compile(
    r"\b(?:halved|halve|halving|in\s+half|by\s+half|a\s+la\s+mitad|la\s+mitad|de\s+moitié|"
    r"divisé\s+par\s+deux|halbiert|halbieren|die\s+hälfte)\b",
    re.IGNORECASE,
)


def stem(word: str) -> str:
    """A word without its plural "s" ("roles" -> "role")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _said(claim: Claim) -> float | None:
    try:
        return float(str(claim.value))
    except ValueError:
        return None


def number_verdict(
    index: ClaimEvidence, claim: Claim, words: Words, text: str, language: str = "en"
) -> Verdict | None:
    """Return why a number (claim.value, digits) is not backed, or None when it is.

    text: the checked text, whose words around the claim say what it counts and whether it
    is rounded ("more than 200"); language: the language it is written in.
    """
    value = str(claim.value)
    following, direct = counted_words(text, claim.end)
    if claim.context is None:
        counted: list[str] = []
    elif following[:1] == [claim.context]:
        counted = [stem(w) for w in following]
    else:  # named by the word before it ("SOC 2"): that word need only be in the fact
        counted, direct = [stem(claim.context)], False
    said = _said(claim)
    bound = bound_of(text, claim.start, claim.end, said) if said is not None else None

    def matches(number: str) -> bool:
        return number == value or (bound is not None and bound.admits(_figure(number)))

    def holds(entry: Entry) -> bool:
        return value in entry.reading.digits or _satisfies(bound, entry)

    def counts(entry: Entry) -> bool:
        return not counted or any(entry.has_word(w) for w in counted)

    def backs(entry: Entry) -> bool:
        """The entry gives the number beside the word it counts ("6 Engineering"); a word
        after a preposition ("to 19 by splitting the suite") need only be in the entry."""
        if not counted or not direct:
            return holds(entry) and counts(entry)
        return any(
            matches(near.number) and any(w.startswith(c) for w in near.beside for c in counted)
            for near in entry.reading.near
        )

    if index.answer(("number", value, tuple(counted), direct, bound), lambda: index.any(backs)):
        return None
    if _YEAR.fullmatch(value) and index.any(lambda e: any(str(d.year) == value for d in e.dates)):
        return None  # "your 2025 post": the year the fact is dated
    start, end = claim.clause
    if value.isdigit() and int(value) in _list_lengths(text[start:end], claim.start - start):
        return None  # "Airflow, dbt, Snowflake and Looker … four places": it counts the list

    def fits(entry: Entry) -> bool:
        """The entry holds the number, and counts nothing else with it, or is in another
        language than the message (which then counts in its own words)."""
        if not holds(entry):
            return False
        other = any(matches(n.number) and n.counted is not None for n in entry.reading.near)
        return entry.reading.language != language or not other

    if counted and _in_other_words(index, words, counted, fits, counts, said):
        return None
    shown = f"{claim.text} {claim.context}" if claim.context else claim.text

    def counts_some(entry: Entry) -> bool:
        return any(
            w.startswith(c) for near in entry.reading.near for w in near.beside for c in counted
        )

    nearest = (
        (index.nearest(words, counts_some) if counted else None)
        or index.nearest(words, lambda e: counts(e) and bool(e.reading.digits))
        or index.nearest(words, lambda e: bool(e.reading.digits))
        or index.nearest(words)
    )
    return Verdict(f"no fact says {shown!r}", nearest)


def _in_other_words(
    index: ClaimEvidence,
    words: Words,
    counted: list[str],
    fits: Callable[[Entry], bool],
    counts: Callable[[Entry], bool],
    said: float | None,
) -> bool:
    """Whether a fact backs the number said with words it does not use: a translation ("acht
    offene Stellen" for "8 open roles"), or a word that counts nothing ("back to 19 came at a
    good time"). Either none of the facts the sentence draws on uses the counted words and one
    fits; or no evidence at all uses them and a fact sharing a word with the sentence fits,
    or, when none shares one, any fact, for a number too large to coincide (small counts are
    in every other fact)."""
    related = index.related(words)
    if not any(counts(e) for e in related) and any(fits(e) for e in related):
        return True
    if any(index.holds_word(w) for w in counted):
        return False
    ranked = [entry for _, entry in index.ranked(words)]
    if ranked:
        return any(fits(entry) for entry in ranked)
    return said is not None and said > SMALL_COUNT and any(fits(e) for e in index.facts)


def _figure(number: str) -> float:
    try:
        return float(number)
    except ValueError:
        return 0.0


def _satisfies(bound: Bound | None, entry: Entry) -> bool:
    return bound is not None and any(bound.admits(f) for f in figures(entry.reading.digits))


def quantity_verdict(
    index: ClaimEvidence, claim: Claim, words: Words, text: str, theirs: bool
) -> Verdict | None:
    """Return why a quantity is not backed, or None when it is.

    theirs: the clause tells what the recipient's company did ("your post on cutting CI
    time by a third"), which only a fact can back, not our own pitch.
    """
    quantity = claim.value
    assert isinstance(quantity, Quantity)
    bound = bound_of(text, claim.start, claim.end, quantity.amount)

    def agrees(other: Quantity) -> bool:
        if quantity.agrees(other):
            return True
        same = quantity.kind == other.kind or (quantity.kind == "amount" and other.kind in MONEY)
        return bound is not None and same and bound.admits(other.amount)

    def backed() -> bool:
        return index.any(
            lambda e: (
                (e.fact is not None or not theirs)
                and any(agrees(q) for q, _ in e.reading.quantities)
            )
        )

    if index.answer(("quantity", quantity, bound, theirs), backed):
        return None
    if quantity.kind not in MONEY and index.answer(
        ("unit said once", quantity), lambda: index.any(lambda e: _counts_in(quantity, e))
    ):
        return None  # "from 48 minutes back to 19": the unit is said once for both
    if index.answer(("halved", quantity), lambda: index.any(lambda e: _halves(quantity, e))):
        return None  # "halved it from 40 minutes" is "from 40 to 20 minutes"

    def alike(entry: Entry) -> bool:
        return any(quantity.same_family(q) for q, _ in entry.reading.quantities)

    nearest = index.nearest(words, alike)
    if nearest is None:
        return Verdict(f"no fact says {claim.text!r}", index.nearest(words))
    shown = next(said for q, said in nearest.reading.quantities if quantity.same_family(q))
    return Verdict(f"the facts say {shown}, not {claim.text}", nearest)


def _list_lengths(clause: str, at: int) -> set[int]:
    """How many items each list of short items in a clause names ("A, B, C and D": 4), for
    the lists the number at position at stands outside of (a list does not count itself)."""
    return {
        len(_SEPARATOR.findall(match.group(0))) + 2
        for match in _LIST.finditer(clause)
        if not match.start() <= at < match.end()
    }


def _halves(quantity: Quantity, entry: Entry) -> bool:
    """Whether an entry says it halved twice this quantity ("halved our 40-minute pipeline")."""
    return _HALVED.search(entry.reading.text) is not None and any(
        q.kind == quantity.kind and abs(q.amount - 2 * quantity.amount) < 1e-6
        for q, _ in entry.reading.quantities
    )


def _counts_in(quantity: Quantity, entry: Entry) -> bool:
    """Whether an entry gives the bare number beside a quantity of the same unit."""
    number = f"{quantity.amount:g}"
    return number in entry.reading.digits and any(
        q.kind == quantity.kind for q, _ in entry.reading.quantities
    )
