"""The offline writer's French follow-ups: a French lead's sequence on email, SMS and LinkedIn,
in every tone, passes the critic read as French, says "vous" and no English word, asks one
thing (a French question, with its space before "?"), gets shorter at every step, never says a
sentence twice, cites a new fact in its new angle, and reads the same for the same input;
through the pipeline, a lead whose row says French gets the whole thread in French."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from agent.offline.analyst import analyze_offline
from agent.offline.chat_model import OfflineChatModel
from agent.offline.writer import OfflineWriter
from evals.golden_set import load_campaigns
from graphs.context import CriticSettings, Thresholds
from graphs.critic.checks import sms_segments, word_count
from graphs.critic.review import critique
from graphs.critic.thread_checks import Thread, asks_in, unused_hooks
from graphs.drafts import Critique, Tone, Variant
from graphs.lead import Channel, Lead
from graphs.lead_pipeline import build_graph
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel, StepKind
from graphs.state import PipelineInput
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, FollowUpStep, GenerateInput
from tests.agent.offline.thread_messages import sent_message
from tests.conftest import NOW
from tests.factories import context, fact
from tools.delivery.sms import opt_out_line
from tools.facts import Fact, FactKind

TODAY = NOW.date()
BRIGHTPATH = load_campaigns()["brightpath"]
"""The golden CI campaign: its French pitch and ask are under `translations`."""
POST_TITLE = "Comment nous avons divisé par deux la durée de notre CI"
NEWS_TITLE = "Soignelia lève 12 millions d'euros pour accélérer en Europe"
CAMILLE = Lead(
    name="Camille Rousseau",
    company="Soignelia",
    title="Head of Platform",
    email="camille.rousseau@soignelia.example",
    language="fr",
)
FACTS: tuple[Fact, ...] = (
    fact(f"Camille Rousseau wrote “{POST_TITLE}” on 2026-11-10.", kind=FactKind.POST,
         title=POST_TITLE, published=date(2026, 11, 10), url="http://soignelia.example/blog/ci"),
    fact(f"Soignelia published “{NEWS_TITLE}” on 2026-11-04.", title=NEWS_TITLE,
         published=date(2026, 11, 4), url="http://soignelia.example/actualites"),
    fact("Soignelia lists 5 open roles (3 Engineering, 1 Product, 1 Sales).",
         kind=FactKind.HIRING, url="http://soignelia.example/recrutement"),
    fact("Soignelia mentions GitHub Actions, Kubernetes, Go on its website.",
         kind=FactKind.TECHNOLOGY, url="http://soignelia.example/"),
)  # fmt: skip
"""What research found about Camille: more facts than a first touch uses, so a new angle has one."""

FOLLOW_UPS = (StepKind.SOFT_NUDGE, StepKind.NEW_ANGLE, StepKind.DIRECT_CTA, StepKind.BREAKUP)
# Where a sequence on each channel starts and goes on: LinkedIn connects, then messages.
CHANNELS = {
    "email": (StepChannel.EMAIL, StepChannel.EMAIL),
    "sms": (StepChannel.SMS, StepChannel.SMS),
    "linkedin": (StepChannel.LINKEDIN_CONNECT, StepChannel.LINKEDIN_MESSAGE),
}
ENGLISH_WORDS = (
    "Hi ", " the ", "Best regards", "Following up", "Worth a", "Cheers", " your ", " and ",
    "Reply", "Nothing new", " again", " call",
)  # fmt: skip
TUTOIEMENT = re.compile(r"(?<![\w'-])(?:tu|te|toi|ton|ta|tes|t')(?![\w-])", re.IGNORECASE)
VOUS = re.compile(r"\b(?:vous|votre|vos)\b|\b(?!chez\b)\w+ez\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True)
class Step:
    """One message of a thread: what was sent, as drafted, and the critic's verdict on it."""

    message: EarlierMessage
    draft: DraftOut
    verdict: Critique


def write_step(
    lead: Lead,
    facts: tuple[Fact, ...],
    kind: StepKind,
    channel: StepChannel,
    tone: Tone,
    earlier: list[EarlierMessage],
) -> Step:
    """Write one step in French and judge it, as the pipeline's generate and critic nodes do."""
    message_channel = channel.message_channel
    assert message_channel is not None, "a sequence's messages go out on a channel"
    fmt = "connection_note" if channel is StepChannel.LINKEDIN_CONNECT else "message"
    campaign = BRIGHTPATH.model_copy(update={"channel": message_channel, "linkedin_format": fmt})
    french = campaign.in_language("fr")
    briefs = [FactBrief.of(f) for f in facts]
    analysis = analyze_offline(
        AnalyzeInput(today=TODAY, language="fr", lead=lead, campaign=french, facts=briefs)
    )
    turn = SequenceTurn(
        step=len(earlier) + 1, kind=kind, channel=channel, earlier=earlier,
        is_last=kind is StepKind.BREAKUP,
    )  # fmt: skip
    follow_up = kind is not StepKind.FIRST_TOUCH
    payload = GenerateInput(
        today=TODAY, channel=message_channel, language="fr", copy_language="fr", tones=[tone],
        attempt=1, lead=lead, campaign=french.model_copy(update={"translations": {}}),
        analysis=analysis.model_copy(update={"hooks": unused_hooks(analysis.hooks, turn)})
        if follow_up else analysis,
        facts=briefs,
        sequence=FollowUpStep.of(turn, message_channel, list(facts)) if follow_up else None,
    )  # fmt: skip
    (draft,) = OfflineWriter().write(payload).variants
    first_text = message_channel is Channel.SMS and not any(
        m.channel is StepChannel.SMS for m in earlier
    )  # the sender ends a thread's first text with its opt-out line
    verdict = critique(
        Variant(tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks),
        lead=lead, campaign=french, facts=list(facts), settings=CriticSettings(),
        thresholds=Thresholds(), thread=Thread.of(turn, message_channel, analysis),
        sms_suffix=opt_out_line("fr") if first_text else "", language="fr", today=TODAY,
    )  # fmt: skip
    message = sent_message(turn.step, kind, channel, draft)
    return Step(message, draft, verdict)


def write_thread(
    channel: str, tone: Tone, lead: Lead = CAMILLE, facts: tuple[Fact, ...] = FACTS
) -> tuple[Step, ...]:
    """A five-step sequence on one channel, in one tone: the first touch, then each follow-up."""
    opening, following = CHANNELS[channel]
    steps: list[Step] = []
    for kind in (StepKind.FIRST_TOUCH, *FOLLOW_UPS):
        on = opening if not steps else following
        steps.append(write_step(lead, facts, kind, on, tone, [s.message for s in steps]))
    return tuple(steps)


@cache
def thread(channel: str, tone: Tone) -> tuple[Step, ...]:
    return write_thread(channel, tone)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def long_sentences(body: str) -> list[str]:
    """Sentences of six words or more, lower-cased, without punctuation."""
    found = [" ".join(words(s)) for s in _SENTENCE.findall(body)]
    return [s for s in found if len(s.split()) >= 6]


def flat(text: str) -> str:
    return f" {' '.join(words(text))} "


both = pytest.mark.parametrize("tone", list(Tone), ids=lambda t: t.value)
every_channel = pytest.mark.parametrize("channel", list(CHANNELS))


@both
@every_channel
def test_every_french_follow_up_passes_the_critic_read_as_french(channel: str, tone: Tone) -> None:
    for step in thread(channel, tone)[1:]:
        verdict = step.verdict
        assert verdict.passed, (step.message.kind, step.draft.body, verdict.issues)
        passed = {c.name for c in verdict.checks if c.passed}
        thread_checks = {"repeated_hook", "repeated_sentence", "length_growing", "calls_to_action"}
        assert {"call_to_action", "language", *thread_checks} <= passed


@both
@every_channel
def test_each_french_follow_up_asks_one_thing_as_french_asks_it(channel: str, tone: Tone) -> None:
    for step in thread(channel, tone)[1:]:
        body, kind = step.draft.body, step.message.kind
        assert len(asks_in(body, language="fr")) == 1, (kind, body)
        # A question in French: one, with a space before its "?"; the breakup asks for a reply.
        assert body.count("?") == (0 if kind is StepKind.BREAKUP else 1), (kind, body)
        assert not re.search(r"\S\?", body), body


@both
@every_channel
def test_french_follow_ups_say_vous_and_no_english_word(channel: str, tone: Tone) -> None:
    follow_ups = [step.draft.body for step in thread(channel, tone)[1:]]
    for body in follow_ups:
        for english in ENGLISH_WORDS:
            assert english not in f" {body} ", (english, body)
        assert not TUTOIEMENT.search(body), body
    # "vous", "votre", or a "vous" imperative ("Répondez", "N'hésitez"): never "tu".
    assert VOUS.search(" ".join(follow_ups)), follow_ups


@both
@every_channel
def test_a_french_thread_gets_shorter_and_never_says_a_sentence_twice(
    channel: str, tone: Tone
) -> None:
    sent = [step.draft.body for step in thread(channel, tone)]
    lengths = [word_count(body) for body in sent]
    assert lengths == sorted(lengths, reverse=True) and len(set(lengths)) == len(lengths), lengths
    for number, body in enumerate(sent[1:], start=1):
        said_before = [flat(earlier) for earlier in sent[:number]]
        for sentence in long_sentences(body):
            assert not any(f" {sentence} " in text for text in said_before), (sentence, body)


@both
@every_channel
def test_the_new_angle_cites_a_fact_the_thread_had_not_used(channel: str, tone: Tone) -> None:
    steps = thread(channel, tone)
    used = {i for step in steps[:2] for i in step.message.fact_ids}
    angle = steps[2].message
    assert angle.kind is StepKind.NEW_ANGLE
    assert angle.fact_ids and not set(angle.fact_ids) & used, (angle.body, used)
    assert [s.message.fact_ids for s in steps[3:]] == [[], []]
    assert steps[1].message.fact_ids == []


@both
def test_a_french_email_follow_up_answers_the_thread_and_signs_as_the_first_touch(
    tone: Tone,
) -> None:
    first, *follow_ups = thread("email", tone)
    greeting, sign_off = {
        Tone.PROFESSIONAL: (
            "Bonjour Camille,\n\n", "\n\nBien cordialement,\nAlex Rivera\nHead of Partnerships, Brightpath"
        ),
        Tone.FRIENDLY: ("Bonjour Camille,\n\n", "\n\nBelle journée,\nAlex"),
        Tone.DIRECT: ("Camille,\n\n", "\n\nAlex Rivera, Brightpath"),
    }[tone]  # fmt: skip
    for step in follow_ups:
        assert step.draft.subject == f"Re: {first.draft.subject}"
        assert step.draft.body.startswith(greeting), step.draft.body
        assert step.draft.body.endswith(sign_off), step.draft.body


@both
def test_a_french_text_is_one_gsm_segment_and_says_who_writes(tone: Tone) -> None:
    for step in thread("sms", tone)[1:]:
        body = step.draft.body
        assert step.draft.subject is None
        assert sms_segments(body) == (1, "GSM-7"), body
        assert re.match(r"^(?:Bonjour )?Camille, .*Alex", body), body


@both
def test_a_french_linkedin_follow_up_goes_on_after_its_greeting_in_lower_case(tone: Tone) -> None:
    for step in thread("linkedin", tone)[1:]:
        body = step.draft.body
        assert step.draft.subject is None
        greeting = re.match(r"^(?:Bonjour )?Camille, (\w)", body)
        assert greeting is not None and greeting.group(1).islower(), body
        assert body.endswith("? Alex") or body.endswith(". Alex"), body


@both
@every_channel
def test_the_same_french_input_writes_the_same_thread_twice(channel: str, tone: Tone) -> None:
    again = write_thread(channel, tone)
    assert [(s.draft.subject, s.draft.body) for s in again] == [
        (s.draft.subject, s.draft.body) for s in thread(channel, tone)
    ]


@both
def test_a_new_angle_with_no_unused_fact_says_so_and_claims_nothing(tone: Tone) -> None:
    """Research found only the post the first touch cited: the new angle says there is nothing
    new and leans on the campaign's French pitch instead."""
    lead = CAMILLE.model_copy(update={"name": "Julien Marchand", "company": "Ateliers Vauban"})
    post = fact(f"Julien Marchand wrote “{POST_TITLE}” on 2026-11-10.", kind=FactKind.POST,
                title=POST_TITLE, published=date(2026, 11, 10), url="http://vauban.example/blog")  # fmt: skip
    pitch = BRIGHTPATH.in_language("fr").short_pitch
    for channel in CHANNELS:
        steps = write_thread(channel, tone, lead, (post,))
        angle = steps[2]
        assert angle.draft.hooks == [] and angle.message.fact_ids == []
        assert angle.verdict.passed, (channel, angle.draft.body, angle.verdict.issues)
        if channel != "linkedin":  # the LinkedIn note said the short pitch already
            assert pitch and pitch in angle.draft.body, angle.draft.body
        assert re.search(r"(?i)rien de nouveau|pour rappel", angle.draft.body), angle.draft.body
        assert all(step.verdict.passed for step in steps[1:]), [
            (s.draft.body, s.verdict.issues) for s in steps[1:] if not s.verdict.passed
        ]


async def test_a_lead_whose_row_says_french_gets_a_french_email_thread_in_the_pipeline(
    tmp_path: Path,
) -> None:
    sent: list[EarlierMessage] = []
    outputs: list[dict[str, Any]] = []
    for number, kind in enumerate((StepKind.FIRST_TOUCH, *FOLLOW_UPS), start=1):
        turn = SequenceTurn(
            step=number, kind=kind, channel=StepChannel.EMAIL, earlier=list(sent),
            is_last=kind is StepKind.BREAKUP,
        )  # fmt: skip
        inputs = PipelineInput(
            lead=CAMILLE, campaign=BRIGHTPATH, turn=turn, known_facts=list(FACTS)
        )
        ctx = context(OfflineChatModel(), tmp_path, run_id=f"step-{number}")
        out = await build_graph().ainvoke(inputs, context=ctx)
        outputs.append(out)
        chosen = next(v for v in out["variants"] if v.tone == out["decision"].selected_tone)
        sent.append(
            sent_message(number, kind, StepChannel.EMAIL, chosen)
        )  # fmt: skip
    assert [out["language"] for out in outputs] == ["fr"] * 5
    assert all(out["decision"].action == "send" for out in outputs), [
        out["decision"].reason for out in outputs
    ]
    for out in outputs[1:]:
        assert all(c.passed for c in out["critiques"]), [c.issues for c in out["critiques"]]
        for variant in out["variants"]:
            assert variant.subject == f"Re: {sent[0].subject}"
            assert not any(w in f" {variant.body} " for w in ENGLISH_WORDS), variant.body
            assert re.search(r"\S\?", variant.body) is None, variant.body
    lengths = [word_count(m.body) for m in sent]
    assert lengths == sorted(lengths, reverse=True) and len(set(lengths)) == len(lengths)
