"""The offline writer's follow-ups in German: a German lead's whole sequence (soft nudge, new
angle, direct ask, breakup) on email, SMS and LinkedIn, in every tone, reads as German (Sie,
no English frame words), passes the critic in German, asks one thing, gets shorter step by
step, never says an earlier sentence again, and reads the same when written twice."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import pytest

from agent.offline.analyst import analyze_offline
from agent.offline.writer import OfflineWriter
from evals.golden_set import campaign_for, load_golden
from graphs.analysis import Analysis
from graphs.context import CriticSettings, Thresholds
from graphs.critic.checks import sms_segments, word_count
from graphs.critic.review import critique
from graphs.critic.thread_checks import Thread, asks_in, unused_hooks
from graphs.drafts import Critique, Tone, Variant
from graphs.lead import Campaign, Lead
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel, StepKind
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, FollowUpStep, GenerateInput
from tests.agent.offline.thread_messages import sent_message
from tools.delivery.sms import opt_out_line
from tools.facts import Fact

TODAY = date(2026, 11, 20)
FOLLOW_UPS = (StepKind.SOFT_NUDGE, StepKind.NEW_ANGLE, StepKind.DIRECT_CTA, StepKind.BREAKUP)
# Where a sequence on each channel starts and goes on: LinkedIn connects, then messages.
CHANNELS = {
    "email": (StepChannel.EMAIL, StepChannel.EMAIL),
    "sms": (StepChannel.SMS, StepChannel.SMS),
    "linkedin": (StepChannel.LINKEDIN_CONNECT, StepChannel.LINKEDIN_MESSAGE),
}
ENGLISH = ("Hi ", " the ", "Best regards", "Following up", "Worth a", "Cheers", " call?")
"""What the English follow-ups say that must not leak into a German one."""
INFORMAL = re.compile(r"\b(?:du|dich|dir|dein\w*|hast|kannst|willst)\b", re.IGNORECASE)
"""Du-forms: a German lead is addressed with Sie in every tone."""
CAPITAL_AFTER_COMMA = re.compile(
    r"(?:Hallo|Guten Tag) Lukas,\s+(?:Ich|Mir|Nur|Noch|Kurz|Wie|Als|Auch|Es|Das|Zu|Diesmal)\b"
)
"""After "Hallo Lukas," German goes on in lower case ("ich wollte …"), nouns and Sie aside."""
QUOTED = re.compile(r"„[^“\n]*“|\"[^\"\n]*\"")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass(frozen=True)
class Step:
    """One message of a thread as written, and the critic's verdict on it."""

    kind: StepKind
    channel: StepChannel
    draft: DraftOut
    verdict: Critique
    sent: EarlierMessage


@cache
def lukas() -> tuple[Lead, tuple[Fact, ...], Campaign]:
    """The golden German lead (Lukas Brenner, Kranwerk Logistik), what research found about
    him, and the Brightpath campaign with its German pitch, short pitch and ask."""
    leads, campaigns = load_golden()
    golden = next(g for g in leads if g.id == "g13-non-english-german-email")
    return golden.lead, tuple(golden.facts), campaign_for(golden, campaigns).in_language("de")


def payload_for(
    tone: Tone, kind: StepKind, channel: StepChannel, earlier: tuple[EarlierMessage, ...]
) -> tuple[GenerateInput, SequenceTurn, Analysis]:
    """The writer's input for one step in German, as the pipeline builds it."""
    lead, facts, german = lukas()
    fmt = "connection_note" if channel is StepChannel.LINKEDIN_CONNECT else "message"
    campaign = german.model_copy(
        update={"channel": channel.message_channel, "linkedin_format": fmt, "translations": {}}
    )
    turn = SequenceTurn(
        step=len(earlier) + 1,
        kind=kind,
        channel=channel,
        earlier=list(earlier),
        is_last=kind is StepKind.BREAKUP,
    )
    briefs = [FactBrief.of(f) for f in facts]
    analysis = analyze_offline(
        AnalyzeInput(today=TODAY, language="de", lead=lead, campaign=campaign, facts=briefs)
    )
    follow_up = kind is not StepKind.FIRST_TOUCH
    payload = GenerateInput(
        today=TODAY,
        channel=campaign.channel,
        language="de",
        tones=[tone],
        attempt=1,
        lead=lead,
        campaign=campaign,
        analysis=(
            analysis.model_copy(update={"hooks": unused_hooks(analysis.hooks, turn)})
            if follow_up
            else analysis
        ),
        facts=briefs,
        sequence=FollowUpStep.of(turn, campaign.channel, list(facts)) if follow_up else None,
    )
    return payload, turn, analysis


def write_step(
    tone: Tone, kind: StepKind, channel: StepChannel, earlier: tuple[EarlierMessage, ...]
) -> Step:
    """Write one step in German and have the critic read it in German against the thread."""
    lead, facts, german = lukas()
    payload, turn, analysis = payload_for(tone, kind, channel, earlier)
    (draft,) = OfflineWriter().write(payload).variants
    variant = Variant(tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks)
    first_text = channel is StepChannel.SMS and not earlier
    verdict = critique(
        variant,
        lead=lead,
        campaign=german.model_copy(update={"channel": payload.channel}),
        facts=list(facts),
        settings=CriticSettings(),
        thresholds=Thresholds(),
        thread=Thread.of(turn, payload.channel, analysis),
        sms_suffix=opt_out_line("de") if first_text else "",
        language="de",
        today=TODAY,
    )
    sent = sent_message(turn.step, kind, channel, draft)
    return Step(kind, channel, draft, verdict, sent)


@cache
def thread(tone: Tone, channel: str) -> tuple[Step, ...]:
    """Lukas's five-step sequence in one tone on one channel: a first touch, then the four
    follow-ups, each written against the messages before it."""
    opening, following = CHANNELS[channel]
    steps = [write_step(tone, StepKind.FIRST_TOUCH, opening, ())]
    for kind in FOLLOW_UPS:
        steps.append(write_step(tone, kind, following, tuple(s.sent for s in steps)))
    return tuple(steps)


def said(body: str) -> str:
    """The body without its quoted titles (a title is in the language its page is in)."""
    return QUOTED.sub(" ", body)


def long_sentences(body: str) -> list[str]:
    """Sentences of six words or more, lower-cased, without punctuation."""
    found = []
    for sentence in _SENTENCE.findall(body):
        words = re.findall(r"[^\W_]+", sentence.casefold())
        if len(words) >= 6:
            found.append(" ".join(words))
    return found


def flat(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", text.casefold())) + " "


TONES = pytest.mark.parametrize("tone", list(Tone), ids=lambda t: t.value)
ON_EACH_CHANNEL = pytest.mark.parametrize("channel", list(CHANNELS))


@ON_EACH_CHANNEL
@TONES
def test_every_german_follow_up_passes_the_critic_in_german(tone: Tone, channel: str) -> None:
    for step in thread(tone, channel)[1:]:
        assert step.verdict.passed, (step.kind, step.draft.body, step.verdict.issues)
        passed = {c.name for c in step.verdict.checks if c.passed}
        assert {"repeated_sentence", "length_growing", "calls_to_action"} <= passed


@ON_EACH_CHANNEL
@TONES
def test_a_german_follow_up_reads_as_german_with_sie(tone: Tone, channel: str) -> None:
    for step in thread(tone, channel)[1:]:
        body = said(step.draft.body)
        assert not [w for w in ENGLISH if w in body], (step.kind, step.draft.body)
        assert not INFORMAL.search(body), (step.kind, step.draft.body)
        assert not CAPITAL_AFTER_COMMA.search(body), (step.kind, step.draft.body)
        if channel == "email":
            greeting = "Guten Tag Lukas," if tone is Tone.PROFESSIONAL else "Hallo Lukas,"
            assert body.startswith(f"{greeting}\n\n"), step.draft.body
            sign_off = {
                Tone.PROFESSIONAL: "Beste Grüße\nAlex Rivera\nHead of Partnerships, Brightpath",
                Tone.FRIENDLY: "Viele Grüße\nAlex",
                Tone.DIRECT: "Alex Rivera, Brightpath",
            }[tone]
            assert body.endswith(f"\n\n{sign_off}"), step.draft.body
        elif channel == "linkedin":
            assert body.startswith("Hallo Lukas, ") and body.endswith(" Alex"), body
        else:
            assert body.startswith(("Hallo Lukas, ", "Lukas, ")), body


@ON_EACH_CHANNEL
@TONES
def test_each_german_follow_up_asks_one_thing(tone: Tone, channel: str) -> None:
    for step in thread(tone, channel)[1:]:
        body = step.draft.body
        assert len(asks_in(body, language="de")) == 1, (step.kind, body)
        assert body.count("?") <= 1, (step.kind, body)


@ON_EACH_CHANNEL
@TONES
def test_a_german_thread_gets_shorter_and_never_repeats_itself(tone: Tone, channel: str) -> None:
    steps = thread(tone, channel)
    lengths = [word_count(s.draft.body) for s in steps]
    assert all(a > b for a, b in itertools.pairwise(lengths)), lengths
    for number, step in enumerate(steps[1:], start=1):
        before = [flat(s.draft.body) for s in steps[:number]]
        for sentence in long_sentences(step.draft.body):
            assert not any(f" {sentence} " in text for text in before), (step.kind, sentence)


@ON_EACH_CHANNEL
@TONES
def test_the_new_angle_cites_a_fact_the_first_touch_left_unused(tone: Tone, channel: str) -> None:
    first, _, angle, *_ = thread(tone, channel)
    assert angle.sent.fact_ids, angle.draft.body
    assert not set(angle.sent.fact_ids) & set(first.sent.fact_ids), angle.draft.body
    others = [s for s in thread(tone, channel)[1:] if s.kind is not StepKind.NEW_ANGLE]
    assert all(s.sent.fact_ids == [] for s in others), [s.draft.body for s in others]


@pytest.mark.parametrize("channel", ["email", "linkedin"])
@TONES
def test_a_new_angle_with_no_unused_fact_says_so_and_claims_nothing(
    tone: Tone, channel: str
) -> None:
    """Every fact was cited before: the new angle says there is nothing new, in German, and
    leans on a sentence of the German pitch instead."""
    _, facts, german = lukas()
    first = thread(tone, channel)[0].sent
    cited_all = first.model_copy(update={"fact_ids": [f.id for f in facts]})
    angle = write_step(tone, StepKind.NEW_ANGLE, CHANNELS[channel][1], (cited_all,))
    body = angle.draft.body
    assert angle.verdict.passed, (body, angle.verdict.issues)
    assert angle.draft.hooks == [] and "nichts Neues" in body, body
    pitch = [german.short_pitch or "", *re.split(r"(?<=\.) ", german.value_proposition)]
    assert any(sentence and sentence in body for sentence in pitch), body
    for claim in ("Series-A", "offene Stellen", "Warum unsere Pipeline", "GitLab"):
        assert claim not in body, body
    assert not [w for w in ENGLISH if w in body] and not INFORMAL.search(body), body


@TONES
def test_an_email_follow_up_answers_the_thread(tone: Tone) -> None:
    first, *follow_ups = thread(tone, "email")
    assert first.draft.subject
    assert {s.draft.subject for s in follow_ups} == {f"Re: {first.draft.subject}"}
    for channel in ("sms", "linkedin"):
        assert {s.draft.subject for s in thread(tone, channel)[1:]} == {None}


@TONES
def test_a_german_text_stays_one_segment_and_a_message_fits_linkedin(tone: Tone) -> None:
    for step in thread(tone, "sms")[1:]:
        assert sms_segments(step.draft.body)[0] == 1, step.draft.body
    for step in thread(tone, "linkedin")[1:]:
        assert len(step.draft.body) <= 300, step.draft.body


@pytest.mark.parametrize("kind", FOLLOW_UPS, ids=lambda k: k.value)
@ON_EACH_CHANNEL
def test_the_same_follow_up_reads_the_same_twice(channel: str, kind: StepKind) -> None:
    steps = thread(Tone.PROFESSIONAL, channel)
    index = FOLLOW_UPS.index(kind) + 1
    earlier = tuple(s.sent for s in steps[:index])
    for tone in Tone:
        payload, _, _ = payload_for(tone, kind, steps[index].channel, earlier)
        first = OfflineWriter().write(payload).variants
        again = OfflineWriter().write(payload.model_copy(deep=True)).variants
        assert [(d.subject, d.body) for d in first] == [(d.subject, d.body) for d in again]
