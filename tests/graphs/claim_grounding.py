"""Run the grounding check on one body, as the claim tests do in every language."""

from __future__ import annotations

from datetime import date

from graphs.critic.grounding import Evidence
from graphs.critic.grounding_check import check_grounding
from graphs.drafts import CheckResult
from graphs.lead import Campaign, Lead
from tests.factories import variant
from tools.facts import Fact


def grounding_of(
    body: str,
    language: str,
    *,
    lead: Lead,
    facts: list[Fact],
    campaign: Campaign,
    today: date,
    subject: str | None = None,
) -> CheckResult:
    """The grounding verdict on a draft with this body (and subject, if any)."""
    return check_grounding(
        variant(body, subject=subject),
        lead,
        {f.id: f for f in facts},
        Evidence.for_message(lead, campaign, facts),
        campaign=campaign,
        today=today,
        language=language,
    )
