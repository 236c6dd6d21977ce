"""The critic's earlier_outreach check: a draft may claim an earlier contact with someone at
the lead's company only when our records say so (a fact of kind earlier_outreach), about that
colleague alone, and never that they answered."""

from __future__ import annotations

from datetime import date

import pytest

from graphs.analysis import Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic.outreach_claims import check_earlier_outreach
from graphs.critic.review import critique
from graphs.drafts import Critique
from graphs.lead import Campaign, Lead
from tests.conftest import NOW
from tests.factories import FUNDING, POST, variant
from tools.facts import Fact, FactKind, make_fact

HOOKS = [
    Hook(
        text="your post “What we learned moving 40 services into one monorepo”", fact_ids=[POST.id]
    ),
    Hook(text="the $40M Series B (October 28)", fact_ids=[FUNDING.id]),
]
BODY = (
    "Hi Sam,\n\nI read your post “What we learned moving 40 services into one monorepo” from "
    "November 5. I also saw the news about the $40M Series B from October 28.\n\n"
    "Brightpath shows engineering teams which builds and tests slow their CI pipelines down, "
    "and flags flaky tests before they block merges.{claim}\n\nWorth a 15-minute call next "
    "week?\n\nBest regards,\nAlex Rivera"
)
EARLIER = make_fact(
    kind=FactKind.EARLIER_OUTREACH,
    text="We emailed Maya Okafor (VP Engineering) at Northwind Robotics on 20 November 2026.",
    source_url="outreach:message/1",
    tool="outreach_history",
    retrieved_at=NOW,
    published=date(2026, 11, 20),
    title="Maya Okafor (VP Engineering)",
    attributes={"colleague": "Maya Okafor", "message_id": 1},
)


@pytest.fixture
def lead() -> Lead:
    return Lead(name="Sam Lee", company="Northwind Robotics", title="Head of Platform")


def judged(claim: str, facts: list[Fact], lead: Lead, campaign: Campaign) -> Critique:
    return critique(
        variant(BODY.format(claim=claim), hooks=HOOKS),
        lead=lead, campaign=campaign, facts=[POST, FUNDING, *facts],
        settings=CriticSettings(), thresholds=Thresholds(), today=NOW.date(),
    )  # fmt: skip


@pytest.mark.parametrize(
    "claim",
    [
        " I reached out to your colleague last week.",
        " As I mentioned to Maya, it takes an afternoon to set up.",
        " I am following up on my note to Maya.",
        " I also wrote to Maya Okafor (VP Engineering) on 20 November.",
    ],
)
def test_a_claimed_earlier_contact_without_the_fact_fails(
    claim: str, lead: Lead, campaign: Campaign
) -> None:
    verdict = judged(claim, [], lead, campaign)
    check = next(c for c in verdict.checks if c.name == "earlier_outreach")
    assert not check.passed and check.hard and not verdict.passed
    assert "claims an earlier contact our records do not show" in check.detail
    assert claim.strip() in check.detail and check.fix


def test_the_same_claim_with_the_fact_passes(lead: Lead, campaign: Campaign) -> None:
    verdict = judged(" I also wrote to Maya Okafor (VP Engineering) on 20 November.", [EARLIER],
                     lead, campaign)  # fmt: skip
    assert verdict.passed, verdict.issues
    check = next(c for c in verdict.checks if c.name == "earlier_outreach")
    assert check.passed


@pytest.mark.parametrize(
    ("claim", "why"),
    [
        (" I also wrote to Priya Natarajan on 20 November.", "names 'Priya Natarajan'"),
        (" Maya Okafor, your colleague I wrote to, replied that CI is slow.", "answered"),
        (" Following up on my last email, here is the short version.", "first message"),
    ],
)
def test_even_with_the_fact_another_colleague_a_reply_or_an_earlier_note_fails(
    claim: str, why: str, lead: Lead, campaign: Campaign
) -> None:
    verdict = judged(claim, [EARLIER], lead, campaign)
    check = next(c for c in verdict.checks if c.name == "earlier_outreach")
    assert not check.passed and why in check.detail, check.detail


def test_a_draft_claiming_nothing_is_scored_as_before(lead: Lead, campaign: Campaign) -> None:
    verdict = judged("", [], lead, campaign)
    assert verdict.passed and "earlier_outreach" not in {c.name for c in verdict.checks}


@pytest.mark.parametrize(
    "sentence",
    [
        " Following up on my email to you last Tuesday about CI.",  # a follow-up, to the lead
        " As I mentioned to you last week, it takes an afternoon to set up.",
        " I wrote Terraform modules for years before this.",  # no one was written to
        " I spoke German with your team at the meetup in Berlin.",
    ],
)
def test_words_that_claim_no_colleague_contact_are_not_checked(
    sentence: str, lead: Lead, campaign: Campaign
) -> None:
    draft = variant(BODY.format(claim=sentence), hooks=HOOKS)
    assert check_earlier_outreach(draft, [POST, FUNDING], first_touch=False) is None
