"""The offline writer's follow-ups in Spanish: a thread to a Spanish lead, on email, SMS and
LinkedIn and in every tone, that reads as Spanish (usted in the professional tone, tú in the
others), asks one thing per message, gets shorter step by step, never says a sentence twice,
and passes the critic in Spanish.

Each thread is written as the pipeline writes it (generate and critic nodes): the writer sees
the campaign's Spanish copy and the hooks no earlier message used; the critic reads the draft
in Spanish against the thread so far. A thread keeps one tone from its first touch on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

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
from graphs.lead import Campaign, Channel, Lead
from graphs.lead_pipeline import build_graph
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel, StepKind
from graphs.state import PipelineInput
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, FollowUpStep, GenerateInput
from tests.agent.offline.thread_messages import sent_message
from tests.conftest import NOW
from tests.factories import context, fact
from tools.facts import Fact, FactKind

TODAY = NOW.date()
FOLLOW_UPS = (StepKind.SOFT_NUDGE, StepKind.NEW_ANGLE, StepKind.DIRECT_CTA, StepKind.BREAKUP)
CHANNELS = {
    "email": (StepChannel.EMAIL, StepChannel.EMAIL),
    "sms": (StepChannel.SMS, StepChannel.SMS),
    # LinkedIn connects, then messages.
    "linkedin": (StepChannel.LINKEDIN_CONNECT, StepChannel.LINKEDIN_MESSAGE),
}
ENGLISH = re.compile(
    r"\bHi\b|\b[Tt]he\b|Best regards|Following up|Worth a|\bCheers\b|\b[Yy]our\b|\band\b"
)
"""Words of the English follow-ups that must not leak into a Spanish one."""
TU = re.compile(r"\b(?:te|tú|ti|tu|tus|contigo)\b", re.IGNORECASE)
USTED = re.compile(r"\b(?:usted|le|les)\b", re.IGNORECASE)
QUOTED = re.compile(r"«[^»\n]*»|“[^”\n]*”|\"[^\"\n]*\"")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass(frozen=True)
class SpanishLead:
    """A lead written to in Spanish, with what research found about it."""

    lead: Lead
    facts: tuple[Fact, ...]


def lucia() -> SpanishLead:
    """The CTO of a buy-now-pay-later fintech: a post, news, hiring and the stack. Her name has
    an "í", which GSM-7 lacks: every text to her is UCS-2, 70 characters."""
    site = "http://pagaluna.example/"
    post = "Cómo redujimos a la mitad el tiempo de nuestro CI"
    news = "Pagaluna amplía su equipo de ingeniería en Valencia"
    return SpanishLead(
        Lead(
            name="Lucía Ferrer",
            company="Pagaluna",
            title="CTO",
            email="lucia.ferrer@pagaluna.example",
            language="es",
        ),
        (
            fact(
                f"Lucía Ferrer wrote “{post}” on 2026-11-09.",
                kind=FactKind.POST,
                title=post,
                published=date(2026, 11, 9),
                url=f"{site}blog/mitad-tiempo-ci",
            ),
            fact(
                f"Noticias Fintech reported “{news}” on 2026-10-25.",
                title=news,
                published=date(2026, 10, 25),
                url="http://noticiasfintech.example/2026/10/pagaluna-valencia",
            ),
            fact(
                "Pagaluna lists 7 open roles (5 Ingeniería, 2 Riesgos).",
                kind=FactKind.HIRING,
                url=f"{site}empleo",
            ),
            fact(
                "Pagaluna mentions GitHub Actions, Kubernetes, Kotlin on its website.",
                kind=FactKind.TECHNOLOGY,
                url=site,
            ),
        ),
    )


def pablo() -> SpanishLead:
    """A logistics company opening an office: news, hiring and the stack. Nothing in his first
    text needs UCS-2, so it has 160 characters and the texts after it room to get shorter."""
    site = "http://tramonta.example/"
    news = "Tramonta abre una nueva sede en Zaragoza"
    return SpanishLead(
        Lead(
            name="Pablo Serrano",
            company="Tramonta",
            title="CTO",
            email="pablo.serrano@tramonta.example",
            language="es",
        ),
        (
            fact(
                f"Tramonta published “{news}” on 2026-11-03.",
                title=news,
                published=date(2026, 11, 3),
                url=f"{site}prensa/zaragoza",
            ),
            fact(
                "Tramonta lists 9 open roles (6 Ingeniería, 3 Ventas).",
                kind=FactKind.HIRING,
                url=f"{site}empleo",
            ),
            fact(
                "Tramonta mentions GitLab CI, Kubernetes, Go on its website.",
                kind=FactKind.TECHNOLOGY,
                url=site,
            ),
        ),
    )


LEADS = {"lucia": lucia, "pablo": pablo}
SEQUENCES = [
    ("lucia", "email"),
    ("lucia", "linkedin"),
    ("pablo", "email"),
    ("pablo", "sms"),
    ("pablo", "linkedin"),
]
"""The full sequences: a text to Lucía has 70 characters, too few for a new angle after a first
text of ten words (see test_a_text_to_lucia_fits_one_70_character_segment)."""


@cache
def brightpath() -> Campaign:
    """The Brightpath campaign, with its Spanish pitch, short pitch and ask."""
    return load_campaigns()["brightpath"]


def message_channel(channel: StepChannel) -> Channel:
    """The channel a step's message is written for (every step here is a message)."""
    written_on = channel.message_channel
    assert written_on is not None, channel
    return written_on


@dataclass(frozen=True)
class Step:
    """One message of a thread: what the writer wrote and what the critic made of it."""

    draft: DraftOut
    verdict: Critique
    sent: EarlierMessage


def payload_for(
    who: SpanishLead,
    channel: StepChannel,
    kind: StepKind,
    tones: list[Tone],
    earlier: list[EarlierMessage],
) -> tuple[GenerateInput, SequenceTurn]:
    """The writer's input for the next step of a thread, as the generate node builds it."""
    fmt = "connection_note" if channel is StepChannel.LINKEDIN_CONNECT else "message"
    written_on = message_channel(channel)
    campaign = brightpath().model_copy(update={"channel": written_on, "linkedin_format": fmt})
    # The writer sees only the Spanish copy it writes with.
    spanish = campaign.in_language("es").model_copy(update={"translations": {}})
    briefs = [FactBrief.of(f) for f in who.facts]
    analysis = analyze_offline(
        AnalyzeInput(today=TODAY, lead=who.lead, campaign=spanish, facts=briefs)
    )
    turn = SequenceTurn(
        step=len(earlier) + 1,
        kind=kind,
        channel=channel,
        earlier=earlier,
        is_last=kind is StepKind.BREAKUP,
    )
    follow_up = kind is not StepKind.FIRST_TOUCH
    payload = GenerateInput(
        today=TODAY,
        channel=written_on,
        language="es",
        tones=tones,
        attempt=1,
        lead=who.lead,
        campaign=spanish,
        analysis=analysis.model_copy(update={"hooks": unused_hooks(analysis.hooks, turn)})
        if follow_up
        else analysis,
        facts=briefs,
        sequence=FollowUpStep.of(turn, written_on, list(who.facts)) if follow_up else None,
    )
    return payload, turn


def write_step(
    who: SpanishLead,
    channel: StepChannel,
    kind: StepKind,
    tone: Tone,
    earlier: list[EarlierMessage],
) -> Step:
    """Write the next step in one tone and judge it in Spanish against the thread so far."""
    payload, turn = payload_for(who, channel, kind, [tone], earlier)
    (draft,) = OfflineWriter().write(payload).variants
    written_on = message_channel(channel)
    campaign = brightpath().model_copy(update={"channel": written_on})
    verdict = critique(
        Variant(tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks),
        lead=who.lead, campaign=campaign.in_language("es"), facts=list(who.facts),
        settings=CriticSettings(), thresholds=Thresholds(),
        thread=Thread.of(turn, written_on, payload.analysis),
        language="es", today=TODAY,
    )  # fmt: skip
    sent = sent_message(turn.step, kind, channel, draft)
    return Step(draft, verdict, sent)


@cache
def thread(name: str, channel: str, tone: Tone) -> tuple[Step, ...]:
    """A lead's five-step sequence on a channel, in one tone: the first touch, then steps 2-5."""
    who = LEADS[name]()
    opening, following = CHANNELS[channel]
    steps = [write_step(who, opening, StepKind.FIRST_TOUCH, tone, [])]
    for kind in FOLLOW_UPS:
        steps.append(write_step(who, following, kind, tone, [s.sent for s in steps]))
    return tuple(steps)


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def flat(text: str) -> str:
    return f" {' '.join(words(text))} "


def long_sentences(body: str) -> list[str]:
    """Sentences of six words or more, lower-cased, without punctuation."""
    return [" ".join(w) for s in _SENTENCE.findall(body) if len(w := words(s)) >= 6]


def own_words(body: str) -> str:
    """The body without the campaign's own Spanish copy (its pitch says "tu CI" in any tone)
    and without quoted titles."""
    copy = brightpath().in_language("es")
    for sentence in _SENTENCE.findall(f"{copy.short_pitch} {copy.value_proposition}"):
        body = body.replace(sentence.strip(), " ")
    return QUOTED.sub(" ", body)


sequences = pytest.mark.parametrize(("name", "channel"), SEQUENCES)
tones = pytest.mark.parametrize("tone", list(Tone), ids=lambda t: t.value)


@tones
@sequences
def test_every_spanish_follow_up_passes_the_critic_in_spanish(
    name: str, channel: str, tone: Tone
) -> None:
    for step in thread(name, channel, tone)[1:]:
        verdict = step.verdict
        assert verdict.passed, (step.sent.kind, step.draft.body, verdict.issues)
        judged = {c.name for c in verdict.checks if c.passed}
        assert {"repeated_sentence", "length_growing", "calls_to_action", "language"} <= judged


@tones
@sequences
def test_every_follow_up_asks_one_thing_in_spanish(name: str, channel: str, tone: Tone) -> None:
    for step in thread(name, channel, tone)[1:]:
        body = step.draft.body
        assert len(asks_in(body, language="es")) == 1, body
        assert body.count("?") <= 1 and body.count("¿") == body.count("?"), body
        assert not ENGLISH.search(QUOTED.sub(" ", body)), body


@tones
@sequences
def test_each_step_is_shorter_and_says_nothing_said_before(
    name: str, channel: str, tone: Tone
) -> None:
    steps = thread(name, channel, tone)
    lengths = [word_count(s.draft.body) for s in steps]
    assert lengths == sorted(lengths, reverse=True) and len(set(lengths)) == len(lengths), lengths
    first = steps[0].draft
    for number, step in enumerate(steps[1:], start=2):
        body = step.draft.body
        said = [flat(s.draft.body) for s in steps[: number - 1]]
        for sentence in long_sentences(body):
            assert not any(f" {sentence} " in text for text in said), (number, sentence)
        if channel == "email":
            assert step.draft.subject == f"Re: {first.subject}"
        else:
            assert step.draft.subject is None
        if channel == "sms":
            assert sms_segments(body)[0] == 1, body
        if channel == "linkedin":
            assert body.endswith(" Alex"), body


@tones
@sequences
def test_the_new_angle_brings_a_fact_the_thread_has_not_used(
    name: str, channel: str, tone: Tone
) -> None:
    first, nudge, angle, ask, breakup = (s.sent for s in thread(name, channel, tone))
    assert angle.fact_ids and not set(angle.fact_ids) & set(first.fact_ids), angle
    # The other follow-ups claim nothing new.
    assert nudge.fact_ids == ask.fact_ids == breakup.fact_ids == []


@tones
@sequences
def test_the_register_follows_the_campaigns_copy(name: str, channel: str, tone: Tone) -> None:
    """Brightpath's Spanish copy says tú ("¿Te encaja…?", "tu CI"), so every tone, the
    professional one too, says tú all through the thread: never usted in one message and tú
    in the ask (agent/offline/phrasebooks/es_register.py)."""
    said = [own_words(s.draft.body) for s in thread(name, channel, tone)[1:]]
    for body in said:
        assert not USTED.search(body), (tone, body)
    assert any(TU.search(body) for body in said), (tone, said)


@pytest.mark.parametrize("kind", [k for k in FOLLOW_UPS if k is not StepKind.NEW_ANGLE])
@tones
def test_a_text_to_lucia_fits_one_70_character_segment(tone: Tone, kind: StepKind) -> None:
    """ "Lucía" is spelled right, so every text to her is UCS-2: one segment is 70 characters.

    A new angle cannot follow her first text: that text has ten to twelve words, and the
    fact's few words ("la noticia de Pagaluna del 25 oct") with a greeting and an ask take
    more than it, and more than 70 characters.
    """
    who = lucia()
    first = write_step(who, StepChannel.SMS, StepKind.FIRST_TOUCH, tone, [])
    step = write_step(who, StepChannel.SMS, kind, tone, [first.sent])
    body = step.draft.body
    assert step.verdict.passed, (body, step.verdict.issues)
    assert sms_segments(body) == (1, "UCS-2") and len(body) <= 70, body
    assert "Lucía" in body and not ENGLISH.search(body), body
    assert word_count(body) < word_count(first.draft.body)


def test_a_new_angle_with_no_fact_left_says_so_in_spanish() -> None:
    """Research found only the post the first touch cited: the new angle says it has nothing
    new and leans on a sentence of the Spanish pitch the thread has not said."""
    full = lucia()
    who = SpanishLead(full.lead, full.facts[:1])
    for tone in Tone:
        first = write_step(who, StepChannel.EMAIL, StepKind.FIRST_TOUCH, tone, [])
        assert first.sent.fact_ids == [who.facts[0].id]
        angle = write_step(who, StepChannel.EMAIL, StepKind.NEW_ANGLE, tone, [first.sent])
        body = angle.draft.body
        assert angle.verdict.passed, (body, angle.verdict.issues)
        assert angle.draft.hooks == []
        assert re.search(r"\bNo (?:tengo|hay) (?:nada nuevo|novedades)\b", body), body
        short_pitch = brightpath().in_language("es").short_pitch
        assert short_pitch and short_pitch in body, body
        assert "«" not in body, "no title is quoted: nothing new is claimed"


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("kind", FOLLOW_UPS, ids=str)
def test_the_same_input_writes_the_same_text_twice(channel: str, kind: StepKind) -> None:
    who = pablo() if channel == "sms" else lucia()
    opening, following = CHANNELS[channel]
    first = write_step(who, opening, StepKind.FIRST_TOUCH, Tone.PROFESSIONAL, [])
    payload, _ = payload_for(who, following, kind, list(Tone), [first.sent])
    once = OfflineWriter().write(payload).variants
    again = OfflineWriter().write(payload.model_copy(deep=True)).variants
    assert [(d.tone, d.subject, d.body) for d in once] == [
        (d.tone, d.subject, d.body) for d in again
    ]
    assert len({d.body for d in once}) == len(Tone), "each tone reads differently"


async def test_the_pipeline_writes_a_spanish_lead_a_spanish_follow_up(tmp_path: Path) -> None:
    """Through the graph, as the scheduler runs a sequence: the lead's language is Spanish, so
    the soft nudge after the first email is written and judged in Spanish, and sent."""
    who = lucia()
    campaign = brightpath().model_copy(update={"channel": Channel.EMAIL})
    sent: list[EarlierMessage] = []
    outputs = []
    for number, kind in enumerate((StepKind.FIRST_TOUCH, StepKind.SOFT_NUDGE), start=1):
        turn = SequenceTurn(step=number, kind=kind, channel=StepChannel.EMAIL, earlier=sent)
        ctx = context(OfflineChatModel(), tmp_path, run_id=f"step-{number}")
        inputs: PipelineInput = {
            "lead": who.lead,
            "campaign": campaign,
            "turn": turn,
            "known_facts": list(who.facts),
        }
        out = await build_graph().ainvoke(inputs, context=ctx)
        chosen = next(v for v in out["variants"] if v.tone == out["decision"].selected_tone)
        sent = [
            *sent,
            sent_message(number, kind, StepChannel.EMAIL, chosen),
        ]
        outputs.append(out)
    follow_up = outputs[-1]
    assert follow_up["language"] == "es"
    assert follow_up["decision"].action == "send", follow_up["decision"].reason
    assert all(c.passed for c in follow_up["critiques"]), [c.issues for c in follow_up["critiques"]]
    for variant in follow_up["variants"]:
        assert variant.body.startswith(("Hola, Lucía:", "¡Hola, Lucía!", "Lucía:")), variant.body
        assert not ENGLISH.search(QUOTED.sub(" ", variant.body)), variant.body
        assert variant.subject == f"Re: {sent[0].subject}"
    assert word_count(sent[1].body) < word_count(sent[0].body)
