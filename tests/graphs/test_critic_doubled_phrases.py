"""The critic fails a phrase written twice and a known name with a capital made small.

Issue 16, item 8: the offline writer sent "Copperleaf Health makes copperleaf Health makes
appointment scheduling software …" and the critic scored it 1.0.
"""

from __future__ import annotations

import pytest

from agent.settings import Settings
from graphs.analysis import Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic.copy_checks import check_wording
from graphs.critic.review import critique
from graphs.drafts import Critique, Tone, Variant
from graphs.lead import Campaign, Lead
from tests.factories import fact
from tools.facts import FactKind

DESCRIPTION = fact(
    "Copperleaf Health: Copperleaf Health makes appointment scheduling software for "
    "outpatient clinics.",
    kind=FactKind.COMPANY,
    url="http://copperleaf.example/",
)
HIRING = fact(
    "Copperleaf Health lists 6 open roles (4 Engineering, 2 Sales).",
    kind=FactKind.HIRING,
    url="http://copperleaf.example/careers",
)
FACTS = [DESCRIPTION, HIRING]
HOOKS = [
    Hook(text="6 open roles at Copperleaf Health (4 in Engineering)", fact_ids=[HIRING.id]),
    Hook(
        text="what Copperleaf Health makes (copperleaf Health makes appointment scheduling "
        "software for outpatient clinics)",
        fact_ids=[DESCRIPTION.id],
    ),
]
DEFECT = (
    "Copperleaf Health makes copperleaf Health makes appointment scheduling software for "
    "outpatient clinics."
)
"""The sentence the offline writer sent (issue 16, item 8)."""
VALUE = (
    "Brightpath shows engineering teams which builds and tests slow their CI pipelines down, "
    "and flags flaky tests before they block merges. Teams using it usually cut pipeline time "
    "by a third within a month."
)


def email(middle: str, sign_off: str = "Best regards,\nAlex Rivera") -> str:
    return (
        f"Hi Dana,\n\nI noticed Copperleaf Health lists 6 open roles, 4 of them in Engineering. "
        f"{middle}\n\n{VALUE}\n\nWorth a 15-minute call next week to see it on your pipeline?"
        f"\n\n{sign_off}\nHead of Partnerships, Brightpath"
    )


@pytest.fixture
def dana() -> Lead:
    return Lead(
        name="Dana Whitfield",
        email="dana.whitfield@copperleaf.example",
        company="Copperleaf Health",
        title="VP Engineering",
    )


def judge(body: str, lead: Lead, campaign: Campaign, tone: Tone = Tone.DIRECT) -> Critique:
    draft = Variant(tone=tone, subject="Copperleaf Health and CI", body=body, hooks=HOOKS)
    return critique(
        draft, lead=lead, campaign=campaign, facts=FACTS, settings=CriticSettings(),
        thresholds=Thresholds(),
    )  # fmt: skip


def test_the_sent_sentence_fails_and_scores_below_the_auto_send_bar(
    dana: Lead, campaign: Campaign
) -> None:
    verdict = judge(email(f"I also see {DEFECT}"), dana, campaign)
    wording = next(c for c in verdict.checks if c.name == "wording")
    assert not wording.passed and wording.hard
    assert "doubled phrase 'Copperleaf Health makes copperleaf Health makes'" in wording.detail
    assert "'copperleaf Health' (should be 'Copperleaf Health')" in wording.detail
    assert not verdict.passed
    assert any("copperleaf Health makes" in issue for issue in verdict.issues)
    bar = Settings().min_quality_to_send
    assert bar == Thresholds().min_quality_to_send
    assert verdict.score < bar, verdict.score
    assert verdict.score < Thresholds().pass_score


def test_the_same_email_written_once_passes(dana: Lead, campaign: Campaign) -> None:
    fixed = DEFECT.replace("makes copperleaf Health makes", "makes")
    hooks = [HOOKS[0], Hook(text="what Copperleaf Health makes", fact_ids=[DESCRIPTION.id])]
    draft = Variant(
        tone=Tone.DIRECT, subject="Copperleaf Health and CI", body=email(f"I also see {fixed}"),
        hooks=hooks,
    )  # fmt: skip
    verdict = critique(
        draft, lead=dana, campaign=campaign, facts=FACTS, settings=CriticSettings(),
        thresholds=Thresholds(),
    )  # fmt: skip
    assert verdict.passed, verdict.issues
    assert verdict.score == 1.0
    assert "wording" in {c.name for c in verdict.checks}


def test_a_name_made_lower_case_fails_without_any_doubling(dana: Lead, campaign: Campaign) -> None:
    body = email(
        "And I like what Copperleaf Health is building: copperleaf Health makes appointment "
        "scheduling software for outpatient clinics."
    )
    verdict = judge(body, dana, campaign, Tone.FRIENDLY)
    wording = next(c for c in verdict.checks if c.name == "wording")
    assert wording.detail == "name written 'copperleaf Health' (should be 'Copperleaf Health')"
    assert verdict.score < Settings().min_quality_to_send


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("We we would love to show you.", "doubled phrase 'We we'"),
        ("I read the the post about your CI queue.", "doubled phrase 'the the'"),
        ("It is built for for outpatient clinics.", "doubled phrase 'for for'"),
        ("Teams like yours teams like yours ship faster.", "'Teams like yours teams like yours'"),
        ("I enjoyed what dana whitfield wrote.", "'dana whitfield' (should be 'Dana Whitfield')"),
        ("Alex at brightpath here.", "'brightpath' (should be 'Brightpath')"),
        ("I read whitfield's post.", "'whitfield' (should be 'Whitfield')"),
    ],
)
def test_each_slip_is_named_in_the_issue(
    sentence: str, named: str, dana: Lead, campaign: Campaign
) -> None:
    result = check_wording(Variant(tone=Tone.DIRECT, body=email(sentence)), dana, campaign, {})
    assert not result.passed and named in result.detail, result.detail


@pytest.mark.parametrize(
    "sentence",
    [
        "I wondered whether that that approach works for clinics.",  # "that that" is English
        "Your team had had a busy quarter.",
        "Write to dana.whitfield@copperleaf.example or see copperleaf.example/careers.",
        "The booking page at https://copperleaf.example/Copperleaf-Health/book is quick.",
        "Very, very quick to set up. Quick, quick wins.",  # a comma makes it emphasis
        "Copperleaf Healthcare is a different company.",
        "COPPERLEAF HEALTH is shouting, not a lowered capital.",
        "We health-check pipelines, and copper leaf roofs are not our thing.",
    ],
)
def test_intended_repeats_addresses_and_other_words_pass(
    sentence: str, dana: Lead, campaign: Campaign
) -> None:
    result = check_wording(Variant(tone=Tone.DIRECT, body=email(sentence)), dana, campaign, {})
    assert result.passed, result.detail


def test_a_doubling_across_lines_or_quoted_from_a_fact_is_left_alone(
    dana: Lead, campaign: Campaign
) -> None:
    across = email("See you soon.", sign_off="Best regards,\nAlex\nAlex Rivera")
    assert check_wording(Variant(tone=Tone.DIRECT, body=across), dana, campaign, {}).passed
    post = fact(
        "Dana Whitfield wrote “Ship it ship it: notes from copperleaf health” on 2026-11-02.",
        kind=FactKind.POST,
        title="Ship it ship it: notes from copperleaf health",
    )
    quoting = email("I read your post “Ship it ship it: notes from copperleaf health”.")
    result = check_wording(Variant(tone=Tone.DIRECT, body=quoting), dana, campaign, {post.id: post})
    assert result.passed, result.detail


def test_a_lower_case_first_name_in_the_greeting_fails(dana: Lead, campaign: Campaign) -> None:
    body = email("See you soon.").replace("Hi Dana,", "Hi dana,")
    result = check_wording(Variant(tone=Tone.DIRECT, body=body), dana, campaign, {})
    assert not result.passed and "'dana' (should be 'Dana')" in result.detail


def test_only_whole_words_of_a_fact_excuse_a_slip(dana: Lead, campaign: Campaign) -> None:
    site = fact(
        "Copperleaf Health says bathe them well, on copperleaf.example/blog.",
        kind=FactKind.COMPANY,
        url="http://copperleaf.example/",
    )
    body = email("I read the the post by copperleaf on scheduling.")
    result = check_wording(Variant(tone=Tone.DIRECT, body=body), dana, campaign, {site.id: site})
    assert "doubled phrase 'the the'" in result.detail
    assert "'copperleaf' (should be 'Copperleaf')" in result.detail
