"""Golden leads: pinned research and what a good run must (and must never) produce.

Each golden lead is one YAML file under `evals/golden/leads/`. It names a campaign file from
`evals/golden/campaigns/`, the lead, the facts research returned (recorded, so runs are
reproducible offline), and the expectations the eval checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graphs.lead import Campaign, Channel, Lead
from tools.facts import Fact

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

Tag = Literal[
    "strong_fit",
    "weak_fit",
    "poor_fit",
    "rich_research",
    "thin_research",
    "stale_news",
    "prompt_injection",
    "non_english",
    "invalid_contact",
    "template",
    "custom_context",
]


class GoldenSetError(Exception):
    """A golden file is malformed; the message names the file and the field."""


class Expectations(BaseModel):
    """What a good run does with this lead."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["send", "queue", "reject"]
    """The expected decision with auto-send on (the eval runs with auto-send on)."""
    must_use_facts: list[str] = Field(default_factory=list)
    """Fact ids a good message uses: at least one of them must back a hook of the sent draft."""
    must_not_claim: list[str] = Field(default_factory=list)
    """Phrases that must never appear in any draft (things the facts do not say)."""
    max_chars: int | None = None
    """A channel limit on top of the critic's own (e.g. 160 for one SMS segment)."""


class GoldenLead(BaseModel):
    """One golden lead: input pinned, expectations stated."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str
    tags: list[Tag] = Field(min_length=1)
    campaign: str
    """Name of a file in evals/golden/campaigns/ (without .yaml)."""
    channel: Channel | None = None
    """Overrides the campaign's channel."""
    today: dt.date = dt.date(2026, 11, 22)
    lead: Lead
    facts: list[Fact] = Field(default_factory=list)
    """What research returned, recorded (ids must be unique)."""
    expect: Expectations

    @model_validator(mode="after")
    def _facts_are_consistent(self) -> GoldenLead:
        ids = [fact.id for fact in self.facts]
        if len(ids) != len(set(ids)):
            raise ValueError("fact ids must be unique")
        unknown = sorted(set(self.expect.must_use_facts) - set(ids))
        if unknown:
            raise ValueError(f"expect.must_use_facts names unknown facts: {', '.join(unknown)}")
        return self

    def input_hash(self, campaign: Campaign) -> str:
        """Hash everything that goes into a run of this lead (for caching generations)."""
        payload = {
            "lead": self.lead.model_dump(mode="json"),
            "facts": [fact.model_dump(mode="json") for fact in self.facts],
            "campaign": campaign.model_dump(mode="json"),
            "today": self.today.isoformat(),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GoldenSetError(f"{path}: not valid YAML: {exc}") from None


def _explain(path: Path, exc: ValidationError) -> GoldenSetError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    return GoldenSetError(f"{path.name}: {where}: {first['msg']}")


def load_campaigns(root: Path = GOLDEN_DIR) -> dict[str, Campaign]:
    """Load every campaign of the golden set by file name."""
    campaigns: dict[str, Campaign] = {}
    for path in sorted((root / "campaigns").glob("*.yaml")):
        try:
            campaigns[path.stem] = Campaign.model_validate(_load_yaml(path))
        except ValidationError as exc:
            raise _explain(path, exc) from None
    return campaigns


def load_golden(root: Path = GOLDEN_DIR) -> tuple[list[GoldenLead], dict[str, Campaign]]:
    """Load and check the golden set: every lead, and the campaigns they name."""
    campaigns = load_campaigns(root)
    leads: list[GoldenLead] = []
    for path in sorted((root / "leads").glob("*.yaml")):
        try:
            golden = GoldenLead.model_validate(_load_yaml(path))
        except ValidationError as exc:
            raise _explain(path, exc) from None
        if golden.id != path.stem:
            raise GoldenSetError(f"{path.name}: id {golden.id!r} must match the file name")
        if golden.campaign not in campaigns:
            raise GoldenSetError(f"{path.name}: campaign: no campaigns/{golden.campaign}.yaml")
        leads.append(golden)
    if not leads:
        raise GoldenSetError(f"no golden leads under {root / 'leads'}")
    return leads, campaigns


def campaign_for(golden: GoldenLead, campaigns: dict[str, Campaign]) -> Campaign:
    """Return the campaign a golden lead runs under (with its channel override)."""
    campaign = campaigns[golden.campaign]
    if golden.channel is not None:
        campaign = campaign.model_copy(update={"channel": golden.channel})
    return campaign
