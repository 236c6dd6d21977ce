"""Segments: every lead lands in exactly one segment (or unsegmented) with the rule that placed
it, shares are reported and fitted, and a bad segment is named while the others still work."""

from __future__ import annotations

from collections import Counter
from typing import Any

from agent.campaigns.spec import CampaignSpec
from agent.planning.operations import segment
from agent.planning.prospects import prospect_of
from agent.planning.segment_config import UNSEGMENTED, read_segments
from agent.planning.signals import FactRecord
from graphs.lead import Lead
from tests.agent.planning.leads_for_planning import TODAY, funding_fact, generated_leads

LEADERS = {"name": "leaders", "share": 0.4, "match": {"seniority": ["c_level", "vp", "owner"]},
           "angle": {"tone": "direct", "emphasis": "cut CI time", "sequence": "3-step"}}  # fmt: skip
PLATFORM = {
    "name": "platform",
    "share": 0.35,
    "rules": [
        {"title": ["platform", "staff engineer"]},
        {"trigger": "hiring", "keywords": "kubernetes", "exclude": {"country": "US"}},
    ],
    "angle": {"tone": "friendly", "sequence": "5-step"},
}
SMALL = {"name": "small", "share": 0.15, "match": {"company_size": "<50"}}


def spec(segments: list[Any], **fields: Any) -> CampaignSpec:
    return CampaignSpec(name="planning", segments=segments, **fields)


def test_over_1000_leads_each_lands_in_exactly_one_segment_with_the_rule_that_placed_it() -> None:
    leads = generated_leads(1000)
    report = segment(spec([LEADERS, PLATFORM, SMALL]), leads)
    lines = report.lead_lines()
    assert len(lines) == 1000
    assert [line["email"] for line in lines] == [p.email for p in leads]
    names = {"leaders", "platform", "small", UNSEGMENTED}
    assert {line["segment"] for line in lines} == names
    for prospect, line in zip(leads, lines, strict=True):
        title = prospect.title.lower()
        is_leader = prospect.seniority in ("c_level", "vp", "owner")
        if line["segment"] == "leaders":
            assert is_leader and line["rule"] == 1
            assert line["matched"] == f"seniority is {prospect.seniority}"
        elif line["segment"] == "platform":
            assert not is_leader  # the first segment that matches wins
            if line["rule"] == 1:
                assert "platform" in title or "staff engineer" in title
                assert line["matched"].startswith("title contains")
            else:
                assert line["rule"] == 2 and prospect.country != "us"
                assert "hiring found 5 days ago" in line["matched"]
                assert "facts contains 'kubernetes'" in line["matched"]
        elif line["segment"] == "small":
            assert prospect.company_size is not None and prospect.company_size.estimate < 50
            assert line["matched"].startswith("company size")
        else:
            assert line["rule"] is None and line["matched"] == "no segment's rules match"
            assert not is_leader and "platform" not in title
    tally = Counter(line["segment"] for line in lines)
    counts = {c.name: c for c in report.split.counts}
    assert [c.name for c in report.split.counts] == ["leaders", "platform", "small", UNSEGMENTED]
    assert {name: c.leads for name, c in counts.items()} == dict(tally)
    assert sum(c.leads for c in counts.values()) == 1000
    assert counts["leaders"].lead_share == tally["leaders"] / 1000
    # Shares as written add up to 0.9: the rest of the week is the unsegmented leads'.
    assert [round(counts[n].target_share, 6) for n in ("leaders", "platform", "small")] == [
        0.4, 0.35, 0.15,
    ]  # fmt: skip
    assert round(counts[UNSEGMENTED].target_share, 6) == 0.1
    assert counts["leaders"].angle.as_dict() == {
        "tone": "direct", "emphasis": "cut CI time", "sequence": "3-step",
    }  # fmt: skip
    assert report.planning.problems == []


def test_an_unknown_field_is_named_with_its_segment_and_the_valid_segments_still_work() -> None:
    misspelt = {"name": "typo", "share": 0.2, "rules": [{"title": "cto"}, {"titel": "VP"}]}
    report = segment(spec([misspelt, LEADERS]), generated_leads(200))
    (problem,) = report.planning.problems
    assert problem.level == "error"
    assert (problem.segment, problem.rule, problem.field) == ("typo", 2, "titel")
    assert "segment 'typo', rule 2: field 'titel'" in problem.message
    assert "did you mean 'title'?" in problem.message
    assert "left out" in (problem.effect or "")
    segments = {line["segment"] for line in report.lead_lines()}
    assert segments == {"leaders", UNSEGMENTED}
    assert [c.name for c in report.split.counts] == ["leaders", UNSEGMENTED]


def test_shares_over_one_are_scaled_with_a_warning_naming_each_share() -> None:
    seed = [
        {"name": "referral", "share": 0.5, "match": {"industry": "software"}},
        {"name": "thought", "share": 0.5, "match": {"industry": "saas"}},
        {"name": "stealth", "share": 0.05, "match": {"seniority": "owner"}},
    ]
    setup = read_segments(seed)
    (warning,) = setup.problems
    assert warning.level == "warning"
    assert "shares add up to 1.05 (referral 0.5 + thought 0.5 + stealth 0.05), more than 1" in (
        warning.message
    )
    assert [round(s.target_share, 4) for s in setup.segments] == [0.4762, 0.4762, 0.0476]
    assert setup.unsegmented_share == 0


def test_a_full_split_whose_shares_fall_short_is_scaled_up_and_unsegmented_gets_nothing() -> None:
    setup = read_segments(
        [{"name": "a", "share": 0.3, "match": {}}, {"name": "b", "share": 0.2, "match": {}}],
        "full",
    )
    assert [round(s.target_share, 4) for s in setup.segments] == [0.6, 0.4]
    assert setup.unsegmented_share == 0
    assert "segment_split is full but shares add up to 0.5 (a 0.3 + b 0.2)" in (
        setup.problems[0].message
    )
    partial = read_segments([{"name": "a", "share": 0.3, "match": {}}])
    assert partial.problems == [] and round(partial.unsegmented_share, 6) == 0.7


def test_bad_segments_are_named_by_segment_rule_and_field() -> None:
    setup = read_segments(
        [
            {"name": "zero", "share": 0, "match": {"title": "intern"}},
            {"name": "too-much", "share": 1.5, "match": {"title": "cto"}},
            {"name": "zero", "share": 0.1, "match": {"title": "cto"}},
            {"name": "unsegmented", "share": 0.1, "match": {}},
            {"name": "tone", "share": 0.1, "match": {}, "angle": {"tone": "shouty"}},
            {"name": "preset", "share": 0.1, "match": {}, "angle": {"sequence": "9-step"}},
            {"name": "trigger", "share": 0.1, "match": {"trigger": "ipo"}},
            {"name": "days", "share": 0.1, "match": {"within_days": 30}},
            {"name": "size", "share": 0.1, "match": {"company_size": "lots"}},
            {"name": "level", "share": 0.1, "match": {"seniority": "boss"}},
            {"name": "both", "share": 0.1, "match": {}, "rules": [{}]},
            {"name": "noshare", "match": {}},
            "not a segment",
        ]
    )
    by_segment = {(p.segment, p.field): p for p in setup.problems}
    assert [s.name for s in setup.segments] == ["zero"]
    assert by_segment["zero", "share"].level == "warning"
    assert "held back" in by_segment["zero", "share"].message
    assert "share 1.5 is not a number from 0 to 1" in by_segment["too-much", "share"].message
    assert "another segment has this name" in by_segment["zero", "name"].message
    assert "'unsegmented' is the name of leads no segment takes" in (
        by_segment["unsegmented", "name"].message
    )
    assert "angle.tone 'shouty' is no tone; tones: professional" in (
        by_segment["tone", "angle.tone"].message
    )
    assert "'9-step' is no preset" in by_segment["preset", "angle.sequence"].message
    assert "'ipo' is no trigger" in by_segment["trigger", "trigger"].message
    assert "needs a trigger field beside it" in by_segment["days", "within_days"].message
    assert "'lots' is not a size" in by_segment["size", "company_size"].message
    assert "'boss' is no level" in by_segment["level", "seniority"].message
    assert "either match (one rule) or rules" in by_segment["both", "match"].message
    assert "needs a share" in by_segment["noshare", "share"].message
    assert "segment 13: must be a mapping" in by_segment[None, None].message
    assert all(
        p.level == "error" for p in setup.problems if p.segment != "zero" or p.field != "share"
    )


def test_a_trigger_rule_takes_only_events_within_its_days() -> None:
    def lead(days_old: int) -> Any:
        return prospect_of(
            Lead(name="A", company="Acme", email=f"a{days_old}@acme.example"),
            [funding_fact(days_old)],
            today=TODAY,
        )

    fresh = {"name": "fresh", "share": 0.5, "match": {"trigger": "funding", "within_days": 90}}
    report = segment(spec([fresh]), [lead(12), lead(200)])
    lines = report.lead_lines()
    assert lines[0]["segment"] == "fresh"
    assert lines[0]["matched"] == "funding published 12 days ago"
    assert lines[1]["segment"] == UNSEGMENTED


def test_a_rule_matches_words_not_parts_of_words() -> None:
    ci = {"name": "ci", "share": 0.5, "match": {"title": "CI"}}
    leads = [
        prospect_of(Lead(name="A", company="X", email="a@x.example", title="Social Media Lead"),
                    today=TODAY),
        prospect_of(Lead(name="B", company="X", email="b@x.example", title="Head of CI"),
                    today=TODAY),
    ]  # fmt: skip
    assert [line["segment"] for line in segment(spec([ci]), leads).lead_lines()] == [
        UNSEGMENTED,
        "ci",
    ]


def test_industry_and_country_come_from_research_when_the_file_has_none() -> None:
    researched = [
        FactRecord(kind="profile", text="Ana is based in Berlin, Germany.",
                   attributes={"location": "Berlin, Germany"}),
        FactRecord(kind="company", text="Acme: industry Software, 51-200 employees",
                   attributes={"industry": "Software", "size": "51-200"}),
    ]  # fmt: skip
    ana = prospect_of(Lead(name="Ana", company="Acme", email="ana@acme.example"), researched,
                      today=TODAY)  # fmt: skip
    dach = {"name": "dach", "share": 0.5,
            "match": {"country": ["Germany", "DE"], "industry": "software",
                      "company_size": "50-500"}}  # fmt: skip
    (line,) = segment(spec([dach]), [ana]).lead_lines()
    assert line["segment"] == "dach"
    assert line["matched"] == (
        "industry contains 'software'; company size 51-200 within 50-500; country is Germany"
    )
