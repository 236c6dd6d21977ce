"""The call-to-action check: one clear ask, in the form the channel, tone and language use.

Compliance lines are no ask ("Reply STOP to opt out." names "reply" but asks for nothing), and
a quoted title's question ("your post “Is CI too slow?”") is someone else's: both are read
out before the asks are counted.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphs.critic.channel_lexicon import AskPatterns, ask_patterns
from graphs.critic.message_text import (
    Sentence,
    mask_titles,
    read_compliance,
    sentences,
    strip_greeting,
)
from graphs.drafts import CheckResult, Tone, Variant
from graphs.lead import Campaign, Channel

STATEMENT_WINDOW = 4
"""An ask made as a statement counts among the last sentences only ("Happy to show you…")."""
MAX_QUESTIONS = 2
"""More questions than this dilute the ask."""
_CONNECTIVE = re.compile(r"^\W*(?:so|and|but|also|then|y|et|und|also|alors|entonces)\W+", re.I)


_WORD = re.compile(r"[^\W_]+")


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _asks_by_form(question: str, patterns: AskPatterns) -> bool:
    """Whether a question asks for something: by its form, or by naming what it asks for
    without opening like a rhetorical question."""
    if patterns.question.search(question):
        return True
    opening = _CONNECTIVE.sub("", strip_greeting(question))
    return bool(patterns.topic.search(question)) and not patterns.rhetorical.match(opening)


def _campaign_asks(campaign: Campaign | None) -> list[str]:
    """The campaign's own calls to action (in its language and the message's): saying one
    is asking, whatever its words."""
    if campaign is None:
        return []
    own = [campaign.call_to_action]
    own += [copy.call_to_action for copy in campaign.translations.values() if copy.call_to_action]
    return list(_plain_asks(tuple(own)))


@lru_cache(maxsize=256)
def _plain_asks(own: tuple[str, ...]) -> tuple[str, ...]:
    """The campaign's calls to action as _plain reads them (cached: every draft of a campaign
    asks)."""
    return tuple(plain for plain in map(_plain, own) if len(plain.split()) >= 2)


def read_asks(
    body: str,
    *,
    language: str = "en",
    channel: Channel | None = None,
    tone: Tone | None = None,
    campaign: Campaign | None = None,
) -> tuple[list[str], list[str]]:
    """Return (the asks, every question) of a body, compliance lines and quoted titles aside."""
    blanked, _ = read_compliance(body, campaign)
    parts = [s for s in sentences(blanked, mask_titles(blanked)) if s.masked.strip(" .")]
    patterns = ask_patterns(language, channel, tone)
    own = _campaign_asks(campaign)
    asks: list[str] = []
    for index, sentence in enumerate(parts):
        said = _plain(sentence.masked)
        if any(o in said for o in own):
            asks.append(_text(body, sentence))
        elif sentence.mark == "?":
            if _asks_by_form(sentence.masked, patterns):
                asks.append(_text(body, sentence))
        elif index >= len(parts) - STATEMENT_WINDOW and patterns.statement.search(sentence.masked):
            asks.append(_text(body, sentence))
    return asks, [_text(body, s) for s in parts if s.mark == "?"]


def _text(body: str, sentence: Sentence) -> str:
    return body[sentence.start : sentence.end]


def check_call_to_action(
    variant: Variant,
    channel: Channel | None = None,
    campaign: Campaign | None = None,
    language: str = "en",
) -> CheckResult:
    """Require a clear ask normal for the channel and tone, and no more than two questions.

    channel None: an ask normal on any channel counts. The campaign's own call to action
    counts wherever it stands; its compliance lines never do.
    """
    asks, questions = read_asks(
        variant.body, language=language, channel=channel, tone=variant.tone, campaign=campaign
    )
    if not asks:
        return CheckResult(
            name="call_to_action", passed=False, score=0.0,
            detail="no call to action" + (
                f" (the question {questions[0]!r} asks for nothing)" if questions else ""
            ),
            fix="End with one clear question asking for a short call or a reply.",
        )  # fmt: skip
    if len(questions) > MAX_QUESTIONS:
        return CheckResult(
            name="call_to_action",
            passed=False,
            score=0.5,
            detail=f"{len(questions)} questions; the ask is diluted",
            fix="Keep a single question: the call to action.",
        )
    return CheckResult(
        name="call_to_action", passed=True, score=1.0, detail=f"one clear ask: {asks[-1]!r}"
    )
