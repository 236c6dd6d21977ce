"""Each check looks at one quality of a draft and says what to fix."""

from __future__ import annotations

import re

from graphs.analysis import Hook
from graphs.context import CriticSettings
from graphs.critic.grounding import (
    Evidence,
    hook_problems,
    research_claims,
    unsupported_claims,
)
from graphs.critic.lexicon import (
    CLICHES,
    CTA_PATTERNS,
    FORMAL_MARKERS,
    HEDGE_MARKERS,
    PLACEHOLDER_PATTERNS,
    SLANG_MARKERS,
    SPAM_PHRASES,
    STATEMENT_CTA_PATTERNS,
)
from graphs.drafts import CheckResult, Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from tools.delivery.sms import segment_count as sms_segments
from tools.facts import Fact

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
SENTENCE_PATTERN = re.compile(r"[^.!?\n]+[.!?]?")
GREETING = re.compile(
    r"^\s*(?i:hi|hello|hey|dear)\s+(?:(?i:mr|ms|mrs|mx|dr|prof)\.?\s+)?([^\W\d_][\w'-]*)"
)


def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Match any of the phrases as whole words (longest first, so overlaps report fully)."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, ordered))})(?![\w-])")


SPAM_PATTERN = _any_phrase(SPAM_PHRASES)
_CLICHE = _any_phrase(CLICHES)
URL_PATTERN = re.compile(r"\b(?:https?://|www\.)[^\s<>\")\]]+", re.IGNORECASE)
_EMAIL_ADDRESS = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_STOPWORDS = frozenset(
    """the a an and or of to in on at for with your you our we is are was were it its this that
    from by as be about into after before their they them his her""".split()
)


def word_count(text: str) -> int:
    """Count words the way a reader would."""
    return len(_WORD.findall(text))


def check_length(variant: Variant, channel: Channel, settings: CriticSettings) -> CheckResult:
    """Keep an email body within the word range; short channels are checked by characters."""
    words = word_count(variant.body)
    if channel is Channel.EMAIL:
        low, high = settings.email_min_words, settings.email_max_words
    elif channel is Channel.LINKEDIN:
        low, high = 15, 150
    else:
        low, high = 8, 40
    if low <= words <= high:
        return CheckResult(name="length", passed=True, score=1.0, detail=f"{words} words")
    off = (low - words) / low if words < low else (words - high) / high
    direction = "short" if words < low else "long"
    return CheckResult(
        name="length",
        passed=False,
        score=max(0.0, 1.0 - off),
        detail=f"{words} words; too {direction} (target {low}-{high})",
        fix=f"Rewrite to between {low} and {high} words.",
    )


def check_channel_limit(
    variant: Variant,
    channel: Channel,
    campaign: Campaign,
    settings: CriticSettings,
    sms_suffix: str = "",
) -> CheckResult:
    """Enforce the hard limits of the channel: SMS segments (with what the sender appends),
    LinkedIn characters."""
    if channel is Channel.SMS:
        text = f"{variant.body.rstrip()}\n{sms_suffix}" if sms_suffix else variant.body
        segments, encoding = sms_segments(text)
        ok = segments <= settings.sms_max_segments
        detail = f"{len(text)} characters, {encoding}, {segments} segment(s)"
        if sms_suffix:
            detail += f" with the line {sms_suffix!r} the first text of a thread ends with"
        fix = (
            "Shorten to one SMS segment (160 GSM-7 characters, 70 if any emoji or special letter)."
        )
    elif channel is Channel.LINKEDIN:
        limit = (
            settings.linkedin_note_max_chars
            if campaign.linkedin_format == "connection_note"
            else settings.linkedin_message_max_chars
        )
        ok = len(variant.body) <= limit
        detail = f"{len(variant.body)} of {limit} characters"
        fix = f"Cut the message to at most {limit} characters."
    else:
        ok = variant.subject is not None and bool(variant.subject.strip())
        detail = "subject present" if ok else "email has no subject"
        fix = "Add a short, specific subject line."
    return CheckResult(
        name="channel_limit", passed=ok, score=1.0 if ok else 0.0, hard=True, detail=detail,
        fix=None if ok else fix,
    )  # fmt: skip


def check_subject(variant: Variant, settings: CriticSettings) -> CheckResult:
    """Keep subjects short enough for a phone, calm and honest."""
    subject = (variant.subject or "").strip()
    problems: list[str] = []
    if len(subject) > settings.subject_max_chars:
        problems.append(f"{len(subject)} characters (max {settings.subject_max_chars})")
    if "!" in subject:
        problems.append("exclamation mark")
    if subject and subject.upper() == subject and any(c.isalpha() for c in subject):
        problems.append("all capitals")
    if not problems:
        # Mobile shows about 30-40 characters; longer subjects still pass with a lower score.
        score = 1.0 if len(subject) <= 45 else 0.85
        return CheckResult(name="subject", passed=True, score=score, detail=f"{len(subject)} chars")
    return CheckResult(
        name="subject",
        passed=False,
        score=0.3,
        detail="; ".join(problems),
        fix="Write a plain subject under 45 characters, no exclamation marks or capitals.",
    )


def check_call_to_action(variant: Variant) -> CheckResult:
    """Require exactly one clear ask, phrased as a question near the end."""
    sentences = [s.strip() for s in SENTENCE_PATTERN.findall(variant.body) if s.strip()]
    questions = [s for s in sentences if s.endswith("?")]
    asks = [q for q in questions if CTA_PATTERNS.search(q)]
    tail = sentences[-4:]
    if not asks and not any(STATEMENT_CTA_PATTERNS.search(s) for s in tail):
        return CheckResult(
            name="call_to_action",
            passed=False,
            score=0.0,
            detail="no call to action",
            fix="End with one clear question asking for a short call or a reply.",
        )
    if len(questions) > 2:
        return CheckResult(
            name="call_to_action",
            passed=False,
            score=0.5,
            detail=f"{len(questions)} questions; the ask is diluted",
            fix="Keep a single question: the call to action.",
        )
    return CheckResult(name="call_to_action", passed=True, score=1.0, detail="one clear ask")


def _markers(text: str, phrases: tuple[str, ...]) -> list[str]:
    flat = " ".join(text.replace("’", "'").split())
    return [p for p in phrases if re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", flat, re.I)]


# Which register each tone must avoid, how many markers it takes, and what to do instead.
_TONE_CLASHES: dict[Tone, tuple[tuple[str, tuple[str, ...], int, str], ...]] = {
    Tone.PROFESSIONAL: (
        ("slang", SLANG_MARKERS, 1, "Write as a peer in plain, complete sentences."),
    ),
    Tone.FRIENDLY: (
        ("formal, bureaucratic", FORMAL_MARKERS, 2, "Write warmly and plainly, as to a peer."),
        ("slang", SLANG_MARKERS, 3, "Warm is fine; text-speak is not."),
    ),
    Tone.DIRECT: (
        ("hedging", HEDGE_MARKERS, 2, "Say it once, plainly; no apologies or maybes."),
        ("formal, bureaucratic", FORMAL_MARKERS, 2, "Be brief and plain."),
        ("slang", SLANG_MARKERS, 1, "Be brief, not casual."),
    ),
}


def check_tone(variant: Variant) -> CheckResult:
    """Fail a draft whose register clashes with its tone label.

    A "friendly" draft that reads like a legal notice ("please be advised", "kindly"), a
    "professional" one in text-speak ("ngl", "lol"), or a "direct" one that hedges
    ("perhaps", "sorry to bother") is the wrong variant for an A/B test of tones.
    """
    text = f"{variant.subject or ''}\n{variant.body}"
    for register, phrases, needed, fix in _TONE_CLASHES[variant.tone]:
        found = _markers(text, phrases)
        if len(found) >= needed:
            return CheckResult(
                name="tone", passed=False, score=0.3,
                detail=f"labelled {variant.tone} but reads {register} ({', '.join(found[:4])})",
                fix=fix,
            )  # fmt: skip
    return CheckResult(name="tone", passed=True, score=1.0, detail=f"reads {variant.tone}")


def check_spam(variant: Variant) -> CheckResult:
    """Penalize spam-filter phrases, clichés, shouting and exclamation runs."""
    text = f"{variant.subject or ''}\n{variant.body}".lower()
    spam = list(dict.fromkeys(SPAM_PATTERN.findall(text)))
    cliches = list(dict.fromkeys(_CLICHE.findall(text)))
    shouting = re.findall(r"\b[A-Z]{5,}\b", f"{variant.subject or ''} {variant.body}")
    exclaims = variant.body.count("!")
    penalty = 0.34 * len(spam) + 0.15 * len(cliches) + 0.2 * len(shouting)
    penalty += 0.2 * max(0, exclaims - 1)
    found = spam + cliches + shouting + (["several exclamation marks"] if exclaims > 1 else [])
    passed = not spam and len(cliches) < 2 and not shouting and exclaims <= 1
    return CheckResult(
        name="spam_phrases",
        passed=passed,
        score=max(0.0, 1.0 - penalty),
        detail=", ".join(found) if found else "none",
        fix=None if passed else f"Remove: {', '.join(found)}.",
    )


def _bare_link(text: str) -> str:
    return re.sub(r"\b(?:https?://)?(?:www\.)?", "", text.lower())


def check_links(variant: Variant, campaign: Campaign) -> CheckResult:
    """Fail links and email addresses the campaign does not own (phishing, injected text)."""
    text = f"{variant.subject or ''}\n{variant.body}"
    own = _bare_link(
        " ".join(
            filter(None, [campaign.value_proposition, campaign.sender.signature, campaign.template])
        )
    )
    found = [
        m.group(0).rstrip(".,;:!?")
        for m in (*URL_PATTERN.finditer(text), *_EMAIL_ADDRESS.finditer(text))
    ]
    foreign = [item for item in found if _bare_link(item) not in own]
    if not foreign:
        return CheckResult(name="links", passed=True, score=1.0, hard=True, detail="none foreign")
    return CheckResult(
        name="links",
        passed=False,
        score=0.0,
        hard=True,
        detail=f"links or addresses not from the campaign: {', '.join(foreign)}",
        fix="Remove every link and email address that the campaign did not provide.",
    )


_DIRECTIVE = re.compile(
    r"^(?:please\s+)?(?:do not|don't|never|avoid|always|make sure|be sure|keep|use|mention|"
    r"emphasi[sz]e|highlight|focus on|stress|point out)\b",
    re.IGNORECASE,
)


def guidance_leaks(body: str, custom_context: str | None) -> list[str]:
    """Sentences of the campaign's writer guidance that were pasted into the message.

    Guidance such as "Do not mention pricing" instructs the writer; a message that repeats it
    shows the recipient our instructions. Only directive sentences of four or more words
    count, compared without case or spacing differences.
    """
    if not custom_context:
        return []
    flat = " ".join(body.split()).casefold()
    leaks = []
    for sentence in SENTENCE_PATTERN.findall(custom_context):
        words = sentence.strip().rstrip(".!").split()
        phrase = " ".join(words)
        if len(words) >= 4 and _DIRECTIVE.match(phrase) and phrase.casefold() in flat:
            leaks.append(phrase)
    return leaks


def check_placeholders(variant: Variant, campaign: Campaign | None = None) -> CheckResult:
    """Fail any unfilled template variable or placeholder, or pasted writer guidance."""
    text = f"{variant.subject or ''}\n{variant.body}"
    leaks = [m.group(0) for _, pattern in PLACEHOLDER_PATTERNS for m in pattern.finditer(text)]
    pasted = guidance_leaks(variant.body, campaign.custom_context if campaign else None)
    if pasted:
        return CheckResult(
            name="placeholders", passed=False, score=0.0, hard=True,
            detail=f"writer guidance pasted into the message: {pasted[0]!r}",
            fix="Follow the campaign's guidance; never repeat it to the recipient.",
        )  # fmt: skip
    if not leaks:
        return CheckResult(name="placeholders", passed=True, score=1.0, hard=True, detail="none")
    return CheckResult(
        name="placeholders", passed=False, score=0.0, hard=True,
        detail=f"unfilled: {', '.join(dict.fromkeys(leaks))}",
        fix="Replace every placeholder with real text from the lead, or remove it.",
    )  # fmt: skip


def check_recipient_name(variant: Variant, lead: Lead) -> CheckResult:
    """Fail a greeting that names someone other than the lead."""
    match = GREETING.match(variant.body)
    # "Hi there", "Hello team": a lowercase word after the greeting names nobody.
    if (
        not match
        or not match.group(1)[0].isupper()
        or match.group(1).lower() in lead.name.lower().split()
    ):
        return CheckResult(name="recipient_name", passed=True, score=1.0, hard=True, detail="ok")
    return CheckResult(
        name="recipient_name", passed=False, score=0.0, hard=True,
        detail=f"greets {match.group(1)!r} but the lead is {lead.name}",
        fix=f"Greet {lead.first_name}.",
    )  # fmt: skip


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 3 and w.lower() not in _STOPWORDS}


def hook_is_used(hook: Hook, body: str) -> bool:
    """Return whether the body actually carries the hook's specifics."""
    hook_words = _content_words(hook.text)
    if not hook_words:
        return False
    return len(hook_words & _content_words(body)) / len(hook_words) >= 0.5


def check_personalization(
    variant: Variant,
    channel: Channel,
    facts: dict[str, Fact],
    settings: CriticSettings,
    unpersonalized: bool = False,
) -> CheckResult:
    """Require at least N hooks, each backed by real facts and visible in the body.

    An unpersonalized draft (research found nothing about the lead) has no fact to cite, so no
    hook is asked of it; grounding still fails anything it claims beyond the row and campaign.
    """
    if unpersonalized:
        return CheckResult(
            name="personalization", passed=True, score=1.0,
            detail="not required: unpersonalized, research found nothing about this lead",
        )  # fmt: skip
    needed = settings.min_personalization.get(channel, 1)
    used = [
        h for h in variant.hooks
        if h.fact_ids and all(i in facts for i in h.fact_ids) and hook_is_used(h, variant.body)
    ]  # fmt: skip
    if len(used) >= needed:
        return CheckResult(
            name="personalization",
            passed=True,
            score=1.0,
            detail=f"{len(used)} grounded hook(s) used (need {needed})",
        )
    return CheckResult(
        name="personalization", passed=False, score=len(used) / needed,
        detail=f"{len(used)} grounded hook(s) used, need {needed}",
        fix=f"Use at least {needed} specific details from the facts, citing their ids.",
    )  # fmt: skip


def check_grounding(
    variant: Variant,
    lead: Lead,
    facts: dict[str, Fact],
    evidence: Evidence,
    unpersonalized: bool = False,
) -> CheckResult:
    """Fail any claim or hook that no fact (or lead field, value proposition) supports.

    An unpersonalized draft also fails for saying what only research could tell ("I noticed",
    "your recent post", "hiring"): research found nothing about its lead.
    """
    problems: list[str] = []
    for hook in variant.hooks:
        problems += hook_problems(hook, lead, facts)
    text = f"{variant.subject or ''}\n{variant.body}"
    for claim in unsupported_claims(text, evidence):
        problems.append(f"{claim.kind} {claim.text!r} is not supported by any fact")
    if unpersonalized:
        problems += [
            f"says {said!r}, but research found nothing about this lead"
            for said in research_claims(text, evidence)
        ]
    if not problems:
        return CheckResult(
            name="grounding", passed=True, score=1.0, hard=True, detail="all claims supported"
        )
    return CheckResult(
        name="grounding", passed=False, score=0.0, hard=True, detail="; ".join(problems),
        fix="Remove or correct every detail that is not in the facts: " + "; ".join(problems),
    )  # fmt: skip
