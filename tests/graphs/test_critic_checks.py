"""Each critic check passes good drafts and fails the defect it exists for."""

from __future__ import annotations

import pytest

from graphs.analysis import Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic import checks
from graphs.critic.grounding import Evidence
from graphs.critic.grounding_check import check_grounding
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from tests.factories import FUNDING, POST, fact, variant
from tools.facts import FactKind

SETTINGS = CriticSettings()
FACTS = {f.id: f for f in (POST, FUNDING)}
HOOKS = [
    Hook(
        text="your post “What we learned moving 40 services into one monorepo”", fact_ids=[POST.id]
    ),
    Hook(text="the $40M Series B (October 28)", fact_ids=[FUNDING.id]),
]
GOOD_BODY = (
    "Hi Maya,\n\nI read your post “What we learned moving 40 services into one monorepo” from "
    "November 5. I also saw the news about the $40M Series B from October 28.\n\n"
    "Brightpath shows engineering teams which builds and tests slow their CI pipelines down, "
    "and flags flaky tests before they block merges.\n\nWorth a 15-minute call next week?\n\n"
    "Best regards,\nAlex Rivera"
)


@pytest.fixture
def lead() -> Lead:
    return Lead(name="Maya Okafor", company="Northwind Robotics", title="VP Engineering")


def test_good_email_passes_every_check(lead: Lead, campaign: Campaign) -> None:
    verdict = critique(
        variant(GOOD_BODY, hooks=HOOKS),
        lead=lead, campaign=campaign, facts=[POST, FUNDING], settings=SETTINGS, thresholds=Thresholds(),
    )  # fmt: skip
    assert verdict.passed, verdict.issues
    assert verdict.score == 1.0
    assert {c.name for c in verdict.checks} >= {
        "grounding", "personalization", "call_to_action", "length", "spam_phrases",
        "placeholders", "channel_limit", "recipient_name", "subject",
    }  # fmt: skip


def test_hallucinated_claim_is_a_hard_failure(lead: Lead, campaign: Campaign) -> None:
    body = GOOD_BODY.replace("$40M Series B", "$60M Series C")
    verdict = critique(
        variant(body, hooks=HOOKS),
        lead=lead, campaign=campaign, facts=[POST, FUNDING], settings=SETTINGS, thresholds=Thresholds(),
    )  # fmt: skip
    grounding = next(c for c in verdict.checks if c.name == "grounding")
    assert not grounding.passed and grounding.hard
    assert "Series C" in grounding.detail and "60" in grounding.detail
    assert not verdict.passed and verdict.score <= 0.4


def test_hook_citing_unknown_fact_fails_grounding(lead: Lead, campaign: Campaign) -> None:
    hooks = [Hook(text="your keynote at KubeCon", fact_ids=["f_doesnotexist"])]
    result = check_grounding(
        variant(GOOD_BODY, hooks=hooks),
        lead,
        FACTS,
        Evidence.for_message(lead, campaign, FACTS.values()),
    )
    assert not result.passed
    assert "cites no known fact" in result.detail


def test_hook_text_must_match_its_cited_fact(lead: Lead, campaign: Campaign) -> None:
    hooks = [Hook(text="the $40M Series B", fact_ids=[POST.id])]  # cites the wrong fact
    result = check_grounding(
        variant(GOOD_BODY, hooks=hooks),
        lead,
        FACTS,
        Evidence.for_message(lead, campaign, FACTS.values()),
    )
    assert not result.passed
    assert "not in its cited facts" in result.detail


@pytest.mark.parametrize(("words", "passed"), [(30, False), (60, True), (199, True), (260, False)])
def test_email_length_window(words: int, passed: bool) -> None:
    body = " ".join(["word"] * words)
    result = checks.check_length(variant(body), Channel.EMAIL, SETTINGS)
    assert result.passed is passed
    if not passed:
        assert result.fix and "between 50 and 200" in result.fix


def test_length_window_is_configurable() -> None:
    body = " ".join(["word"] * 30)
    relaxed = CriticSettings(email_min_words=20, email_max_words=40)
    assert checks.check_length(variant(body), Channel.EMAIL, relaxed).passed


@pytest.mark.parametrize(
    ("body", "passed"),
    [
        ("We help teams ship. Worth a 15-minute call next week?", True),
        ("We help teams ship. Let me know your thoughts.", False),
        ("Is CI slow? Are tests flaky? Do deploys hurt? Want a call?", False),
        # Found by the calibration set: "call" in a statement asks for nothing.
        ("We help teams ship. Some engineers call flaky tests a tax on every merge.", False),
        ("We help teams ship. Happy to show you the report on a short call.", True),
        ("Vaultline collects the audit evidence. 20-min walkthrough? Jordan", True),
    ],
)
def test_call_to_action(body: str, passed: bool) -> None:
    assert checks.check_call_to_action(variant(body)).passed is passed


@pytest.mark.parametrize(
    ("body", "passed"),
    [
        ("A plain note about your CI. Worth a call?", True),
        ("Act now: this guaranteed, risk-free offer ends soon. Click here!", False),
        ("I hope this email finds you well. Just checking in.", False),
        ("This is AMAZING news for your team", False),
    ],
)
def test_spam_phrases(body: str, passed: bool) -> None:
    assert checks.check_spam(variant(body)).passed is passed


@pytest.mark.parametrize(
    "body",
    [
        "Hi {{first_name}}, quick one.",
        "Best,\n[Your Name]",
        "Hi <FIRST_NAME>, quick one.",
        "Hi Maya, TODO add hook here.",
    ],
)
def test_placeholders_are_hard_failures(body: str) -> None:
    result = checks.check_placeholders(variant(body))
    assert not result.passed and result.hard


def test_pasted_writer_guidance_is_a_hard_failure(campaign: Campaign) -> None:
    guided = campaign.model_copy(
        update={"custom_context": "Mention our health check. Do not mention pricing or discounts."}
    )
    leaked = variant(GOOD_BODY + "\n\nDo not mention pricing or   discounts.")
    result = checks.check_placeholders(leaked, guided)
    assert not result.passed and result.hard
    assert "do not mention pricing or discounts" in result.detail.lower()
    # Following the guidance (talking about the health check) is not a leak.
    followed = variant(GOOD_BODY + "\n\nOur health check is free.")
    assert checks.check_placeholders(followed, guided).passed


def test_no_placeholder_in_clean_text() -> None:
    assert checks.check_placeholders(variant(GOOD_BODY)).passed


def test_sms_segments_count_by_encoding() -> None:
    assert checks.sms_segments("a" * 160) == (1, "GSM-7")
    assert checks.sms_segments("a" * 161) == (2, "GSM-7")
    assert checks.sms_segments("Great talk 🎉 " + "a" * 60) == (2, "UCS-2")
    assert checks.sms_segments("Curly “quotes” " + "a" * 40) == (1, "UCS-2")


def test_sms_over_one_segment_fails_channel_limit(campaign: Campaign) -> None:
    sms = campaign.model_copy(update={"channel": Channel.SMS})
    long_sms = Variant(tone="direct", body="Hi Maya 🎉 " + "x" * 70)
    result = checks.check_channel_limit(long_sms, Channel.SMS, sms, SETTINGS)
    assert not result.passed and result.hard and "UCS-2" in result.detail
    ok = Variant(tone="direct", body="Hi Maya, Alex from Brightpath. Worth a quick call?")
    assert checks.check_channel_limit(ok, Channel.SMS, sms, SETTINGS).passed


def test_linkedin_connection_note_limit(campaign: Campaign) -> None:
    note = campaign.model_copy(update={"channel": Channel.LINKEDIN})
    too_long = Variant(tone="friendly", body="x" * 301)
    assert not checks.check_channel_limit(too_long, Channel.LINKEDIN, note, SETTINGS).passed
    message = note.model_copy(update={"linkedin_format": "message"})
    assert checks.check_channel_limit(too_long, Channel.LINKEDIN, message, SETTINGS).passed


def test_email_without_subject_fails(campaign: Campaign) -> None:
    result = checks.check_channel_limit(
        variant(GOOD_BODY, subject=None), Channel.EMAIL, campaign, SETTINGS
    )
    assert not result.passed


@pytest.mark.parametrize(
    ("subject", "passed"),
    [
        ("Northwind Robotics and CI", True),
        ("ACT NOW", False),
        ("Quick question!", False),
        ("x" * 70, False),
    ],
)
def test_subject_rules(subject: str, passed: bool) -> None:
    assert checks.check_subject(variant(GOOD_BODY, subject=subject), SETTINGS).passed is passed


def test_greeting_the_wrong_person_fails(lead: Lead) -> None:
    assert checks.check_recipient_name(variant("Hi Maya, hello."), lead).passed
    wrong = checks.check_recipient_name(variant("Hi Priya, hello."), lead)
    assert not wrong.passed and "Priya" in wrong.detail


def test_personalization_needs_hooks_that_appear_in_the_body() -> None:
    enough = checks.check_personalization(
        variant(GOOD_BODY, hooks=HOOKS), Channel.EMAIL, FACTS, SETTINGS
    )
    assert enough.passed
    unused = [Hook(text="fleet planner congestion routing", fact_ids=[FUNDING.id])]
    result = checks.check_personalization(
        variant(GOOD_BODY, hooks=unused), Channel.EMAIL, FACTS, SETTINGS
    )
    assert not result.passed and "0 grounded hook" in result.detail


PROFILE = fact(
    "Maya Okafor is VP Engineering at Northwind Robotics.",
    kind=FactKind.PROFILE,
    url="http://northwind-robotics.example/team/maya-okafor",
)
DESCRIPTION = fact(
    "Northwind Robotics makes fleet software for warehouse robots.", kind=FactKind.COMPANY
)
KINDS = {f.id: f for f in (POST, FUNDING, PROFILE, DESCRIPTION)}
ONE_HOOK_BODY = (
    "Hi Maya,\n\n{line}\n\nBrightpath shows engineering teams which builds and tests slow "
    "their CI pipelines down, and flags flaky tests before they block merges.\n\nWorth a "
    "15-minute call next week?\n\nBest regards,\nAlex Rivera"
)
POST_HOOK = Hook(
    text="your post “What we learned moving 40 services into one monorepo”", fact_ids=[POST.id]
)
PROFILE_HOOK = Hook(text="VP Engineering at Northwind Robotics", fact_ids=[PROFILE.id])
DESCRIPTION_HOOK = Hook(text="fleet software for warehouse robots", fact_ids=[DESCRIPTION.id])


@pytest.mark.parametrize(
    ("line", "hooks", "passed"),
    [
        # One strong hook (a post, news, hiring, the stack) carries an email on its own.
        ("I read your post “What we learned moving 40 services into one monorepo”.",
         [POST_HOOK], True),
        # The lead's own title, or what every visitor reads on the website, does not.
        ("As VP Engineering at Northwind Robotics, you see every slow build.",
         [PROFILE_HOOK], False),
        ("Northwind Robotics makes fleet software for warehouse robots.",
         [DESCRIPTION_HOOK], False),
        # Two hooks pass whatever they cite; none fails.
        ("As VP Engineering at Northwind Robotics, you know fleet software for warehouse "
         "robots.", [PROFILE_HOOK, DESCRIPTION_HOOK], True),
        ("We help teams ship faster.", [], False),
    ],
)  # fmt: skip
def test_one_strong_hook_is_enough_one_weak_hook_is_not(
    line: str, hooks: list[Hook], passed: bool
) -> None:
    draft = variant(ONE_HOOK_BODY.format(line=line), hooks=hooks)
    result = checks.check_personalization(draft, Channel.EMAIL, KINDS, SETTINGS)
    assert result.passed is passed, result.detail
    if len(hooks) == 1 and passed:
        assert "one strong hook" in result.detail and "monorepo" in result.detail
    if not passed:
        assert f"{len(hooks)} grounded hook(s) used, need 2 or one strong" in result.detail
        assert result.fix and "post, news, hiring" in result.fix


def test_a_strong_hook_must_still_be_grounded_and_visible() -> None:
    # Cited but not in the body, or citing an unknown fact: it counts for nothing.
    unseen = variant(ONE_HOOK_BODY.format(line="We help teams ship faster."), hooks=[POST_HOOK])
    assert not checks.check_personalization(unseen, Channel.EMAIL, KINDS, SETTINGS).passed
    ghost = Hook(text=POST_HOOK.text, fact_ids=["f_doesnotexist"])
    body = ONE_HOOK_BODY.format(line="I read your post “What we learned moving 40 services”.")
    assert not checks.check_personalization(
        variant(body, hooks=[ghost]), Channel.EMAIL, KINDS, SETTINGS
    ).passed


@pytest.mark.parametrize(
    ("body", "passed"),
    [
        ("Dear Ms. Okafor, quick question.", True),
        ("Hi there Maya, quick question.", True),
        ("Hello team, quick question.", True),
        ("Hi Jürgen, quick question.", False),
        ("Dear Dr. Natarajan, quick question.", False),
    ],
)
def test_greetings_with_honorifics_and_lowercase_words(lead: Lead, body: str, passed: bool) -> None:
    assert checks.check_recipient_name(variant(body), lead).passed is passed


def test_spam_phrases_match_whole_words_only() -> None:
    clean = (
        "Teams see no costly retries; winners of the hackathon contact now-famous mentors. Call?"
    )
    assert checks.check_spam(variant(clean)).detail == "none"


def test_a_number_of_minutes_is_not_a_call_to_action() -> None:
    assert not checks.check_call_to_action(
        variant("Your CI takes 40 minutes.\n\nBest,\nAlex")
    ).passed


def test_foreign_links_and_addresses_fail(campaign: Campaign) -> None:
    assert checks.check_links(variant(GOOD_BODY), campaign).passed
    phishing = variant(
        GOOD_BODY + "\nReset here: https://evil.example/login or mail ceo@evil.example"
    )
    result = checks.check_links(phishing, campaign)
    assert not result.passed and result.hard
    assert "https://evil.example/login" in result.detail and "ceo@evil.example" in result.detail
    own = campaign.model_copy(
        update={
            "sender": campaign.sender.model_copy(update={"signature": "brightpath.example/demo"})
        }
    )
    assert checks.check_links(variant("See www.brightpath.example/demo. Call?"), own).passed


@pytest.mark.parametrize(
    ("tone", "body", "clash"),
    [
        (
            Tone.FRIENDLY,
            "Dear Ines, please be advised that we cut CI time. Kindly indicate a time.",
            "formal",
        ),
        (Tone.PROFESSIONAL, "Hey Hannah, ngl your talk was great lol. Worth a call?", "slang"),
        (
            Tone.DIRECT,
            "Sorry to bother you; perhaps CI is slow, possibly not. A call?",
            "hedging",
        ),
    ],
)
def test_a_register_that_clashes_with_the_tone_fails(tone: Tone, body: str, clash: str) -> None:
    result = checks.check_tone(variant(body, tone=tone))
    assert not result.passed
    assert clash in result.detail and f"labelled {tone}" in result.detail


@pytest.mark.parametrize("tone", list(Tone))
def test_plain_drafts_read_as_any_tone(tone: Tone) -> None:
    assert checks.check_tone(variant(GOOD_BODY, tone=tone)).passed
    # One polite word is not a register: "kindly" once in a friendly note is fine.
    polite = variant("Hi Maya, thanks kindly for the post. Worth a call?", tone=Tone.FRIENDLY)
    assert checks.check_tone(polite).passed
