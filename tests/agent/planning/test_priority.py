"""Priority scores: sums of named parts with reasons a person can check, ranked best first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent.campaigns.spec import CampaignSpec
from agent.planning.operations import prioritize
from agent.planning.priority import ScorePart
from agent.planning.prospects import Prospect, prospect_of
from agent.planning.segment_config import Angle
from agent.planning.segmentation import Placement
from agent.planning.signals import FactRecord
from graphs.lead import Lead
from tests.agent.planning.leads_for_planning import (
    TODAY,
    funding_fact,
    generated_leads,
    hiring_fact,
)

TARGET = {
    "titles": ["CTO", "VP Engineering", "Head of Platform"],
    "keywords": ["Kubernetes", "flaky tests"],
    "industries": ["software"],
    "exclude_keywords": ["bakery"],
    "company_size": "50-500",
}
CAMPAIGN = CampaignSpec(name="planning", target_audience=TARGET)


def lead(email: str, facts: Sequence[FactRecord] = (), **fields: Any) -> Prospect:
    values = {"name": "Maya Okafor", "company": "Acme", "title": "VP Engineering", **fields}
    return prospect_of(Lead(email=email, **values), facts, today=TODAY)


def test_fresh_funding_outranks_the_same_lead_with_funding_200_days_old() -> None:
    old = lead("old@acme.example", [funding_fact(200)])
    fresh = lead("fresh@acme.example", [funding_fact(10)])
    report = prioritize(CAMPAIGN, [old, fresh], today=TODAY)
    first, second = (item.as_dict() for item in report.ranked)
    assert first["email"] == "fresh@acme.example" and second["email"] == "old@acme.example"
    assert first["score"] > second["score"]
    fresh_reason = next(r for r in first["reasons"] if "funding" in r)
    old_reason = next(r for r in second["reasons"] if "funding" in r)
    assert fresh_reason.startswith("+0.27 signal: funding:")
    assert "published 10 days ago (×0.89)" in fresh_reason
    assert "Acme raises $20M Series B" in fresh_reason
    assert old_reason.startswith("+0.03 signal: funding:")
    assert "published 200 days ago (×0.10)" in old_reason
    # Everything else is equal, part for part.
    same = [r for r in first["reasons"] if "funding" not in r]
    assert same == [r for r in second["reasons"] if "funding" not in r]


def test_each_score_is_the_sum_of_the_parts_it_shows() -> None:
    report = prioritize(CAMPAIGN, generated_leads(300), today=TODAY, top=300)
    scores = [item.score for item in report.ranked]
    assert scores == sorted(scores, reverse=True) and report.scored == 300
    for item in report.ranked:
        line = item.as_dict()
        assert abs(sum(part["points"] for part in line["parts"]) - line["score"]) < 1e-3
        assert len(line["reasons"]) == len(line["parts"])
        assert all(reason[0] in "+-" for reason in line["reasons"])


def test_hiring_for_the_problem_counts_more_than_other_hiring() -> None:
    platform = lead("p@acme.example", [hiring_fact("Platform", 3, 12)])
    sales = lead("s@acme.example", [hiring_fact("Sales", 3, 12)])
    first, second = prioritize(CAMPAIGN, [sales, platform], today=TODAY).ranked
    assert first.prospect.email == "p@acme.example"
    (hiring,) = [p for p in first.parts if p.kind == "signal"]
    assert hiring.text() == (
        "+0.22 signal: hiring for 'platform' (3 open roles): “Acme lists 3 open roles (3 "
        "Platform).”, found 12 days ago (×0.87)"
    )
    (other,) = [p for p in second.parts if p.kind == "signal"]
    assert other.name == "hiring_other" and "none for the campaign's problem" in other.reason


def test_fit_and_reachability_parts_say_what_they_saw() -> None:
    good = lead(
        "g@acme.example",
        [FactRecord(kind="technology", text="Acme runs Kubernetes and fights flaky tests.")],
        industry="Software",
        extra={"employees": "51-200", "email_status": "Verified"},
        linkedin_url="https://www.linkedin.com/in/maya",
    )
    bad = lead(
        "b@bakery.example",
        title="Owner",
        industry="Bakery",
        extra={"employees": "4", "email_status": "invalid"},
    )
    top, bottom = prioritize(CAMPAIGN, [bad, good], today=TODAY).ranked
    assert top.prospect.email == "g@acme.example"
    assert [part.text() for part in top.parts] == [
        "+0.25 fit: title 'VP Engineering' matches target 'VP Engineering'",
        "+0.10 fit: seniority vp (a decision maker)",
        "+0.15 fit: industry 'software' matches target 'software'",
        "+0.10 fit: company size 51-200 within the target 50-500",
        "+0.10 fit: facts mention 'flaky tests', 'kubernetes'",
        "+0.10 reachability: verified email",
        "+0.03 reachability: also reachable by linkedin",
    ]
    texts = [part.text() for part in bottom.parts]
    assert "-0.50 fit: mentions 'bakery', which the campaign excludes" in texts
    assert "-0.40 reachability: email marked invalid (email status column)" in texts
    assert "+0.00 fit: company size 4 outside the target 50-500" in texts
    assert bottom.score < 0


def test_reply_chance_adds_no_part_without_outcomes_and_a_model_can_plug_in() -> None:
    prospect = lead("m@acme.example")
    (plain,) = prioritize(CAMPAIGN, [prospect], today=TODAY).ranked
    assert all(part.kind != "reply_chance" for part in plain.parts)

    class SegmentRates:
        def part(self, prospect: Prospect, placement: Placement, angle: Angle) -> ScorePart:
            return ScorePart("reply_chance", "reply_chance", 0.12, f"{placement.segment}: 12%")

    (learnt,) = prioritize(CAMPAIGN, [prospect], today=TODAY, reply_chance=SegmentRates()).ranked
    assert learnt.parts[-1].text() == "+0.12 reply chance: unsegmented: 12%"
    assert round(learnt.score - plain.score, 6) == 0.12


def test_scoring_weights_change_the_parts_and_unknown_ones_are_named() -> None:
    campaign = CAMPAIGN.model_copy(
        update={"scoring": {"weights": {"funding": 0.6, "fundng": 1}, "half_life_days": 30}}
    )
    report = prioritize(campaign, [lead("f@acme.example", [funding_fact(30)])], today=TODAY)
    (item,) = report.ranked
    assert any(r.startswith("+0.30 signal: funding:") for r in item.as_dict()["reasons"])
    (problem,) = report.planning.problems
    assert problem.field == "scoring" and "scoring.weights.fundng: no such part" in problem.message
    assert "did you mean 'funding'?" in problem.message
