"""Whatever a campaign's segments and scoring hold, reading them names problems and never
fails, and the leads are still placed and scored."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.campaigns.spec import CampaignSpec
from agent.planning.operations import prioritize, segment
from agent.planning.scoring_weights import read_scoring
from agent.planning.segment_config import read_segments
from tests.agent.planning.leads_for_planning import TODAY, generated_leads

LEADS = generated_leads(40)
FIELDS = st.sampled_from(
    ["title", "seniority", "industry", "company", "company_size", "country", "language",
     "keywords", "trigger", "within_days", "column.plan", "exclude", "titel", "", "min", "max"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["funding", "vp", "50-500", "1000+", "<50", "DE", "3-step", "direct"]),
)  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(FIELDS, st.text(max_size=8)), inner, max_size=4),
    ),
    max_leaves=20,
)
SEGMENT = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.text(max_size=12), SCALARS),
        "share": st.one_of(st.floats(-1, 2), SCALARS),
        "match": st.dictionaries(FIELDS, JSON, max_size=4),
        "rules": st.lists(st.dictionaries(FIELDS, JSON, max_size=3), max_size=3),
        "angle": JSON,
        "extra": JSON,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    segments=st.one_of(st.lists(st.one_of(SEGMENT, JSON), max_size=5), JSON),
    scoring=JSON,
    split=st.sampled_from(["partial", "full"]),
)
def test_any_segments_and_scoring_are_read_without_failing(
    segments: Any, scoring: Any, split: Any
) -> None:
    setup = read_segments(segments, split)
    assert all(problem.message for problem in setup.problems)
    assert 0 <= setup.unsegmented_share <= 1
    assert abs(
        sum(s.target_share for s in setup.segments) + setup.unsegmented_share - 1
    ) < 1e-6 or (split == "full" or not setup.segments)
    read_scoring(scoring)
    if isinstance(segments, list):
        spec = CampaignSpec(name="fuzz", segments=segments, segment_split=split,
                            scoring=scoring if isinstance(scoring, dict) else {})  # fmt: skip
        report = segment(spec, LEADS)
        assert len(report.split.placements) == len(LEADS)
        ranked = prioritize(spec, LEADS, today=TODAY).ranked
        assert len(ranked) == len(LEADS)
        assert all(item.score == item.score for item in ranked)  # never NaN
