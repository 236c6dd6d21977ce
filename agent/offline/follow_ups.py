"""The offline writer's follow-ups: every step kind of a sequence, on email, SMS and LinkedIn, in
three tones, without a model.

Each step kind has a template (prompts/offline_writer/v2/follow_up_<kind>.j2) that lists, slot
by slot, the sentences it may say, best first; follow_up_frame.j2 puts the chosen ones
together. The writer takes the fullest combination that repeats no sentence of the thread, is
shorter than the previous message on the channel, fits the channel and carries one ask. A new
angle is built, like a first touch's hook, with phrases_for from a fact no earlier message used;
without one it says so and leans on a sentence of the pitch the thread has not said.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from agent.offline.adjustments import Adjustments, tone_adjustments
from agent.offline.bridges import topic_for
from agent.offline.drafting import fits, lead_key, tidy, with_stand_ins
from agent.offline.hooks import SENTENCE_BREAK, HookPhrases, lower_opening, phrases_for
from agent.offline.phrasebooks import phrasebook
from agent.offline.subjects import subject_line
from graphs.analysis import Hook
from graphs.context import CriticSettings
from graphs.critic.checks import check_call_to_action, hook_is_used, word_count
from graphs.critic.thread_checks import asks_in, repeated_sentences, sender_text, words_of
from graphs.drafts import Tone, Variant
from graphs.lead import Channel
from graphs.sequence_turn import StepChannel, StepKind
from graphs.task_inputs import DraftOut, FollowUpStep, GeneratedDrafts, GenerateInput

_SLOT = re.compile(r"^\[(\w+)([?+])?\]$")
_LIMITS = CriticSettings()
MIN_WORDS = {
    Channel.EMAIL: _LIMITS.follow_up_email_min_words,
    Channel.LINKEDIN: 15,
    Channel.SMS: 8,
}
"""The fewest words a follow-up may have, as the critic counts them."""
MAX_WORDS = {
    Channel.EMAIL: _LIMITS.follow_up_email_max_words,
    Channel.LINKEDIN: 150,
    Channel.SMS: 40,
}
SHORT_PITCH_WORDS = 16
"""A pitch sentence longer than this does not go into a text or a LinkedIn follow-up."""


@dataclass(frozen=True)
class Slot:
    """One place in a follow-up and the sentences that may fill it, best first."""

    name: str
    options: tuple[str, ...]
    mark: str = ""
    """"?": may be left out; "+": filler, left out unless a draft is too short without it."""


def parse_slots(text: str) -> list[Slot]:
    """Read a rendered follow-up template: "[name]", "[name?]" or "[name+]" lines, each followed
    by its options, one a line. A slot with no option (none for this tone or channel) is left out.
    """
    found: list[tuple[str, list[str], str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        match = _SLOT.match(line)
        if match:
            found.append((match.group(1), [], match.group(2) or ""))
        elif line and found:
            found[-1][1].append(line)
    return [Slot(name, tuple(dict.fromkeys(opts)), mark) for name, opts, mark in found if opts]


def _combinations(slots: list[Slot]) -> list[dict[str, str | None]]:
    """Every way to fill the slots, best first: each step away from a slot's first choice (a
    later option, leaving an optional slot out, putting filler in) costs one; on a tie, earlier
    slots keep their first choice longest (the hook of a new angle before its pitch)."""
    choices: list[list[tuple[int, str | None]]] = []
    for slot in slots:
        options: list[tuple[int, str | None]] = list(enumerate(slot.options))
        if slot.mark == "?":
            options.append((1, None))
        elif slot.mark == "+":
            options = [(0, None)] + [(i + 1, option) for i, option in options]
        choices.append(options)
    ranked = sorted(itertools.product(*choices), key=lambda combo: sum(i for i, _ in combo))
    return [
        {slot.name: option for slot, (_, option) in zip(slots, combo, strict=True)}
        for combo in ranked
    ]


@dataclass(frozen=True)
class _Candidate:
    body: str
    words: int
    repeats: int
    fits: bool
    asks: int

    def acceptable(self, floor: int, limit: int) -> bool:
        return not self.repeats and self.fits and self.asks == 1 and floor <= self.words <= limit


def thread_subject(step: FollowUpStep) -> str | None:
    """Return "Re: <the first email's subject>", or None when no email went out before."""
    subject = next(
        (m.subject for m in step.earlier if m.channel is StepChannel.EMAIL and m.subject), None
    )
    if subject is None:
        return None
    return subject if subject.casefold().startswith("re:") else f"Re: {subject}"


class FollowUpWriter:
    """Write a sequence's follow-up for every requested tone."""

    def __init__(self, environment: Callable[[str], jinja2.Environment]) -> None:
        """environment: the templates for a message language (its own, else English)."""
        self._environment = environment

    def write(self, payload: GenerateInput) -> GeneratedDrafts:
        """Write a draft for every requested tone of the follow-up in payload.sequence."""
        assert payload.sequence is not None, "a follow-up needs its sequence step"
        drafts = []
        for tone in payload.tones:
            adjust = tone_adjustments(payload.feedback, tone, payload.reviewer_instruction)
            draft = self._draft(payload, payload.sequence, tone, adjust)
            drafts.append(with_stand_ins(draft, payload))
        return GeneratedDrafts(variants=drafts)

    def _new_hook(
        self, payload: GenerateInput, step: FollowUpStep, adjust: Adjustments
    ) -> HookPhrases | None:
        """Return the best hook citing a fact no earlier message used (None if none is left)."""
        used = {fact_id for m in step.earlier for fact_id in m.fact_ids}
        facts = {fact.id: fact for fact in payload.facts}
        phrases = []
        for hook in payload.analysis.hooks:
            if used & set(hook.fact_ids) or hook.text in adjust.avoid or not hook.fact_ids:
                continue
            fact = facts.get(hook.fact_ids[0])
            names = (payload.lead.name,)
            book = phrasebook(payload.language)
            built = (
                phrases_for(fact, payload.lead.company, payload.today, names, book)
                if fact
                else None
            )
            if built is not None and built.short not in adjust.avoid:
                phrases.append(built)
        if adjust.rotate and len(phrases) > 1:
            phrases = phrases[1:] + phrases[:1]
        return phrases[0] if phrases else None

    def _pitches(self, payload: GenerateInput, step: FollowUpStep) -> list[str]:
        """Return the campaign's pitch sentences no earlier message said, the short pitch
        first (a text or a LinkedIn message takes only short ones)."""
        campaign = payload.campaign
        sentences = [campaign.short_pitch, *SENTENCE_BREAK.split(campaign.value_proposition)]
        short = payload.channel is not Channel.EMAIL
        return [
            sentence
            for sentence in dict.fromkeys(s.strip() for s in sentences if s and s.strip())
            if not (short and len(sentence.split()) > SHORT_PITCH_WORDS)
            and not repeated_sentences(sentence, step.earlier, payload.lead.first_name)
        ]

    def _draft(
        self, payload: GenerateInput, step: FollowUpStep, tone: Tone, adjust: Adjustments
    ) -> DraftOut:
        campaign, lead, channel = payload.campaign, payload.lead, payload.channel
        sender = campaign.sender
        hook = self._new_hook(payload, step, adjust) if step.kind is StepKind.NEW_ANGLE else None
        values: dict[str, object] = {
            "tone": tone.value,
            "channel": channel.value,
            "first_name": lead.first_name,
            "company": lead.company,
            "sender_name": sender.name,
            "sender_first": sender.name.split()[0],
            "sender_title": sender.title,
            "sender_company": sender.company,
            "hook": hook,
            "pitches": self._pitches(payload, step) if step.kind is StepKind.NEW_ANGLE else [],
        }
        env = self._environment(payload.language)
        slots = parse_slots(env.get_template(f"follow_up_{step.kind}.j2").render(**values))
        body = self._choose(payload, step, slots, values, adjust)
        # Record what the message says: the few words of a text, or the whole hook.
        hooks: list[Hook] = []
        if hook is not None and hook.short in body:
            hooks = [Hook(text=hook.short, fact_ids=hook.hook.fact_ids)]
        elif hook is not None and hook_is_used(hook.hook, body):
            hooks = [hook.hook]
        subject = None
        if channel is Channel.EMAIL:
            subject = thread_subject(step) or self._subject(payload, tone, hook)
        return DraftOut(tone=tone, subject=subject, body=body, hooks=hooks)

    def _subject(self, payload: GenerateInput, tone: Tone, hook: HookPhrases | None) -> str:
        """A subject for a thread with no email before: from the new angle's hook, if any."""
        facts = {fact.id: fact for fact in payload.facts}
        cited = hook.hook.fact_ids if hook is not None else []
        fact = facts.get(cited[0]) if cited else None
        topic = topic_for(payload.campaign, payload.facts, cited)
        book = phrasebook(payload.language)
        return subject_line(hook, fact, payload.lead.company, topic, tone, lead_key(payload), book)

    def _choose(
        self,
        payload: GenerateInput,
        step: FollowUpStep,
        slots: list[Slot],
        values: dict[str, object],
        adjust: Adjustments,
    ) -> str:
        """Render the best-ranked combination that passes (a soft nudge: the longest; the
        shortest when asked to be compact); failing that, the least bad one."""
        channel, lead = payload.channel, payload.lead
        limits = [step.max_words, adjust.max_words, MAX_WORDS[channel]]
        limit = min(x for x in limits if x is not None)
        floor = MIN_WORDS[channel]
        avoid = [" ".join(words_of(s)) for s in adjust.avoid_sentences]
        signature = sender_text(payload.campaign)
        frame = self._environment(payload.language).get_template("follow_up_frame.j2")
        names = (lead.company, lead.name, payload.campaign.sender.company)
        candidates: list[_Candidate] = []
        # A soft nudge says the least of any step: its longest good draft leaves the steps
        # after it, which must be shorter still, room for a new fact or a concrete ask.
        roomy = step.kind is StepKind.SOFT_NUDGE and not step.is_last
        for combo in _combinations(slots):
            lines = [text for name, text in combo.items() if name not in ("hello", "ask") and text]
            if channel is Channel.LINKEDIN:
                # "Hi Maya, following up …": the first sentence continues the greeting.
                lines = [
                    lower_opening(line, names) if i == 0 else line for i, line in enumerate(lines)
                ]
            body = tidy(
                frame.render(
                    **values,
                    hello=combo.get("hello") or "",
                    lines=lines,
                    ask=combo.get("ask") or "",
                )
            )
            flat = " ".join(words_of(body))
            repeats = len(repeated_sentences(body, step.earlier, lead.first_name, signature))
            repeats += sum(1 for s in avoid if s and s in flat)
            fit = fits(channel, payload.campaign.linkedin_format, body, payload.sms_suffix)
            # One ask, and one the critic reads as an ask ("Worth a call?").
            language = payload.language
            asks = len(asks_in(body, language=language))
            draft = Variant(tone=Tone.DIRECT, body=body)
            if not check_call_to_action(draft, language=language).passed:
                asks = 0
            candidate = _Candidate(body, word_count(body), repeats, fit, asks)
            if candidate.acceptable(floor, limit) and not (adjust.compact or roomy):
                return body
            candidates.append(candidate)
        good = [c for c in candidates if c.acceptable(floor, limit)]
        if good and roomy and not adjust.compact:
            return max(good, key=lambda c: c.words).body
        if good:
            return min(good, key=lambda c: c.words).body
        return min(
            candidates,
            key=lambda c: (
                c.repeats,
                not c.fits,
                c.asks != 1,
                max(floor - c.words, c.words - limit, 0),
            ),
        ).body
