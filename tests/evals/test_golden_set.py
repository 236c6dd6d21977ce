"""The committed golden and calibration sets cover what the eval promises."""

from __future__ import annotations

from collections import Counter

from evals.calibration_set import DEFECTS, load_calibration
from evals.golden_set import campaign_for, load_golden


def test_the_golden_set_covers_channels_fits_and_hostile_input() -> None:
    leads, campaigns = load_golden()
    assert len(leads) >= 30
    channels = Counter(campaign_for(g, campaigns).channel.value for g in leads)
    assert set(channels) == {"email", "linkedin", "sms"}
    tags = Counter(tag for g in leads for tag in g.tags)
    for needed in ("strong_fit", "weak_fit", "rich_research", "thin_research", "stale_news",
                   "prompt_injection", "non_english"):  # fmt: skip
        assert tags[needed] >= 1, needed
    decisions = Counter(g.expect.decision for g in leads)
    assert decisions["send"] and decisions["queue"] and decisions["reject"]
    for golden in leads:
        if golden.expect.decision != "reject":
            assert golden.expect.must_not_claim, f"{golden.id}: say what must never be claimed"


def test_the_calibration_set_labels_every_defect() -> None:
    leads, _ = load_golden()
    cases = load_calibration()
    assert len(cases) >= 60
    counts = Counter(case.defect for case in cases)
    assert all(counts[defect] >= 6 for defect in DEFECTS), counts
    assert {case.golden for case in cases} <= {g.id for g in leads}
