"""The critic on a sequence's follow-up: it says something new, in fewer words, with one ask."""

from __future__ import annotations

import pytest

from graphs.analysis import Analysis, Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic.review import critique
from graphs.critic.thread_checks import Thread
from graphs.drafts import Critique
from graphs.lead import Campaign, Channel, Lead
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel, StepKind
from tests.factories import FUNDING, POST, fact, variant
from tools.facts import FactKind

HIRING = fact(
    "Northwind Robotics lists 14 open roles (9 Engineering, 3 Platform, 2 Sales).",
    kind=FactKind.HIRING,
    url="http://northwind-robotics.example/careers",
)
FACTS = [POST, FUNDING, HIRING]
POST_HOOK = Hook(
    text="your post “What we learned moving 40 services into one monorepo”", fact_ids=[POST.id]
)
FUNDING_HOOK = Hook(text="the $40M Series B", fact_ids=[FUNDING.id])
HIRING_HOOK = Hook(text="14 open roles at Northwind Robotics", fact_ids=[HIRING.id])
PITCH = (
    "Brightpath shows engineering teams which builds and tests slow their CI pipelines down, and "
    "flags flaky tests before they block merges."
)
SIGNATURE = "Best regards,\nAlex Rivera\nHead of Partnerships, Brightpath"
STEP_1 = (
    "Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo”. "
    f"Congrats on the $40M Series B too.\n\n{PITCH} Teams using it usually cut pipeline time by "
    "a third within a month.\n\nWorth a 15-minute call next week to see it on your pipeline?"
    f"\n\n{SIGNATURE}"
)
FIRST_TOUCH = EarlierMessage(
    step=1,
    kind=StepKind.FIRST_TOUCH,
    channel=StepChannel.EMAIL,
    subject="Northwind Robotics and CI",
    body=STEP_1,
    hooks=[POST_HOOK.text, FUNDING_HOOK.text],
    fact_ids=[POST.id, FUNDING.id],
)
NUDGE = (
    "Hi Maya,\n\nI wanted to bring my earlier note back to the top of your inbox.\n\n"
    f"Would a short call next week be worth it?\n\n{SIGNATURE}"
)
NEW_ANGLE = (
    "Hi Maya,\n\nI noticed Northwind Robotics lists 14 open roles, 9 of them in Engineering.\n\n"
    f"Would a short call on this be useful?\n\n{SIGNATURE}"
)


def judge(
    body: str,
    campaign: Campaign,
    lead: Lead,
    *,
    kind: StepKind = StepKind.SOFT_NUDGE,
    hooks: list[Hook] | None = None,
    earlier: list[EarlierMessage] | None = None,
    analysis_hooks: list[Hook] | None = None,
) -> Critique:
    """Critique an email follow-up to the first touch above, as the critic node does."""
    turn = SequenceTurn(
        step=2, kind=kind, channel=StepChannel.EMAIL, earlier=earlier or [FIRST_TOUCH]
    )
    hooks_offered = [POST_HOOK, FUNDING_HOOK, HIRING_HOOK] if analysis_hooks is None else []
    analysis = Analysis(hooks=analysis_hooks or hooks_offered, relevance_score=0.9)
    draft = variant(body, subject="Re: Northwind Robotics and CI", hooks=hooks)
    return critique(
        draft,
        lead=lead,
        campaign=campaign,
        facts=FACTS,
        settings=CriticSettings(),
        thresholds=Thresholds(),
        thread=Thread.of(turn, Channel.EMAIL, analysis),
    )


def issues(verdict: Critique, name: str) -> str:
    return next(c.detail for c in verdict.checks if c.name == name and not c.passed)


def test_a_short_soft_nudge_that_cites_nothing_passes(maya: Lead, campaign: Campaign) -> None:
    verdict = judge(NUDGE, campaign, maya)
    assert verdict.passed, verdict.issues
    checks = {c.name: c for c in verdict.checks}
    # Too short for a first touch (50+ words), right for a follow-up; no hook is asked of it.
    assert len(NUDGE.split()) < CriticSettings().email_min_words
    assert checks["length"].passed
    assert checks["personalization"].passed
    assert "needs no minimum" in checks["personalization"].detail
    assert {"repeated_hook", "repeated_sentence", "length_growing", "calls_to_action"} <= set(
        checks
    )


def test_a_sentence_copied_from_step_1_fails_with_the_sentence_named(
    maya: Lead, campaign: Campaign
) -> None:
    copied = NUDGE.replace("\n\nWould", f" {PITCH.upper()}\n\nWould")
    verdict = judge(copied, campaign, maya)
    assert not verdict.passed
    assert issues(verdict, "repeated_sentence") == f'repeats "{PITCH.upper()}" from step 1'
    assert any(i.startswith("repeated_sentence: repeats") for i in verdict.issues)


def test_greetings_sign_offs_and_the_signature_are_not_repeats(
    maya: Lead, campaign: Campaign
) -> None:
    address = "Brightpath Inc., 100 Example Street, Portland, OR 97201, USA"
    signed = campaign.model_copy(
        update={"sender": campaign.sender.model_copy(update={"signature": address})}
    )
    first = FIRST_TOUCH.model_copy(update={"body": f"{STEP_1}\n{address}"})
    verdict = judge(f"{NUDGE}\n{address}", signed, maya, earlier=[first])
    assert verdict.passed, verdict.issues


def test_reusing_a_hook_of_step_1_fails(maya: Lead, campaign: Campaign) -> None:
    body = NUDGE.replace(
        "I wanted to bring my earlier note back to the top of your inbox.",
        "Your post “What we learned moving 40 services into one monorepo” is still on my mind.",
    )
    verdict = judge(body, campaign, maya, hooks=[POST_HOOK])
    assert not verdict.passed
    assert issues(verdict, "repeated_hook") == (f"repeats the hook '{POST_HOOK.text}' from step 1")


def test_restating_an_earlier_hook_without_listing_it_fails(maya: Lead, campaign: Campaign) -> None:
    body = NUDGE.replace(
        "I wanted to bring my earlier note back to the top of your inbox.",
        "About “What we learned moving 40 services into one monorepo”: I keep thinking of it.",
    )
    verdict = judge(body, campaign, maya)
    assert f"repeats the hook '{POST_HOOK.text}' from step 1" in issues(verdict, "repeated_hook")


def test_a_follow_up_longer_than_the_message_before_fails(maya: Lead, campaign: Campaign) -> None:
    padding = " ".join(["Our pipeline reports are detailed and easy to read."] * 8)
    body = NUDGE.replace("\n\nWould", f" {padding}\n\nWould")
    verdict = judge(body, campaign, maya)
    assert not verdict.passed
    detail = issues(verdict, "length_growing")
    assert detail.endswith(f"not shorter than step 1 ({len(STEP_1.split())} words)"), detail


def test_two_calls_to_action_fail(maya: Lead, campaign: Campaign) -> None:
    body = NUDGE.replace("worth it?", "worth it? Or should I send a demo video?")
    verdict = judge(body, campaign, maya)
    assert not verdict.passed
    assert issues(verdict, "calls_to_action").startswith("2 calls to action")


def test_a_new_angle_must_cite_a_fact_no_earlier_message_used(
    maya: Lead, campaign: Campaign
) -> None:
    vague = judge(NUDGE, campaign, maya, kind=StepKind.NEW_ANGLE)
    assert not vague.passed
    assert "a new angle needs one" in issues(vague, "repeated_hook")
    assert HIRING_HOOK.text in issues(vague, "repeated_hook")
    fresh = judge(NEW_ANGLE, campaign, maya, kind=StepKind.NEW_ANGLE, hooks=[HIRING_HOOK])
    assert fresh.passed, fresh.issues


def test_a_new_angle_with_no_unused_fact_left_may_cite_none(maya: Lead, campaign: Campaign) -> None:
    honest = NUDGE.replace(
        "I wanted to bring my earlier note back to the top of your inbox.",
        "I have nothing new to point to at Northwind Robotics, so one short question.",
    )
    verdict = judge(
        honest, campaign, maya, kind=StepKind.NEW_ANGLE, analysis_hooks=[POST_HOOK, FUNDING_HOOK]
    )
    assert verdict.passed, verdict.issues


def test_grounding_is_as_strict_as_for_a_first_touch(maya: Lead, campaign: Campaign) -> None:
    body = NUDGE.replace(
        "I wanted to bring my earlier note back to the top of your inbox.",
        "Congrats again on the $90M Series D.",
    )
    verdict = judge(body, campaign, maya)
    assert not verdict.passed
    assert "Series D" in issues(verdict, "grounding")


@pytest.mark.parametrize("channel", [StepChannel.SMS, StepChannel.LINKEDIN_MESSAGE])
def test_length_is_compared_on_the_same_channel_only(
    maya: Lead, campaign: Campaign, channel: StepChannel
) -> None:
    short = EarlierMessage(
        step=2, kind=StepKind.SOFT_NUDGE, channel=channel, body="Hi Maya, quick nudge. Call?"
    )
    verdict = judge(NUDGE, campaign, maya, earlier=[FIRST_TOUCH, short])
    length = next(c for c in verdict.checks if c.name == "length_growing")
    assert length.passed
    assert length.detail == (
        f"{len(NUDGE.split())} words, shorter than step 1 ({len(STEP_1.split())} words)"
    )


def test_a_question_quoted_from_a_title_is_not_a_second_ask(maya: Lead, campaign: Campaign) -> None:
    body = NUDGE.replace(
        "I wanted to bring my earlier note back to the top of your inbox.",
        "Your talk “Is our CI too slow?” made me think of you.",
    )
    verdict = judge(body, campaign, maya)
    asks = next(c for c in verdict.checks if c.name == "calls_to_action")
    assert asks.passed, asks.detail
