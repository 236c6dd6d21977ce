"""How a draft sounds: spam phrases and shouting (spam_phrases), and a register that clashes
with its tone label (tone), in the message's language.

Neither reads what the message must say as written: compliance lines ("Reply STOP to opt
out.", "ARRÊT"), the lead's and the sender's names ("Winner Logistics", "LOL Labs") and, for
the tone, titles quoted from a fact ("Perhaps we were wrong about microservices").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graphs.critic.message_text import mask_titles, read_compliance
from graphs.critic.pattern_prefix import starts_with
from graphs.critic.register_lexicon import phrase_pattern, phrases
from graphs.drafts import CheckResult, Tone, Variant
from graphs.lead import Campaign, Lead

_SHOUT = re.compile(r"(?=[A-Z])\b[A-Z]{5,}\b")  # (the lookahead skips other characters at once)


def _names(lead: Lead | None, campaign: Campaign | None) -> list[str]:
    names = [lead.name, lead.company] if lead is not None else []
    if campaign is not None:
        names += [campaign.sender.name, campaign.sender.company]
    return sorted({n for n in names if n and n.strip()}, key=len, reverse=True)


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I)


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


@lru_cache(maxsize=256)
def _blank_names(text: str, names: tuple[str, ...]) -> str:
    """Text with the names blanked (cached: the tone and spam checks read the same draft)."""
    for name in names:
        text = _name_pattern(name).sub(_spaces, text)
    return text


def _readable(variant: Variant, lead: Lead | None, campaign: Campaign | None) -> tuple[str, str]:
    """Return (subject, body) with compliance lines and names blanked."""
    names = tuple(_names(lead, campaign))
    body = _blank_names(read_compliance(variant.body, campaign)[0], names)
    return _blank_names(variant.subject or "", names), body


def _marker(phrase: str) -> str:
    return rf"(?<![\w']){re.escape(phrase)}(?![\w'])"


@lru_cache(maxsize=64)
def _marker_patterns(
    markers: tuple[str, ...],
) -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """One pattern matching any of the markers, and each marker's own pattern."""
    alternatives = "|".join(map(re.escape, markers))
    any_marker = rf"{starts_with(markers)}(?<![\w'])(?:{alternatives})(?![\w'])"
    return re.compile(any_marker, re.I), tuple((p, re.compile(_marker(p), re.I)) for p in markers)


def _flat(text: str) -> str:
    """Text as markers are looked for in: straight apostrophes, single spaces."""
    return " ".join(text.replace("’", "'").split())


def _markers(text: str, markers: tuple[str, ...]) -> list[str]:
    return _markers_in(_flat(text), markers)


def _markers_in(flat: str, markers: tuple[str, ...]) -> list[str]:
    """The markers a flat text (_flat) holds."""
    any_marker, each = _marker_patterns(markers)
    # One search over all the markers first: most drafts hold none, and then none is looked
    # for one by one (that took a tenth of the critic's time).
    if any_marker.search(flat) is None:
        return []
    return [phrase for phrase, pattern in each if pattern.search(flat)]


# Which register each tone must avoid, how many markers it takes, and what to do instead.
_TONE_CLASHES: dict[Tone, tuple[tuple[str, str, int, str], ...]] = {
    Tone.PROFESSIONAL: (("slang", "slang", 1, "Write as a peer in plain, complete sentences."),),
    Tone.FRIENDLY: (
        ("formal, bureaucratic", "formal", 2, "Write warmly and plainly, as to a peer."),
        ("slang", "slang", 3, "Warm is fine; text-speak is not."),
    ),
    Tone.DIRECT: (
        ("hedging", "hedge", 2, "Say it once, plainly; no apologies or maybes."),
        ("formal, bureaucratic", "formal", 2, "Be brief and plain."),
        ("slang", "slang", 1, "Be brief, not casual."),
    ),
}


def check_tone(
    variant: Variant,
    lead: Lead | None = None,
    campaign: Campaign | None = None,
    language: str = "en",
) -> CheckResult:
    """Fail a draft whose register clashes with its tone label.

    A "friendly" draft that reads like a legal notice ("please be advised", "kindly"), a
    "professional" one in text-speak ("ngl", "lol"), or a "direct" one that hedges
    ("perhaps", "sorry to bother") is the wrong variant for an A/B test of tones. Markers are
    looked for in the message's language and English.
    """
    subject, body = _readable(variant, lead, campaign)
    flat = _flat(mask_titles(f"{subject}\n{body}"))
    for register, kind, needed, fix in _TONE_CLASHES[variant.tone]:
        found = _markers_in(flat, phrases(kind, language))
        if len(found) >= needed:
            return CheckResult(
                name="tone", passed=False, score=0.3,
                detail=f"labelled {variant.tone} but reads {register} ({', '.join(found[:4])})",
                fix=fix,
            )  # fmt: skip
    return CheckResult(name="tone", passed=True, score=1.0, detail=f"reads {variant.tone}")


@lru_cache(maxsize=256)
def _shouted(sources: str) -> frozenset[str]:
    """The words the facts and the campaign write in capitals (cached: a lead's three drafts
    and its rewrites read the same sources)."""
    return frozenset(_SHOUT.findall(sources))


def check_spam(
    variant: Variant,
    lead: Lead | None = None,
    campaign: Campaign | None = None,
    language: str = "en",
    sources: Iterable[str] = (),
) -> CheckResult:
    """Penalize spam-filter phrases, clichés, shouting and exclamation runs.

    A word in capitals is shouting unless the facts or the campaign write it so (sources):
    "HIPAA" and "NASDAQ" are names, "AMAZING" is not.
    """
    subject, body = _readable(variant, lead, campaign)
    text = f"{subject}\n{body}".replace("’", "'").lower()
    spam = list(dict.fromkeys(phrase_pattern("spam", language).findall(text)))
    cliches = list(dict.fromkeys(phrase_pattern("cliche", language).findall(text)))
    shouting = _SHOUT.findall(f"{subject} {body}")
    if shouting:  # most drafts shout nothing: then the sources need not be read
        written = _shouted(" ".join(sources))
        shouting = [w for w in shouting if w not in written]
    exclaims = body.count("!")
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
