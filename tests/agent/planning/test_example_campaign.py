"""The example planning campaign works on the demo leads, and still runs as a campaign."""

from __future__ import annotations

from agent.campaigns.files import load_campaign, load_campaign_spec
from agent.leads.files import read_leads
from agent.planning.operations import prioritize, segment
from agent.planning.prospects import prospects_of
from tests.agent.planning.leads_for_planning import TODAY
from tests.conftest import EXAMPLES

PLANNING = EXAMPLES / "planning-campaign.yaml"


def test_the_example_splits_the_demo_leads_on_their_columns() -> None:
    spec = load_campaign_spec(PLANNING)
    leads = read_leads(EXAMPLES / "leads.csv")
    prospects = prospects_of(leads.leads, {}, today=TODAY)
    report = segment(spec, prospects)
    placed = {line["name"]: line["segment"] for line in report.lead_lines()}
    assert placed == {
        "Maya Okafor": "eng-leaders",  # no facts read: her funding is not known here
        "Daniel Brandt": "platform",
        "Priya Natarajan": "eng-leaders",
        "Tom Keller": "hold-back",  # Harbor & Pine Bakery
        "Sofia Lindqvist": "eng-leaders",
        "Jonas Weber": "eng-leaders",
        "Alex Moreno": "eng-leaders",
    }
    (warning,) = report.planning.problems
    assert warning.segment == "hold-back" and "held back" in warning.message
    ranked = prioritize(spec, prospects, today=TODAY).ranked
    assert ranked[-1].prospect.name == "Tom Keller"
    assert any("which the campaign excludes" in part.reason for part in ranked[-1].parts)
    assert load_campaign(PLANNING).name == spec.name  # `outreach run` takes the same file
