"""The eval's grounding metric holds a draft for an unresearched lead to what the row says."""

from __future__ import annotations

from evals import metrics
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Lead
from tests.factories import POST

LEAD = Lead(name="Alex Moreno", company="Brokenlink Labs", title="Head of Engineering")
CAMPAIGN = Campaign(value_proposition="Brightpath flags flaky tests before they block merges.")
PLAIN = (
    "Hi Alex,\n\nI am writing to you as Head of Engineering at Brokenlink Labs.\n\n"
    "Brightpath flags flaky tests before they block merges.\n\nWorth a call?\n\nAlex Rivera"
)


def draft(body: str) -> Variant:
    return Variant(tone=Tone.PROFESSIONAL, subject="A question for Brokenlink Labs", body=body)


def test_a_claim_only_research_could_make_is_unsupported_when_research_found_nothing() -> None:
    assert metrics.grounding(draft(PLAIN), LEAD, CAMPAIGN, []).unsupported == []
    claimed = PLAIN.replace("I am writing", "I noticed Brokenlink Labs is hiring, so I am writing")
    nothing = metrics.grounding(draft(claimed), LEAD, CAMPAIGN, [])
    assert nothing.unsupported == ["says 'I noticed'", "says 'hiring'"]
    assert 0 <= nothing.grounded_claim_rate < 1.0
    # With research, "I noticed" is an ordinary phrase; its specifics are checked as before.
    assert metrics.grounding(draft(claimed), LEAD, CAMPAIGN, [POST]).unsupported == []
