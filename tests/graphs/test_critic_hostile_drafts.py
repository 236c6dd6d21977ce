"""Drafts that once made the critic hang or take seconds now get a verdict (issue 21 review).

A closing line such as "Best of luck with the launch and the hiring push, Maya." was tried
against the sign-off pattern in every way its words could split; a draft far past every
channel's length is refused by its length before the claim checks read it.
"""

from __future__ import annotations

from graphs.context import CriticSettings, Thresholds
from graphs.critic.review import MAX_CHECKED_CHARS, critique
from graphs.drafts import Critique, Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from tests.factories import FUNDING, POST

LEAD = Lead(name="Maya Okafor", company="Northwind Robotics")
CAMPAIGN = Campaign(value_proposition="Brightpath finds slow CI builds.")


def judged(body: str, channel: Channel = Channel.EMAIL) -> Critique:
    return critique(
        Variant(tone=Tone.FRIENDLY, subject="Your monorepo post", body=body),
        lead=LEAD,
        campaign=CAMPAIGN.model_copy(update={"channel": channel}),
        facts=[POST, FUNDING],
        settings=CriticSettings(),
        thresholds=Thresholds(),
    )


def test_a_long_closing_line_that_is_no_sign_off_gets_a_verdict() -> None:
    body = (
        "Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo”. "
        "Brightpath finds slow CI builds.\n\nWorth a 15-minute call next week?\n\n"
        "Best of luck with the Kraków launch and the hiring push and the new office, Maya.\n\n"
        "Alex"
    )
    verdict = judged(body)
    language = next(c for c in verdict.checks if c.name == "language")
    assert language.passed, language.detail


def test_a_text_whose_first_words_are_a_sign_off_gets_a_verdict() -> None:
    body = (
        "Thanks for the great post on moving 40 services into one monorepo at Northwind, Maya. "
        "Brightpath finds slow CI builds. Quick call this week?"
    )
    assert judged(body, Channel.SMS).checks


def test_a_draft_far_past_every_length_is_refused_by_length_alone() -> None:
    body = "Hi Maya, " + "the pipeline has 42 builds and 17 flaky tests, " * 400
    assert len(body) > MAX_CHECKED_CHARS
    verdict = judged(body)
    assert not verdict.passed and [c.name for c in verdict.checks] == ["length"]
    assert "characters" in verdict.checks[0].detail
