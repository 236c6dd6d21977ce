"""A long run critiques thousands of leads: what the critic derives from a lead's evidence goes
when the lead does, so a worker's memory does not grow with every lead it has judged."""

from __future__ import annotations

import gc
import weakref

from graphs.critic.claim_evidence import index_for
from graphs.critic.grounding import Evidence
from graphs.critic.grounding_check import check_grounding
from tests.factories import variant
from tests.graphs.test_claims_grounding import CAMPAIGN, FACTS, LEAD, TODAY


def test_a_leads_evidence_and_its_claim_index_are_freed_after_its_drafts_are_judged() -> None:
    evidence = Evidence.for_message(LEAD, CAMPAIGN, FACTS)
    for body in (
        "Hi Maya, congratulations on the $32M Series B. Worth a 15-minute call next week?",
        "Hi Maya, the new office in Kraków caught my eye. Worth a 15-minute call next week?",
    ):
        result = check_grounding(
            variant(body), LEAD, {f.id: f for f in FACTS}, evidence, campaign=CAMPAIGN, today=TODAY
        )
        assert result.passed, result.detail
    index = index_for(evidence)
    assert index_for(evidence) is index, "built once per evidence, reused by every draft"
    evidence_alive, index_alive = weakref.ref(evidence), weakref.ref(index)
    del evidence, index
    gc.collect()
    assert evidence_alive() is None and index_alive() is None
