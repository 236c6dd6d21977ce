"""Message-quality metrics: each a small function with the definition in its docstring.

The deterministic metrics read the text alone. The grounding metrics compare a message with
the lead's facts, the campaign's value proposition and the sender profile (the same evidence
the critic uses). The expectation metrics compare a run with its golden lead.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from textstat.textstat import textstatistics

from graphs.context import CriticSettings
from graphs.critic.checks import (
    SENTENCE_PATTERN,
    SPAM_PATTERN,
    URL_PATTERN,
    sms_segments,
    word_count,
)
from graphs.critic.cta_checks import read_asks
from graphs.critic.grounding import (
    Evidence,
    extract_claims,
    hook_problems,
    research_claims,
    unsupported_claims,
)
from graphs.critic.lexicon import CTA_PATTERNS, PLACEHOLDER_PATTERNS
from graphs.drafts import Variant
from graphs.lead import LANGUAGES, Campaign, Channel, Lead
from graphs.research import found_nothing
from tools.facts import Fact
from tools.page_language import detect_language

_YOU = re.compile(r"\b(?:you|your|yours|you're|you've|you'll)\b", re.IGNORECASE)
_SELF = re.compile(r"\b(?:i|i'm|i've|i'll|me|my|mine|we|we're|our|us)\b", re.IGNORECASE)


def body_words(body: str) -> int:
    """Words in the body, counted as a reader would (the greeting and sign-off included)."""
    return word_count(body)


def subject_chars(subject: str | None) -> int:
    """Characters in the subject line (0 without one); mobile shows about 30–40."""
    return len(subject or "")


def subject_words(subject: str | None) -> int:
    """Words in the subject line (0 without one)."""
    return word_count(subject or "")


_READERS: dict[str, textstatistics] = {}
_READERS_LOCK = threading.Lock()
_LOCALES = {"en": "en_US", "es": "es", "fr": "fr", "de": "de_DE"}
"""The hyphenation dictionary each language's syllables are counted with (en_US is textstat's
own default, so English scores are what they always were)."""


def _reader(language: str) -> textstatistics:
    """Return a textstat reader for the language (en, es, fr, de; anything else reads as
    English): its own instance, set to the language once and never changed. textstat's module
    reader is one global whose set_lang() every caller would share."""
    code = language if language in LANGUAGES else "en"
    with _READERS_LOCK:
        reader = _READERS.get(code)
        if reader is None:
            reader = textstatistics()
            reader.set_lang(_LOCALES[code])  # its syllables (pyphen) and formula constants
            _READERS[code] = reader
    return reader


def reading_grade(body: str, language: str = "en") -> float:
    """School grade the body needs (textstat), with the language's own formula and syllables:
    Flesch–Kincaid for English, the Wiener Sachtextformel (first variant) for German, Crawford
    for Spanish; French has no grade formula of its own, so Flesch–Kincaid counts French
    syllables. Lower reads easier; 5–7 is the aim in English. Compare a message with others
    in its language."""
    reader = _reader(language)
    if language == "de":
        return float(reader.wiener_sachtextformel(body, 1))
    if language == "es":
        return float(reader.crawford(body))
    return float(reader.flesch_kincaid_grade(body))


def reading_ease(body: str, language: str = "en") -> float:
    """Flesch reading ease of the body (textstat) with the language's constants and syllables:
    Flesch for English, Fernández Huerta for Spanish, Kandel–Moles for French, Amstad for
    German. Higher reads easier; 70+ is the aim (60+ in German, whose scale runs lower)."""
    return float(_reader(language).flesch_reading_ease(body))


def message_language(variant: Variant, lead: Lead, campaign: Campaign) -> str:
    """Return the language a message is written in: what its text reads as (en, es, fr or de),
    else the lead's or the campaign's language, else English."""
    detected = detect_language(variant.body)
    if detected in LANGUAGES:
        return detected
    return lead.language or campaign.language or "en"


def longest_sentence(body: str) -> int:
    """Words in the longest sentence (or line) of the body."""
    return max((word_count(s) for s in SENTENCE_PATTERN.findall(body)), default=0)


def question_count(body: str) -> int:
    """Question marks in the body: one clear question is the usual call to action."""
    return body.count("?")


def you_i_ratio(body: str) -> float:
    """Reader-focused words (you, your) per self-focused word (I, me, my, we, our).

    With no self-focused words the ratio is the count of reader-focused words.
    """
    you, me = len(_YOU.findall(body)), len(_SELF.findall(body))
    return you / me if me else float(you)


def link_count(text: str) -> int:
    """Links (http(s):// or www.) in the text; cold first touches do better without."""
    return len(URL_PATTERN.findall(text))


def spam_hits(text: str) -> int:
    """Phrases from the spam lexicon found in the text (a soft signal, not a verdict)."""
    return len(SPAM_PATTERN.findall(text.lower()))


def placeholder_leaks(text: str) -> int:
    """Unfilled placeholders: {{variables}}, [Your Name], <FIRST_NAME>, lorem ipsum, TODO."""
    return sum(len(pattern.findall(text)) for _, pattern in PLACEHOLDER_PATTERNS)


def within_channel_limit(
    variant: Variant, channel: Channel, campaign: Campaign, settings: CriticSettings
) -> bool:
    """Whether the message fits its channel: one SMS segment, the LinkedIn character cap,
    and for email a subject line."""
    if channel is Channel.SMS:
        return sms_segments(variant.body)[0] <= settings.sms_max_segments
    if channel is Channel.LINKEDIN:
        limit = (
            settings.linkedin_note_max_chars
            if campaign.linkedin_format == "connection_note"
            else settings.linkedin_message_max_chars
        )
        return len(variant.body) <= limit
    return bool(variant.subject and variant.subject.strip())


def cta_present(body: str, language: str = "en") -> bool:
    """Whether the body asks for something: a question mark and call-to-action wording (the
    critic's asks of the message's language, or the English patterns)."""
    if "?" not in body:
        return False
    return CTA_PATTERNS.search(body) is not None or bool(read_asks(body, language=language)[0])


@dataclass(frozen=True)
class Grounding:
    """How well a message's specific claims are backed by evidence."""

    claims: int
    unsupported: list[str]
    """Claims no fact, lead field, value proposition or sender detail supports; hooks whose
    cited facts do not say what the hook says; and, for a lead research found nothing about,
    what only research could have told ("says 'I noticed'")."""

    @property
    def grounded_claim_rate(self) -> float:
        """Supported share of the checkable claims (1.0 when there are none)."""
        extra = sum(1 for u in self.unsupported if u.startswith(("hook ", "says ")))
        total = self.claims + extra
        return 1.0 if total == 0 else 1 - len(self.unsupported) / total


def grounding(
    variant: Variant, lead: Lead, campaign: Campaign, facts: list[Fact], language: str = "en"
) -> Grounding:
    """Check every number, date and proper noun of the message, and every hook's citation.

    A claim is supported when the lead's facts, lead fields, the campaign's value proposition
    or the sender profile contain it; a hook is supported when the facts it cites do. When
    research found nothing about the lead, saying what only research could tell is unsupported.
    language: the message's, so a German noun is not read as a name.
    """
    text = f"{variant.subject or ''}\n{variant.body}"
    evidence = Evidence.for_message(lead, campaign, facts)
    claims = unsupported_claims(text, evidence, language)
    unsupported = [f"{c.kind} {c.text!r}" for c in claims]
    by_id = {fact.id: fact for fact in facts}
    for hook in variant.hooks:
        unsupported += hook_problems(hook, lead, by_id, language)
    if found_nothing(facts):
        unsupported += [f"says {said!r}" for said in research_claims(text, evidence)]
    return Grounding(claims=len(extract_claims(text, language)), unsupported=unsupported)


def must_not_claim_hits(variant: Variant, phrases: list[str]) -> list[str]:
    """The forbidden phrases (case-insensitive) that appear in the message."""
    text = f"{variant.subject or ''}\n{variant.body}".lower()
    return [phrase for phrase in phrases if phrase.lower() in text]


def must_use_covered(variant: Variant, fact_ids: list[str]) -> bool:
    """Whether a hook of the message cites at least one of the facts a good message uses."""
    if not fact_ids:
        return True
    cited = {fid for hook in variant.hooks for fid in hook.fact_ids}
    return bool(cited & set(fact_ids))


Better = Literal["higher", "lower", "none"]


@dataclass(frozen=True)
class MetricSpec:
    """How a metric is compared with the baseline."""

    name: str
    better: Better
    tolerance: float | None
    """Non-inferiority margin on the mean paired difference; None: reported, not gated."""
    summary: str


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("passed", "higher", 0.0, "share of leads passing every expectation"),
    MetricSpec("decision_match", "higher", 0.0, "decision equals the expected one"),
    MetricSpec("grounded_claim_rate", "higher", 0.0, "supported share of specific claims"),
    MetricSpec("unsupported_claims", "lower", 0.0, "claims and hooks no fact supports"),
    MetricSpec("must_not_claim_hits", "lower", 0.0, "forbidden phrases used"),
    MetricSpec("must_use_covered", "higher", 0.0, "a must-use fact backs a hook"),
    MetricSpec("within_channel_limit", "higher", 0.0, "fits the channel"),
    MetricSpec("placeholder_leaks", "lower", 0.0, "unfilled placeholders"),
    MetricSpec("cta_present", "higher", 0.0, "asks a clear question"),
    MetricSpec("spam_hits", "lower", 0.5, "spam-lexicon phrases"),
    MetricSpec("link_count", "lower", 0.5, "links in the message"),
    MetricSpec("body_words", "none", None, "words in the body"),
    MetricSpec("subject_chars", "none", None, "subject characters"),
    MetricSpec("subject_words", "none", None, "subject words"),
    MetricSpec("reading_grade", "lower", 1.0, "Flesch–Kincaid grade"),
    MetricSpec("reading_ease", "higher", 5.0, "Flesch reading ease"),
    MetricSpec("longest_sentence", "lower", 5.0, "words in the longest sentence"),
    MetricSpec("question_count", "none", None, "question marks"),
    MetricSpec("you_i_ratio", "higher", 0.5, "you-words per I/we-word"),
    MetricSpec("judge_score", "higher", 0.1, "model judge's rubric grade, 0–1 (model runs)"),
)
SPECS = {spec.name: spec for spec in METRICS}


def message_metrics(
    variant: Variant,
    *,
    lead: Lead,
    campaign: Campaign,
    facts: list[Fact],
    settings: CriticSettings,
    must_use: list[str],
    must_not_claim: list[str],
    max_chars: int | None,
    language: str | None = None,
) -> tuple[dict[str, float], list[str]]:
    """Return every message metric of one draft, and the problems found (readable).

    language: the one the draft is written in, for readability (None: message_language())."""
    text = f"{variant.subject or ''}\n{variant.body}"
    language = language or message_language(variant, lead, campaign)
    ground = grounding(variant, lead, campaign, facts, language)
    forbidden = must_not_claim_hits(variant, must_not_claim)
    fits = within_channel_limit(variant, campaign.channel, campaign, settings)
    if max_chars is not None and len(variant.body) > max_chars:
        fits = False
    simple: dict[str, Callable[[], float]] = {
        "body_words": lambda: body_words(variant.body),
        "subject_chars": lambda: subject_chars(variant.subject),
        "subject_words": lambda: subject_words(variant.subject),
        "reading_grade": lambda: reading_grade(variant.body, language),
        "reading_ease": lambda: reading_ease(variant.body, language),
        "longest_sentence": lambda: longest_sentence(variant.body),
        "question_count": lambda: question_count(variant.body),
        "you_i_ratio": lambda: you_i_ratio(variant.body),
        "link_count": lambda: link_count(text),
        "spam_hits": lambda: spam_hits(text),
        "placeholder_leaks": lambda: placeholder_leaks(text),
    }
    values = {name: float(compute()) for name, compute in simple.items()}
    values.update(
        grounded_claim_rate=ground.grounded_claim_rate,
        unsupported_claims=float(len(ground.unsupported)),
        must_not_claim_hits=float(len(forbidden)),
        must_use_covered=float(must_use_covered(variant, must_use)),
        within_channel_limit=float(fits),
        cta_present=float(cta_present(variant.body, language)),
    )
    problems = [f"unsupported: {u}" for u in ground.unsupported]
    problems += [f"forbidden claim: {phrase!r}" for phrase in forbidden]
    if not fits:
        problems.append(f"over the channel limit ({len(variant.body)} characters)")
    if values["placeholder_leaks"]:
        problems.append("placeholder left in the text")
    if not values["must_use_covered"]:
        problems.append(f"uses none of the must-use facts {', '.join(must_use)}")
    if not values["cta_present"]:
        problems.append("no call to action")
    return values, problems
