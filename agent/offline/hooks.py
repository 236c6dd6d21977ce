"""Turn facts into ranked hooks and the sentences that carry them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agent.offline.hook_phrases import SENTENCE_BREAK, HookSayer, spoken_list
from agent.offline.matching import mentions
from agent.offline.name_case import lower_opening, name_led
from agent.offline.phrasebooks import Phrasebook, phrasebook
from agent.offline.triggers import is_stale, recency_factor
from graphs.analysis import Hook
from graphs.task_inputs import AnalyzeInput, FactBrief
from tools.facts import FactKind
from tools.untrusted_text import reads_as_instructions

KIND_WEIGHT = {
    FactKind.REFERRAL: 0.95,
    FactKind.POST: 0.9,
    FactKind.NEWS: 0.8,
    FactKind.HIRING: 0.7,
    FactKind.TECHNOLOGY: 0.45,
    FactKind.COMPANY: 0.35,
    FactKind.PROFILE: 0.3,
}
MAX_HOOKS = 4


@dataclass(frozen=True)
class HookPhrases:
    """Ways to say one hook, each using only what its fact says."""

    hook: Hook
    kind: FactKind
    professional: str
    friendly: str
    direct: str
    short: str
    """A few words for SMS and connection notes."""
    professional_next: str
    friendly_next: str
    direct_next: str
    """The same hook as a second point in a message."""


def phrases_for(
    fact: FactBrief,
    company: str,
    today: date | None = None,
    names: tuple[str, ...] = (),
    book: Phrasebook | None = None,
) -> HookPhrases | None:
    """Return the hook and its sentences for a fact, or None if it makes no good hook.

    names are other proper names the fact may open with (the lead's), kept as written; book
    is the message language's phrasebook (English when None).
    """
    book = book or phrasebook("en")
    builder = HookSayer(book.hooks, book.and_word, book.language).builder(fact.kind, names)
    built = builder(fact, company, today) if builder else None
    if built is None:
        return None
    text, professional, friendly, direct, short, professional_next, friendly_next, direct_next = (
        built
    )
    return HookPhrases(
        hook=Hook(text=text, fact_ids=[fact.id]),
        kind=fact.kind,
        professional=professional,
        friendly=friendly,
        direct=direct,
        short=short,
        professional_next=professional_next,
        friendly_next=friendly_next,
        direct_next=direct_next,
    )


def _score(fact: FactBrief, keywords: list[str], today: date) -> float:
    weight = KIND_WEIGHT.get(fact.kind, 0.0)
    if fact.kind in (FactKind.POST, FactKind.NEWS):
        weight *= recency_factor(fact.published, today)
    text = f"{fact.title or ''} {fact.text}"
    if any(mentions(text, k) for k in keywords):
        weight += 0.2
    return weight


def rank_hooks(payload: AnalyzeInput) -> list[Hook]:
    """Return the best hooks for a lead, strongest first, one per fact."""
    scored: list[tuple[float, Hook]] = []
    profile_seen = False
    # Hooks are said in the message's language: a description in it is a hook, and its label
    # reads as the message will.
    book = phrasebook(payload.language)
    # A researched profile is better evidence than the lead file's own line: cite it first.
    ordered = sorted(
        payload.facts,
        key=lambda f: f.kind is FactKind.PROFILE and not f.source_url.startswith("http"),
    )
    for fact in ordered:
        # Old news is never a hook; a person's own old post still is, dated with its year.
        stale = is_stale(fact.published, payload.today)
        if stale and fact.kind is not FactKind.POST:
            continue
        if reads_as_instructions(f"{fact.title or ''} {fact.text}"):
            continue  # never quote injected instructions back to anyone
        names = (payload.lead.name,)
        phrases = phrases_for(fact, payload.lead.company, payload.today, names, book)
        if phrases is None or (fact.kind is FactKind.PROFILE and profile_seen):
            continue
        profile_seen = profile_seen or fact.kind is FactKind.PROFILE
        scored.append((_score(fact, payload.campaign.target.keywords, payload.today), phrases.hook))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [hook for _, hook in scored[:MAX_HOOKS]]


__all__ = [
    "SENTENCE_BREAK",
    "HookPhrases",
    "lower_opening",
    "name_led",
    "phrases_for",
    "rank_hooks",
    "spoken_list",
]
