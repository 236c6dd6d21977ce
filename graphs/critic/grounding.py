"""The deterministic grounding gate: every specific claim must appear in the evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from wordfreq import zipf_frequency

from graphs.critic.lexicon import MONTHS, NEUTRAL_CAPITALIZED
from graphs.lead import Campaign, Lead
from tools.facts import Fact

_MONTH = (
    "|".join(m.capitalize() for m in MONTHS) + "|" + "|".join(m[:3].capitalize() for m in MONTHS)
)
_DATE = re.compile(rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})\s+({_MONTH}))\b")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_TIME_ASK = re.compile(r"\b\d{1,2}[- ]?(?:minute|min)s?\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NUMBER_WITH_UNIT = re.compile(r"\$?\d[\d,.]*(?:[kKmMbB]n?|x|%)?(?![A-Za-z])")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.+/-]*")
_SENTENCE_BREAK = re.compile(r"[.!?:;]\s|\n|^")
_COMMON_WORD_ZIPF = 3.3


@dataclass(frozen=True)
class Claim:
    """A specific, checkable piece of a message: a number, date or proper noun."""

    kind: str
    text: str


def _normalize(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').lower()
    text = re.sub(r"'s\b", "", text)
    # Inner dots and hyphens stay ("node.js", "e-commerce"); sentence punctuation goes.
    return " ".join(re.findall(r"[a-z0-9&+]+(?:[.-][a-z0-9&+]+)*", text.replace("/", " ")))


def _date_forms(day: date) -> list[str]:
    month = MONTHS[day.month - 1]
    return [day.isoformat(), f"{month} {day.day}", f"{month[:3]} {day.day}", f"{day.day} {month}"]


def _digits(text: str) -> set[str]:
    return {m.replace(",", "").rstrip(".") for m in _NUMBER.findall(text)}


class Evidence:
    """What a message may draw on: facts, lead fields, the campaign and the sender."""

    def __init__(self, texts: Iterable[str]) -> None:
        joined = "\n".join(texts)
        self._normalized = f" {_normalize(joined)} "
        self._numbers = _digits(joined.replace("-", " "))

    @classmethod
    def for_message(cls, lead: Lead, campaign: Campaign, facts: Iterable[Fact]) -> Evidence:
        """Build the evidence a whole message may use."""
        return cls([*_lead_texts(lead), *_campaign_texts(campaign), *_fact_texts(facts)])

    @classmethod
    def for_hook(cls, lead: Lead, facts: Iterable[Fact]) -> Evidence:
        """Build the evidence a hook may use: its cited facts plus who the lead is."""
        return cls([lead.name, lead.company, *_fact_texts(facts)])

    def supports_phrase(self, phrase: str) -> bool:
        """Return whether the normalized phrase occurs in the evidence."""
        norm = _normalize(phrase)
        return bool(norm) and f" {norm} " in self._normalized

    def supports_number(self, number: str) -> bool:
        """Return whether the number occurs in the evidence."""
        return number in self._numbers


def _lead_texts(lead: Lead) -> list[str]:
    texts = [lead.name, lead.company, lead.title or "", lead.industry or ""]
    return texts + list(lead.extra.values())


def _campaign_texts(campaign: Campaign) -> list[str]:
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
        texts.append(fact.text)
        if fact.title:
            texts.append(fact.title)
        if fact.published:
            texts.extend(_date_forms(fact.published))
    return texts


def _is_sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \"'“(")
    return not before or before[-1] in ".!?:;\n—-" or before.endswith(",\n")


def _capitalized_runs(text: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    last_end = -1
    for match in _TOKEN.finditer(text):
        token = match.group(0).rstrip(".'’-")
        if not token:
            continue
        gap = text[last_end : match.start()] if last_end >= 0 else ""
        is_cap = token[0].isupper()
        lowered = token.lower().replace("’", "'")
        if is_cap and _is_sentence_start(text, match.start()):
            common = zipf_frequency(lowered, "en") >= _COMMON_WORD_ZIPF
            if common or lowered in NEUTRAL_CAPITALIZED:
                is_cap = False
        elif lowered in NEUTRAL_CAPITALIZED:
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


def extract_claims(text: str) -> list[Claim]:
    """Return the dates, numbers and proper nouns a reader could check."""
    claims: list[Claim] = []
    for match in _DATE.finditer(text):
        claims.append(Claim("date", match.group(0)))
    for match in _ISO_DATE.finditer(text):
        claims.append(Claim("date", match.group(0)))
    stripped = _TIME_ASK.sub(" ", _ISO_DATE.sub(" ", _DATE.sub(" ", text)))
    for number in sorted(_digits(stripped)):
        claims.append(Claim("number", number))
    # Removed numbers leave a "|" so that the words around them do not join into one name.
    for run in _capitalized_runs(_NUMBER_WITH_UNIT.sub(" | ", stripped)):
        claims.append(Claim("name", run))
    return claims


def _supported(claim: Claim, evidence: Evidence) -> bool:
    if claim.kind == "number":
        return evidence.supports_number(claim.text)
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
