"""The deterministic grounding gate: every specific claim must appear in the evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from wordfreq import zipf_frequency

from graphs.analysis import Hook
from graphs.critic.lexicon import (
    MONTHS,
    NEUTRAL_CAPITALIZED,
    RESEARCH_CLAIM_PATTERNS,
    SENTENCE_OPENERS,
)
from graphs.lead import Campaign, Lead
from graphs.lead_screening import screen_lead
from tools.facts import Fact
from tools.untrusted_text import reads_as_instructions

_MONTH = "|".join([m.capitalize() for m in MONTHS] + [m[:3].capitalize() for m in MONTHS])
_DATE = re.compile(rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})\s+({_MONTH}))\b")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Numbers that are part of the ask or the calendar, not claims about the lead.
_NOT_A_CLAIM = re.compile(r"\b\d{1,2}[- ]?(?:minute|min)s?\b|\bQ[1-4]\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A number ends on a digit: the full stop or comma after it ends the sentence or clause.
_NUMBER_WITH_UNIT = re.compile(r"\$?\d(?:[\d,.]*\d)?(?:[kKmMbB]n?|x|%)?(?![^\W\d_])")
_TOKEN = re.compile(r"[^\W_][\w&'’.+/-]*")
_WORD = re.compile(r"[^\W_](?:[\w&+]|[.-](?=[^\W_]))*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CONTEXT_SKIP = frozenset(
    "of them in the a an our your you we to at for and or with on by per".split()
)


@dataclass(frozen=True)
class Claim:
    """A specific, checkable piece of a message: a number, date or proper noun."""

    kind: str
    text: str
    context: str | None = None
    """For numbers: the word they count ("40 engineers" → "engineers")."""


def _normalize(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').lower()
    text = re.sub(r"'s\b", "", text)
    return " ".join(_WORD.findall(text.replace("/", " ")))


def _date_forms(day: date) -> list[str]:
    month = MONTHS[day.month - 1]
    return [day.isoformat(), f"{month} {day.day}", f"{month[:3]} {day.day}", f"{day.day} {month}"]


def _digits(text: str) -> set[str]:
    return {m.replace(",", "").rstrip(".") for m in _NUMBER.findall(text)}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


class Evidence:
    """What a message may draw on: facts, lead fields, the campaign and the sender."""

    def __init__(self, texts: Iterable[str]) -> None:
        kept = [t for t in texts if t]
        # Compounds count word by word too: "Series-A-Finanzierung" holds "Series A", and a
        # "900-package monorepo" holds "900" with "package".
        self._by_text = [
            (_digits(t.replace("-", " ")), f" {_normalize(t)} {_normalize(t.replace('-', ' '))} ")
            for t in kept
        ]
        self._normalized = " | ".join(text for _, text in self._by_text)

    @classmethod
    def for_message(cls, lead: Lead, campaign: Campaign, facts: Iterable[Fact]) -> Evidence:
        """Build the evidence a whole message may use (a withheld lead field is none)."""
        safe = screen_lead(lead).lead
        return cls([*_lead_texts(safe), *campaign_texts(campaign), *_fact_texts(facts)])

    @classmethod
    def for_hook(cls, lead: Lead, facts: Iterable[Fact]) -> Evidence:
        """Build the evidence a hook may use: its cited facts plus who the lead is."""
        safe = screen_lead(lead).lead
        return cls([safe.name, safe.company, *_fact_texts(facts)])

    def supports_phrase(self, phrase: str) -> bool:
        """Return whether the phrase (or its singular/plural) occurs in the evidence."""
        norm = _normalize(phrase)
        if not norm:
            return False
        variants = {norm, _stem(norm), f"{norm}s"}
        return any(f" {v} " in self._normalized for v in variants)

    def supports_number(self, number: str, context: str | None) -> bool:
        """Return whether one piece of evidence holds the number with the word it counts.

        A year ("in 2027") counts nothing, so any evidence holding it supports it.
        """
        if _YEAR.fullmatch(number):
            context = None
        for numbers, text in self._by_text:
            if number in numbers and (context is None or f" {_stem(context)}" in text):
                return True
        return False


def _lead_texts(lead: Lead) -> list[str]:
    return [lead.name, lead.company, lead.title or "", lead.industry or "", *lead.extra.values()]


def campaign_texts(campaign: Campaign) -> list[str]:
    """Return what the campaign itself says: its pitch, guidance, template and sender."""
    sender = campaign.sender
    return [
        campaign.value_proposition,
        campaign.short_pitch or "",
        campaign.custom_context or "",
        *campaign.target.keywords,
        campaign.template or "",
        campaign.call_to_action,
        sender.name,
        sender.title or "",
        sender.company,
        sender.signature or "",
        sender.postal_address or "",
    ]


def _fact_texts(facts: Iterable[Fact]) -> list[str]:
    texts: list[str] = []
    for fact in facts:
        if reads_as_instructions(f"{fact.title or ''} {fact.text}"):
            continue  # an injected "we won an award" must never count as support
        dates = " ".join(_date_forms(fact.published)) if fact.published else ""
        texts.append(" ".join(filter(None, [fact.title, fact.text, dates])))
    return texts


def _is_sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \"'“(")
    return not before or before[-1] in ".!?:;\n—-"


def _is_ordinary_opener(word: str) -> bool:
    if word in SENTENCE_OPENERS:
        return True
    # Verbs and adverbs opening a sentence ("Scaling", "Quarantined", "Clearly") are not
    # names: English words with these endings, even fairly rare ones.
    return word.endswith(("ing", "ed", "ly")) and zipf_frequency(word, "en") >= 2.0


def _capitalized_runs(text: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    last_end = -1
    for match in _TOKEN.finditer(text):
        token = match.group(0).rstrip(".'’-")
        if not token:
            continue
        gap = text[last_end : match.start()] if last_end >= 0 else ""
        lowered = token.lower().replace("’", "'")
        is_cap = token[0].isupper() and lowered not in NEUTRAL_CAPITALIZED
        if is_cap and _is_sentence_start(text, match.start()) and _is_ordinary_opener(lowered):
            is_cap = False
        joined = current and gap.strip() in ("", "&") and "\n" not in gap
        if is_cap and (joined or not current):
            current.append(token)
        elif is_cap:
            runs.append(" ".join(current))
            current = [token]
        else:
            if current:
                runs.append(" ".join(current))
            current = []
        last_end = match.end()
    if current:
        runs.append(" ".join(current))
    return runs


_PHRASE_END = re.compile(r"[”\"»)\]!?;:\n]|\.(?!\d)")


def _number_claims(text: str) -> list[Claim]:
    claims: list[Claim] = []
    for match in _NUMBER_WITH_UNIT.finditer(text):
        number = _NUMBER.search(match.group(0))
        if number is None:
            continue
        # The counted word follows in the same phrase: a closing quote or the end of the
        # sentence ends it ("…got it back to 19” from November 3" counts nothing).
        rest = _PHRASE_END.split(text[match.end() : match.end() + 60], maxsplit=1)[0]
        following = [w.lower() for w in _WORD.findall(rest)]
        context = next((w for w in following if w not in _CONTEXT_SKIP), None)
        if context is not None and (len(context) < 3 or not context.isalpha()):
            context = None
        claims.append(Claim("number", number.group(0).replace(",", "").rstrip("."), context))
    return claims


def extract_claims(text: str) -> list[Claim]:
    """Return the dates, numbers and proper nouns a reader could check."""
    claims: list[Claim] = []
    for match in _DATE.finditer(text):
        claims.append(Claim("date", match.group(0)))
    for match in _ISO_DATE.finditer(text):
        claims.append(Claim("date", match.group(0)))
    stripped = _NOT_A_CLAIM.sub(" ", _ISO_DATE.sub(" ", _DATE.sub(" ", text)))
    claims.extend(_number_claims(stripped))
    # Removed numbers leave a "|" so that the words around them do not join into one name.
    for run in _capitalized_runs(_NUMBER_WITH_UNIT.sub(" | ", stripped)):
        claims.append(Claim("name", run))
    return claims


def _supported(claim: Claim, evidence: Evidence) -> bool:
    if claim.kind == "number":
        return evidence.supports_number(claim.text, claim.context)
    if claim.kind == "date":
        return evidence.supports_phrase(re.sub(r"(st|nd|rd|th)\b", "", claim.text))
    # Split a run of capitalized words into the longest phrases the evidence holds, so
    # "Northwind Robotics Series B" is fine when both names are known, while "Series C" is
    # not rescued by "Series" alone: a one-letter word must belong to a known phrase.
    tokens = claim.text.split()
    start = 0
    while start < len(tokens):
        for end in range(len(tokens), start, -1):
            phrase = " ".join(tokens[start:end])
            if (end - start > 1 or len(phrase) > 1) and evidence.supports_phrase(phrase):
                start = end
                break
        else:
            return False
    return True


def unsupported_claims(text: str, evidence: Evidence) -> list[Claim]:
    """Return the claims in text that the evidence does not support."""
    seen: set[Claim] = set()
    missing: list[Claim] = []
    for claim in extract_claims(text):
        if claim not in seen and not _supported(claim, evidence):
            missing.append(claim)
        seen.add(claim)
    return missing


_YOUR_NAME = re.compile(r"\b[Yy]our\s+([A-Z][\w&+.-]*)")


def research_claims(text: str, evidence: Evidence) -> list[str]:
    """Return what a message says that only research could have told it, unless evidence says it.

    For a lead research found nothing about: "I noticed", "your recent post", "congrats",
    "hiring", "just launched" claim something nobody found. The lead row and the campaign may
    still say such words ("… for teams that are hiring"), so the evidence's own are allowed.
    """
    matches = sorted(
        [
            *((m.start(), m.group(0)) for p in RESEARCH_CLAIM_PATTERNS for m in p.finditer(text)),
            # "your Airflow", "your Snowflake account": a named thing of theirs nobody found.
            *(
                (m.start(), m.group(0))
                for m in _YOUR_NAME.finditer(text)
                if m.group(1).lower() not in NEUTRAL_CAPITALIZED
            ),
        ]
    )
    found: dict[str, str] = {}
    for _, said in matches:
        if said.casefold() not in found and not evidence.supports_phrase(said):
            found[said.casefold()] = said
    return list(found.values())


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
    """Return the outcome verbs and "recent" claims of a hook that its cited facts do not make."""
    problems: list[str] = []
    fact_text = " ".join(f"{fact.title or ''} {fact.text}" for fact in cited)
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


def hook_problems(hook: Hook, lead: Lead, facts: Mapping[str, Fact]) -> list[str]:
    """Return what a hook says that the facts it cites do not, each as "hook '…' …"."""
    label = f"hook {hook.text!r}"
    cited = [facts[i] for i in hook.fact_ids if i in facts]
    if not hook.fact_ids or len(cited) < len(hook.fact_ids):
        return [f"{label} cites no known fact"]
    problems = [
        f"{label}: {claim.text!r} is not in its cited facts"
        for claim in unsupported_claims(hook.text, Evidence.for_hook(lead, cited))
    ]
    problems += [f"{label} {problem}" for problem in unsupported_event_claims(hook.text, cited)]
    return problems
