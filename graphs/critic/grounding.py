"""The deterministic grounding gate: every specific claim must appear in the evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from graphs.analysis import Hook
from graphs.critic.claim_names import is_ordinary_word
from graphs.critic.hook_events import unsupported_event_claims
from graphs.critic.lexicon import (
    MONTHS,
    NEUTRAL_CAPITALIZED,
    RESEARCH_CLAIM_PATTERNS,
    SENTENCE_OPENERS,
)
from graphs.critic.text_language import reads_as_english
from graphs.lead import Campaign, Lead
from graphs.lead_screening import screen_lead
from graphs.template_variables import fill_variables, template_values
from tools.facts import Fact
from tools.untrusted_text import reads_as_instructions
from tools.word_frequency import zipf_frequency

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


def normalize(text: str) -> str:
    """Lower-case text down to its words, as evidence is compared ("Northwind's" -> "northwind")."""
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').lower()
    text = re.sub(r"'s\b", "", text)
    return " ".join(_WORD.findall(text.replace("/", " ")))


_normalize = normalize


def _date_forms(day: date) -> list[str]:
    month = MONTHS[day.month - 1]
    return [day.isoformat(), f"{month} {day.day}", f"{month[:3]} {day.day}", f"{day.day} {month}"]


def _digits(text: str) -> set[str]:
    return {m.replace(",", "").rstrip(".") for m in _NUMBER.findall(text)}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


@lru_cache(maxsize=4096)
def _indexed(text: str) -> tuple[frozenset[str], str]:
    """A text's numbers and its words, as evidence compares them (cached: a lead's facts are
    indexed once, not once per draft)."""
    flat = text.replace("-", " ")
    return frozenset(_digits(flat)), f" {_normalize(text)} {_normalize(flat)} "


class Evidence:
    """What a message may draw on: facts, lead fields, the campaign and the sender."""

    def __init__(self, texts: Iterable[str], facts: Iterable[Fact] = ()) -> None:
        """texts: what the lead row, campaign and sender say; facts: what research found (a
        fact that reads as instructions to an AI is left out)."""
        self.texts: tuple[str, ...] = tuple(t for t in texts if t)
        self.facts: tuple[Fact, ...] = tuple(
            fact for fact in facts if not reads_as_instructions(f"{fact.title or ''} {fact.text}")
        )
        kept = [*self.texts, *_fact_texts(self.facts)]
        # Compounds count word by word too: "Series-A-Finanzierung" holds "Series A", and a
        # "900-package monorepo" holds "900" with "package".
        self._by_text = [_indexed(t) for t in kept]
        self._normalized = " | ".join(text for _, text in self._by_text)
        self.indexes: dict[object, object] = {}
        """What checks derive from this evidence, built once and kept with it (and gone
        with it: graphs/critic/claim_evidence.py's claim index)."""

    @classmethod
    def for_message(cls, lead: Lead, campaign: Campaign, facts: Iterable[Fact]) -> Evidence:
        """Build the evidence a whole message may use (a withheld lead field is none)."""
        safe = screen_lead(lead).lead
        return cls(
            [*_lead_texts(safe), *campaign_texts(campaign), *_filled_template(lead, campaign)],
            facts,
        )

    @classmethod
    def for_hook(cls, lead: Lead, facts: Iterable[Fact]) -> Evidence:
        """Build the evidence a hook may use: its cited facts plus who the lead is."""
        safe = screen_lead(lead).lead
        return cls([safe.name, safe.company], facts)

    def supports_phrase(self, phrase: str) -> bool:
        """Return whether the phrase (or its singular/plural) occurs in the evidence."""
        norm = _normalize(phrase)
        if not norm:
            return False
        variants = {norm, _stem(norm), f"{norm}s"}
        return any(f" {v} " in self._normalized for v in variants)

    def supports_number(self, number: str, context: str | None, translated: bool = False) -> bool:
        """Return whether one piece of evidence holds the number with the word it counts.

        A year ("in 2027") counts nothing, so any evidence holding it supports it. translated:
        the text is in another language than the evidence may be, so a counted word no
        evidence uses at all ("vacantes" for "open roles") is left out.
        """
        unknown = context is not None and f" {_stem(context)}" not in self._normalized
        if _YEAR.fullmatch(number) or (translated and unknown):
            context = None
        for numbers, text in self._by_text:
            if number in numbers and (context is None or f" {_stem(context)}" in text):
                return True
        return False


def _lead_texts(lead: Lead) -> list[str]:
    return [lead.name, lead.company, lead.title or "", lead.industry or "", *lead.extra.values()]


def _filled_template(lead: Lead, campaign: Campaign) -> list[str]:
    """The campaign's template as the writer fills it: "{{company}}" is the lead's company."""
    if not campaign.template:
        return []
    return [fill_variables(campaign.template, template_values(lead, campaign))]


def campaign_texts(campaign: Campaign) -> list[str]:
    """Return what the campaign itself says, in every language it has copy in: its pitch,
    guidance, template, ask and sender."""
    sender = campaign.sender
    translated = [
        text
        for copy in campaign.translations.values()
        for text in (copy.value_proposition, copy.short_pitch or "", copy.call_to_action or "")
    ]
    return [
        campaign.value_proposition,
        campaign.emphasis or "",
        campaign.short_pitch or "",
        campaign.custom_context or "",
        *campaign.target.keywords,
        campaign.template or "",
        campaign.call_to_action,
        *translated,
        sender.name,
        sender.title or "",
        sender.company,
        sender.signature or "",
        sender.postal_address or "",
    ]


def _fact_texts(facts: Iterable[Fact]) -> list[str]:
    """The words of facts already screened for injections (Evidence drops those: an injected
    "we won an award" must never count as support)."""
    texts: list[str] = []
    for fact in facts:
        dates = " ".join(_date_forms(fact.published)) if fact.published else ""
        texts.append(" ".join(filter(None, [fact.title, fact.text, dates])))
    return texts


def _is_sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \"'“(¿¡«")
    return not before or before[-1] in ".!?:;\n—-"


def _is_ordinary_opener(word: str) -> bool:
    if word in SENTENCE_OPENERS:
        return True
    # Verbs and adverbs opening a sentence ("Scaling", "Quarantined", "Clearly") are not
    # names: English words with these endings, even fairly rare ones.
    if word.endswith(("ing", "ed", "ly")) and zipf_frequency(word, "en") >= 2.0:
        return True
    # Common words ("Welcome", "Calendars") are not names either, unless they read as a brand
    # or a place (graphs/critic/claim_names.py).
    return is_ordinary_word(word, "en", sentence_start=True)


def _capitalized_runs(text: str, language: str = "en") -> list[str]:
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
        elif is_cap and language != "en":
            # A Spanish or French sentence opener, or any German noun ("Ihr Beitrag").
            opener = _is_sentence_start(text, match.start())
            is_cap = not is_ordinary_word(token, language, sentence_start=opener)
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


def extract_claims(text: str, language: str = "en") -> list[Claim]:
    """Return the dates, numbers and proper nouns a reader could check (in a text written in
    language: German capitalizes its nouns)."""
    claims: list[Claim] = []
    for match in _DATE.finditer(text):
        claims.append(Claim("date", match.group(0)))
    for match in _ISO_DATE.finditer(text):
        claims.append(Claim("date", match.group(0)))
    stripped = _NOT_A_CLAIM.sub(" ", _ISO_DATE.sub(" ", _DATE.sub(" ", text)))
    claims.extend(_number_claims(stripped))
    # Removed numbers leave a "|" so that the words around them do not join into one name.
    for run in _capitalized_runs(_NUMBER_WITH_UNIT.sub(" | ", stripped), language):
        claims.append(Claim("name", run))
    return claims


def _supported(claim: Claim, evidence: Evidence, translated: bool) -> bool:
    if claim.kind == "number":
        return evidence.supports_number(claim.text, claim.context, translated=translated)
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


def unsupported_claims(
    text: str, evidence: Evidence, language: str = "en", *, translated: bool | None = None
) -> list[Claim]:
    """Return the claims in text (written in language) that the evidence does not support.

    translated: the text may be in another language than the evidence, so a number's counted
    word no evidence uses is no claim of its own (default: when language is not English).
    """
    seen: set[Claim] = set()
    missing: list[Claim] = []
    in_other_language = language != "en" if translated is None else translated
    for claim in extract_claims(text, language):
        if claim not in seen and not _supported(claim, evidence, in_other_language):
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


def hook_problems(
    hook: Hook, lead: Lead, facts: Mapping[str, Fact], language: str = "en"
) -> list[str]:
    """Return what a hook (written in language) says that the facts it cites do not, each as
    "hook '…' …"."""
    label = f"hook {hook.text!r}"
    cited = [facts[i] for i in hook.fact_ids if i in facts]
    if not hook.fact_ids or len(cited) < len(hook.fact_ids):
        return [f"{label} cites no known fact"]
    # A hook in another language than its facts ("8 offene Stellen" for "8 open roles") is
    # held to its numbers, names and dates; the words it counts with are its own.
    fact_text = " ".join(f"{fact.title or ''} {fact.text}" for fact in cited)
    translated = language != "en" or not reads_as_english(fact_text)
    problems = [
        f"{label}: {claim.text!r} is not in its cited facts"
        for claim in unsupported_claims(
            hook.text, Evidence.for_hook(lead, cited), language, translated=translated
        )
    ]
    problems += [f"{label} {problem}" for problem in unsupported_event_claims(hook.text, cited)]
    return problems
