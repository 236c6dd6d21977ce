"""The offline writer's follow-ups: a thread that gets shorter, says something new each time,
asks one thing, and passes the critic on every channel; over HTTP, the follow-up prompts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from agent.offline.chat_model import OfflineChatModel
from agent.offline.writer import OfflineWriter
from agent.runs.pipeline_factory import open_pipeline
from graphs.analysis import Analysis, Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic.review import critique
from graphs.critic.thread_checks import Thread
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from graphs.lead_pipeline import build_graph
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel, StepKind
from graphs.task_inputs import FactBrief, Feedback, FollowUpStep, GenerateInput
from tests.agent.test_openai_provider import answer_like_a_model, settings_for
from tests.conftest import NOW
from tests.factories import FUNDING, MAYA_FIRST_TOUCH, POST, context
from tests.fakes.openai_stub import OpenAIStub, Respond
from tools.facts import Fact
from tools.page_fetch import FetchLimits, PageFetcher
from tools.research_tools import build_research_tools

FOLLOW_UPS = (StepKind.SOFT_NUDGE, StepKind.NEW_ANGLE, StepKind.DIRECT_CTA, StepKind.BREAKUP)
# Where a sequence on each channel starts and goes on: LinkedIn connects, then messages.
CHANNELS = {
    "email": (StepChannel.EMAIL, StepChannel.EMAIL),
    "sms": (StepChannel.SMS, StepChannel.SMS),
    "linkedin": (StepChannel.LINKEDIN_CONNECT, StepChannel.LINKEDIN_MESSAGE),
}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


class Sequence:
    """Write one lead's sequence step by step offline, as the scheduler would call the graph."""

    def __init__(
        self, lead: Lead, campaign: Campaign, resolve: dict[str, str], tmp_path: Path
    ) -> None:
        self.lead, self.campaign, self.resolve, self.tmp_path = lead, campaign, resolve, tmp_path
        self.sent: list[EarlierMessage] = []
        self.outputs: list[dict[str, Any]] = []
        self.known: list[Fact] | None = None

    async def step(self, kind: StepKind, channel: StepChannel, is_last: bool = False) -> Any:
        number = len(self.sent) + 1
        fmt = "connection_note" if channel is StepChannel.LINKEDIN_CONNECT else "message"
        campaign = self.campaign.model_copy(
            update={"channel": channel.message_channel, "linkedin_format": fmt}
        )
        turn = SequenceTurn(
            step=number, kind=kind, channel=channel, earlier=self.sent, is_last=is_last
        )
        inputs: dict[str, Any] = {"lead": self.lead, "campaign": campaign, "turn": turn}
        if self.known is not None:
            inputs["known_facts"] = self.known
        fetcher = PageFetcher(limits=FetchLimits(allow_private_networks=True), resolve=self.resolve)
        tools = build_research_tools(fetcher, clock=lambda: NOW)
        ctx = context(OfflineChatModel(), self.tmp_path, tools=tools, run_id=f"step-{number}")
        try:
            out = await build_graph().ainvoke(inputs, context=ctx)
        finally:
            await fetcher.aclose()
        self.known = out["facts"]
        self.outputs.append(out)
        chosen = next(v for v in out["variants"] if v.tone == out["decision"].selected_tone)
        self.sent.append(
            EarlierMessage(
                step=number,
                kind=kind,
                channel=channel,
                subject=chosen.subject,
                body=chosen.body,
                hooks=[h.text for h in chosen.hooks],
                fact_ids=[i for h in chosen.hooks for i in h.fact_ids],
            )
        )
        return out


def long_sentences(body: str) -> list[str]:
    """Sentences of six words or more, lower-cased, without punctuation."""
    found = []
    for sentence in _SENTENCE.findall(body):
        words = re.findall(r"[a-z0-9']+", sentence.lower().replace("’", "'"))
        if len(words) >= 6:
            found.append(" ".join(words))
    return found


def flat(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))) + " "


async def test_a_three_step_email_thread_gets_shorter_and_says_something_new(
    maya: Lead, campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path
) -> None:
    thread = Sequence(maya, campaign, demo_resolve, tmp_path)
    await thread.step(StepKind.FIRST_TOUCH, StepChannel.EMAIL)
    await thread.step(StepKind.SOFT_NUDGE, StepChannel.EMAIL)
    third = await thread.step(StepKind.NEW_ANGLE, StepChannel.EMAIL)
    first, nudge, angle = thread.sent
    assert all(out["decision"].action == "send" for out in thread.outputs), [
        out["decision"].reason for out in thread.outputs
    ]
    for number, message in ((2, nudge), (3, angle)):
        said_before = [flat(m.body) for m in thread.sent[: number - 1]]
        for sentence in long_sentences(message.body):
            assert not any(f" {sentence} " in text for text in said_before), sentence
        assert message.body.count("?") == 1, message.body
        assert message.body.startswith("Hi Maya,") and message.body.rstrip().endswith(
            "Head of Partnerships, Brightpath"
        )
        assert message.subject == f"Re: {first.subject}"
    assert len(first.body.split()) > len(nudge.body.split()) > len(angle.body.split())
    # The soft nudge claims nothing new; the new angle cites a fact step 1 did not use.
    assert nudge.hooks == [] and nudge.fact_ids == []
    assert angle.fact_ids and not set(angle.fact_ids) & set(first.fact_ids)
    cited = next(f for f in third["facts"] if f.id == angle.fact_ids[0])
    assert cited.title and cited.title in angle.body
    assert not any(title in angle.body for title in re.findall(r"“([^”]+)”", first.body))
    # Every tone of every follow-up was subject to the thread checks, and passed them.
    for out in thread.outputs[1:]:
        for verdict in out["critiques"]:
            names = {c.name for c in verdict.checks if c.passed}
            assert {"repeated_hook", "repeated_sentence", "length_growing"} <= names


@pytest.mark.parametrize("kind", FOLLOW_UPS)
@pytest.mark.parametrize("channel", list(CHANNELS))
async def test_each_follow_up_passes_the_critic_on_each_channel(
    maya: Lead,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    tmp_path: Path,
    channel: str,
    kind: StepKind,
) -> None:
    opening, following = CHANNELS[channel]
    thread = Sequence(maya, campaign, demo_resolve, tmp_path)
    await thread.step(StepKind.FIRST_TOUCH, opening)
    out = await thread.step(kind, following, is_last=kind is StepKind.BREAKUP)
    assert out["decision"].action == "send", out["decision"].reason
    assert all(c.passed for c in out["critiques"]), [c.issues for c in out["critiques"]]
    first, follow_up = thread.sent
    assert len(follow_up.body.split()) < len(first.body.split())
    for sentence in long_sentences(follow_up.body):
        assert f" {sentence} " not in flat(first.body), sentence
    if channel == "email":
        assert {v.subject for v in out["variants"]} == {f"Re: {first.subject}"}
    else:
        assert {v.subject for v in out["variants"]} == {None}
    if kind is StepKind.NEW_ANGLE:
        assert follow_up.fact_ids and not set(follow_up.fact_ids) & set(first.fact_ids)
    else:
        assert follow_up.fact_ids == []


@pytest.mark.parametrize("channel", list(CHANNELS))
async def test_a_five_step_sequence_keeps_getting_shorter(
    maya: Lead, campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path, channel: str
) -> None:
    opening, following = CHANNELS[channel]
    thread = Sequence(maya, campaign, demo_resolve, tmp_path)
    await thread.step(StepKind.FIRST_TOUCH, opening)
    for kind in FOLLOW_UPS:
        out = await thread.step(kind, following, is_last=kind is StepKind.BREAKUP)
        assert out["decision"].action == "send", (kind, out["decision"].reason)
    lengths = [len(m.body.split()) for m in thread.sent]
    assert lengths == sorted(lengths, reverse=True) and len(set(lengths)) == len(lengths)
    facts = [i for m in thread.sent for i in m.fact_ids]
    assert len(facts) == len(set(facts)), "no fact is cited twice in the thread"


STEP_1 = MAYA_FIRST_TOUCH
POST_HOOK = Hook(text=STEP_1.hooks[0], fact_ids=[POST.id])


def payload(
    lead: Lead, campaign: Campaign, kind: StepKind, *, feedback: list[str] | None = None
) -> GenerateInput:
    """The writer's input for step 2 after STEP_1, with the critic's issues if any."""
    return GenerateInput(
        today=NOW.date(),
        channel=Channel.EMAIL,
        tones=[Tone.PROFESSIONAL],
        attempt=2 if feedback else 1,
        lead=lead,
        campaign=campaign,
        analysis=Analysis(hooks=[POST_HOOK], relevance_score=0.9),
        facts=[FactBrief.of(POST), FactBrief.of(FUNDING)],
        feedback={
            Tone.PROFESSIONAL: Feedback(
                previous_subject=None, previous_body="…", issues=feedback, instructions=[]
            )
        }
        if feedback
        else {},
        sequence=FollowUpStep(
            kind=kind, step=2, is_last=False, earlier=[STEP_1], unused_fact_ids=[]
        ),
    )


def test_the_writer_acts_on_the_critics_thread_issues(maya: Lead, campaign: Campaign) -> None:
    (before,) = OfflineWriter().write(payload(maya, campaign, StepKind.SOFT_NUDGE)).variants
    opener = next(s.strip() for s in _SENTENCE.findall(before.body) if "earlier note" in s)
    issues = [
        f'repeated_sentence: repeats "{opener}" from step 1',
        f"length_growing: {len(before.body.split())} words, not shorter than step 1 "
        f"({len(before.body.split())} words)",
    ]
    (after,) = (
        OfflineWriter().write(payload(maya, campaign, StepKind.SOFT_NUDGE, feedback=issues))
    ).variants
    assert opener not in after.body
    assert len(after.body.split()) < len(before.body.split())
    assert after.body.count("?") == 1


def test_a_new_angle_with_no_unused_fact_says_so_and_claims_nothing(
    maya: Lead, campaign: Campaign
) -> None:
    (draft,) = OfflineWriter().write(payload(maya, campaign, StepKind.NEW_ANGLE)).variants
    assert draft.hooks == []
    assert "nothing new to point to" in draft.body
    assert campaign.short_pitch and campaign.short_pitch in draft.body
    assert "monorepo" not in draft.body and "Series B" not in draft.body
    turn = SequenceTurn(
        step=2, kind=StepKind.NEW_ANGLE, channel=StepChannel.EMAIL, earlier=[STEP_1]
    )
    verdict = critique(
        Variant(tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks),
        lead=maya, campaign=campaign, facts=[POST, FUNDING], settings=CriticSettings(),
        thresholds=Thresholds(),
        thread=Thread.of(turn, Channel.EMAIL, Analysis(hooks=[POST_HOOK], relevance_score=0.9)),
    )  # fmt: skip
    assert verdict.passed, verdict.issues


async def test_a_follow_up_over_http_uses_the_step_prompt(
    stub: OpenAIStub, tmp_path: Path, maya: Lead, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    stub.enqueue(Respond(answer_like_a_model), Respond(answer_like_a_model))
    turn = SequenceTurn(
        step=2, kind=StepKind.SOFT_NUDGE, channel=StepChannel.EMAIL, earlier=[STEP_1]
    )
    settings = settings_for(stub, tmp_path)
    async with open_pipeline(settings, resolve=demo_resolve, clock=lambda: NOW) as pipeline:
        out = await pipeline.graph.ainvoke(
            {"lead": maya, "campaign": campaign, "turn": turn, "known_facts": [POST, FUNDING]},
            context=pipeline.context,
        )
    assert len(stub.requests) == 2, "known facts are reused: analyze and write, no research"
    request = stub.requests[1].json
    assert request is not None
    assert (
        request["response_format"]["json_schema"]["name"] == "Drafts_professional_friendly_direct"
    )
    system = request["messages"][0]["content"]
    assert "This step is a soft nudge." in system and "untrusted data" in system
    assert {v.subject for v in out["variants"]} == {"Re: Northwind Robotics and CI"}
    assert all(c.passed for c in out["critiques"]), [c.issues for c in out["critiques"]]
    assert out["prompts"]["follow_up_soft_nudge"].version == "v3"
