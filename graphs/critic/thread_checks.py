"""What a follow-up must do on top of a first touch: say something new, in fewer words, with
one ask.

A follow-up is judged against the thread before it (SequenceTurn.earlier): it may not build a
hook on a fact an earlier message used, may not copy an earlier sentence of six or more words,
must be shorter than the previous message on its channel, and carries one call to action. A
new angle must cite a fact no earlier message used, when the analysis has one left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from graphs.analysis import Analysis, Hook
from graphs.context import CriticSettings
from graphs.critic.channel_lexicon import ask_patterns
from graphs.critic.checks import SENTENCE_PATTERN, hook_is_used, word_count
from graphs.critic.compliance import blank_compliance
from graphs.drafts import CheckResult, Variant
from graphs.lead import Campaign, Channel
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepKind
from tools.facts import Fact

MIN_SENTENCE_WORDS = 6
"""A sentence this long said again is a copy; shorter ones ("Worth a quick call?") recur."""
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_GREETING_WORD = r"(?:hi|hello|hey|dear)"
_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")


def words_of(text: str) -> list[str]:
    """Return text's words, lower-cased, without punctuation or quotes."""
    return [w.replace("’", "'") for w in _TOKEN.findall(text.casefold())]


def _flat(text: str) -> str:
    return f" {' '.join(words_of(text))} "


def _without_greeting(sentence: str, first_name: str) -> str:
    """Drop an opening "Hi Maya," or "Maya —": a greeting is not a sentence of the message."""
    word = r"[^\W\d_][\w'-]*"
    name = re.escape(first_name) if first_name else None
    # "Hi Maya," / "Hello there!" / "Maya —": a bare name counts only when it is the lead's.
    pattern = rf"^\s*(?:{_GREETING_WORD}\s+{word}" + (f"|{name}" if name else "") + ")"
    pattern += r"\s*[,!:—–-]+\s*"
    return re.sub(pattern, "", sentence, count=1, flags=re.IGNORECASE)


def message_sentences(body: str, first_name: str = "", signature: str = "") -> list[str]:
    """Return the sentences of a body that count as said: six words or more, greeting removed,
    sign-off and the sender's signature left out."""
    sign = _flat(signature)
    kept = []
    for raw in SENTENCE_PATTERN.findall(body):
        sentence = _without_greeting(raw.strip(), first_name).strip()
        flat = _flat(sentence)
        if len(flat.split()) < MIN_SENTENCE_WORDS or flat in sign:
            continue
        kept.append(sentence)
    return kept


def sender_text(campaign: Campaign) -> str:
    """Return everything a signature may say: the sender's name, title, company, address."""
    sender = campaign.sender
    parts = [sender.name, sender.title, sender.company, sender.signature, sender.postal_address]
    return "\n".join(p for p in parts if p)


def repeated_sentences(
    body: str, earlier: Iterable[EarlierMessage], first_name: str = "", signature: str = ""
) -> list[tuple[str, int]]:
    """Return each sentence of body an earlier message already said, with that message's step.

    Sentences are compared without case, punctuation or spacing differences.
    """
    said = [(m.step, _flat(m.body)) for m in earlier]
    found = []
    for sentence in message_sentences(body, first_name, signature):
        flat = _flat(sentence)
        step = next((step for step, text in said if flat in text), None)
        if step is not None:
            found.append((sentence, step))
    return found


def asks_in(body: str, campaign: Campaign | None = None, language: str = "en") -> list[str]:
    """Return the calls to action of a body: its questions, and asks made as statements.

    A quoted title ("your post “Is CI too slow?”") is what someone else asked, not an ask; a
    compliance line ("Reply STOP to opt out.") asks for nothing.
    """
    unquoted = _QUOTED.sub("“…”", blank_compliance(body, campaign))
    sentences = [s.strip() for s in SENTENCE_PATTERN.findall(unquoted) if s.strip()]
    statement = ask_patterns(language).statement
    return [s for s in sentences if s.endswith("?") or statement.search(s)]


def unused_hooks(hooks: Iterable[Hook], turn: SequenceTurn) -> list[Hook]:
    """Return the hooks that cite no fact an earlier message built a hook on."""
    used = turn.used_fact_ids
    said = {_flat(text) for message in turn.earlier for text in message.hooks}
    return [h for h in hooks if not used & set(h.fact_ids) and _flat(h.text) not in said]


def previous_on(turn: SequenceTurn, channel: Channel) -> EarlierMessage | None:
    """Return the latest earlier message on the same channel (LinkedIn notes and messages are
    one channel): a follow-up must be shorter than it."""
    same = [m for m in turn.earlier if m.channel.message_channel is channel]
    return max(same, key=lambda m: m.step) if same else None


def follow_up_settings(settings: CriticSettings) -> CriticSettings:
    """Return the settings with a follow-up's email word range in place of a first touch's."""
    return replace(
        settings,
        email_min_words=settings.follow_up_email_min_words,
        email_max_words=settings.follow_up_email_max_words,
    )


@dataclass(frozen=True)
class Thread:
    """What a follow-up is judged against: the thread so far and the hooks still unused."""

    turn: SequenceTurn
    channel: Channel
    fresh_hooks: tuple[Hook, ...] = ()
    """Hooks of the analysis citing facts no earlier message used (a new angle needs one)."""

    @classmethod
    def of(
        cls, turn: SequenceTurn | None, channel: Channel, analysis: Analysis | None
    ) -> Thread | None:
        """Return the thread a draft follows, or None when no earlier message exists."""
        if turn is None or not turn.earlier:
            return None
        hooks = unused_hooks(analysis.hooks, turn) if analysis is not None else []
        return cls(turn=turn, channel=channel, fresh_hooks=tuple(hooks))

    @property
    def is_follow_up(self) -> bool:
        """Whether the draft is a follow-up step (not a first touch) of the sequence."""
        return self.turn.kind is not StepKind.FIRST_TOUCH

    @property
    def previous(self) -> EarlierMessage | None:
        """Return the message a follow-up must be shorter than."""
        return previous_on(self.turn, self.channel)


def check_repeated_hook(variant: Variant, thread: Thread, facts: dict[str, Fact]) -> CheckResult:
    """Fail a hook an earlier message used (by its facts or its words), or one restated in the
    body; fail a new angle that cites no unused fact while one is left."""
    problems: list[str] = []
    earlier = thread.turn.earlier
    for hook in variant.hooks:
        step = next(
            (
                m.step
                for m in earlier
                if set(hook.fact_ids) & set(m.fact_ids)
                or any(_flat(hook.text) == _flat(text) for text in m.hooks)
            ),
            None,
        )
        if step is not None:
            problems.append(f"repeats the hook '{hook.text}' from step {step}")
    # A hook restated in the body without being listed: its quoted title is said again.
    body = _flat(variant.body)
    for message in earlier:
        for text in message.hooks:
            titles = [t for t in _QUOTED.findall(text) if len(words_of(t)) >= 3]
            problem = f"repeats the hook '{text}' from step {message.step}"
            if any(_flat(t) in body for t in titles) and problem not in problems:
                problems.append(problem)
    if thread.turn.kind is StepKind.NEW_ANGLE and thread.fresh_hooks:
        used = thread.turn.used_fact_ids
        new = [
            h for h in variant.hooks
            if h.fact_ids and all(i in facts and i not in used for i in h.fact_ids)
            and hook_is_used(h, variant.body)
        ]  # fmt: skip
        if not new:
            problems.append(
                "cites no fact the earlier messages left unused; a new angle needs one, such "
                f"as the hook '{thread.fresh_hooks[0].text}'"
            )
    if not problems:
        return CheckResult(
            name="repeated_hook", passed=True, score=1.0, detail="no earlier hook repeated"
        )
    return CheckResult(
        name="repeated_hook", passed=False, score=0.0, detail="; ".join(problems),
        fix="Build the message on a fact no earlier message used, or on none: "
        + "; ".join(problems),
    )  # fmt: skip


def check_repeated_sentence(
    variant: Variant, thread: Thread, first_name: str, campaign: Campaign
) -> CheckResult:
    """Fail a sentence of six or more words an earlier message of the thread already said."""
    found = repeated_sentences(variant.body, thread.turn.earlier, first_name, sender_text(campaign))
    if not found:
        return CheckResult(
            name="repeated_sentence", passed=True, score=1.0, detail="no earlier sentence repeated"
        )
    problems = [f'repeats "{sentence}" from step {step}' for sentence, step in found]
    return CheckResult(
        name="repeated_sentence", passed=False, score=max(0.0, 1.0 - 0.5 * len(found)),
        detail="; ".join(problems),
        fix="Say it in new words or leave it out; the reader has seen it: " + "; ".join(problems),
    )  # fmt: skip


def check_length_growing(variant: Variant, thread: Thread) -> CheckResult:
    """Fail a follow-up that is not shorter than the previous message on its channel."""
    previous = thread.previous
    words = word_count(variant.body)
    if previous is None:
        return CheckResult(
            name="length_growing", passed=True, score=1.0,
            detail=f"{words} words; no earlier message on this channel",
        )  # fmt: skip
    before = word_count(previous.body)
    if words < before:
        return CheckResult(
            name="length_growing", passed=True, score=1.0,
            detail=f"{words} words, shorter than step {previous.step} ({before} words)",
        )  # fmt: skip
    return CheckResult(
        name="length_growing", passed=False, score=max(0.0, 1.0 - (words - before + 1) / before),
        detail=f"{words} words, not shorter than step {previous.step} ({before} words)",
        fix=f"Cut it to fewer than {before} words: a follow-up is shorter than the message "
        "before it.",
    )  # fmt: skip


def check_calls_to_action(
    variant: Variant, campaign: Campaign | None = None, language: str = "en"
) -> CheckResult:
    """Fail a follow-up with more than one call to action (questions and asked statements)."""
    asks = asks_in(variant.body, campaign, language)
    if len(asks) <= 1:
        return CheckResult(
            name="calls_to_action", passed=True, score=1.0, detail=f"{len(asks)} call to action"
        )
    quoted = ", ".join(f'"{a}"' for a in asks)
    return CheckResult(
        name="calls_to_action", passed=False, score=0.5,
        detail=f"{len(asks)} calls to action ({quoted}); a follow-up carries one",
        fix="Keep a single ask: one question, or one request to reply.",
    )  # fmt: skip


def check_follow_up_personalization(
    variant: Variant, thread: Thread, facts: dict[str, Fact]
) -> CheckResult:
    """A follow-up needs no minimum of hooks (a soft nudge cites nothing new); say what it cites.

    A new angle's need for an unused fact is the repeated_hook check's; grounding still fails
    any hook or claim no fact supports.
    """
    used = [
        h for h in variant.hooks
        if h.fact_ids and all(i in facts for i in h.fact_ids) and hook_is_used(h, variant.body)
    ]  # fmt: skip
    return CheckResult(
        name="personalization", passed=True, score=1.0,
        detail=f"{len(used)} grounded hook(s); a {thread.turn.kind} follow-up needs no minimum",
    )  # fmt: skip


def thread_checks(
    variant: Variant,
    thread: Thread,
    facts: dict[str, Fact],
    first_name: str,
    campaign: Campaign,
    language: str = "en",
) -> list[CheckResult]:
    """Run the checks a draft following earlier messages must pass."""
    return [
        check_repeated_hook(variant, thread, facts),
        check_repeated_sentence(variant, thread, first_name, campaign),
        check_length_growing(variant, thread),
        check_calls_to_action(variant, campaign, language),
    ]
