"""What a hook says happened, and whether its facts say so: outcome verbs ("passed its audit"
is not backed by "has begun its audit") and "recent" (a fact older than half a year is not).

Outcome verbs are English; a hook on a fact written in another language ("Soignelia obtient la
certification HDS") is not held to them, as its facts cannot use them.
"""

from __future__ import annotations

import re

from graphs.critic.text_language import reads_as_english
from tools.facts import Fact

_WORD = re.compile(r"[^\W_](?:[\w&+]|[.-](?=[^\W_]))*")
# Verbs that state how an event turned out. A hook may use one only if a fact it cites does:
# "passed its audit" is not supported by "has begun its audit".
_OUTCOME_VERBS = frozenset(
    "pass complet close rais grant win won launch acquir hold held secur certifi approv finish "
    "ship shipp sign promot award"
    .split()
)  # fmt: skip
# Verb forms only: "secured" is an outcome, "security" is not.
_OUTCOME_FORM = re.compile(
    rf"(?:{'|'.join(sorted(_OUTCOME_VERBS, key=len, reverse=True))})(?:e|es|ed|ing|s|d)?"
)
_RECENT = re.compile(r"\b(?:recent|recently|just)\b", re.IGNORECASE)
RECENT_DAYS = 180
"""How old a fact may be (before it was retrieved) and still be called recent."""


def _verb_stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _outcome_stems(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {_verb_stem(w) for w in words if _OUTCOME_FORM.fullmatch(w)}


def unsupported_event_claims(hook_text: str, cited: list[Fact]) -> list[str]:
    """Return the outcome verbs and "recent" claims of a hook that its cited facts do not make
    (outcome verbs only of facts written in English)."""
    problems: list[str] = []
    fact_text = " ".join(f"{fact.title or ''} {fact.text}" for fact in cited)
    if reads_as_english(fact_text):
        missing = sorted(_outcome_stems(hook_text) - _outcome_stems(fact_text))
        problems.extend(f"says '{stem}…' but its facts do not" for stem in missing)
    if _RECENT.search(hook_text):
        ages = [
            (fact.retrieved_at.date() - fact.published).days for fact in cited if fact.published
        ]
        if not ages or min(ages) > RECENT_DAYS:
            oldest = f"{min(ages)} days old" if ages else "undated"
            problems.append(f"calls it recent but its fact is {oldest}")
    return problems
