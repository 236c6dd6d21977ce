"""One campaign type for files, the API and the database: what a campaign says, and its mapping.

A campaign file, an API create or patch and a stored row all become a `CampaignSpec`; the
pipeline's `Campaign` comes from it (`pipeline_campaign`), and so does the API's view. The value
proposition is optional here (a campaign may be created before its pitch is written; None means
"not set", never "") and required in one place, when the campaign is to run. Only the row
mapping (agent/campaigns/stored.py) knows the database column holds "" for "not set".
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.sequences.definition import SequenceDefinition, parse_sequence
from graphs.lead import Campaign, CampaignCopy, Channel, Language, SenderProfile, TargetAudience

TARGET_LIST_KEYS = ("titles", "keywords", "industries", "exclude_keywords")
TARGET_ALIASES = {"contact_title": "titles", "title": "titles", "industry": "industries"}
PIPELINE_FIELDS = (
    "value_proposition", "short_pitch", "call_to_action", "template", "custom_context",
    "linkedin_format", "sender", "language", "translations",
)  # fmt: skip
"""The fields of the pipeline's Campaign a spec carries (besides name, channel and target)."""
POLICY_FIELDS = ("auto_send", "min_quality_to_send", "min_relevance_to_send", "variant_allocation")
Allocation = Literal["best", "fixed", "bandit"]


class CampaignNeedsPitch(ValueError):
    """The campaign has no value proposition, so the writer would not know what is offered."""


def string_list(value: Any, where: str) -> list[str]:
    """Return a string or list of strings as a list; raise ValueError naming `where`."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError(f"{where} must be a string or a list of strings")


def target_from(raw: dict[str, Any]) -> TargetAudience:
    """Read our list keys and the seed's single-value keys into a TargetAudience."""
    lists: dict[str, list[str]] = {key: [] for key in TARGET_LIST_KEYS}
    for key, value in raw.items():
        field = key if key in TARGET_LIST_KEYS else TARGET_ALIASES.get(key)
        if field is not None:
            lists[field] += string_list(value, f"target_audience.{key}")
    return TargetAudience(**lists)


class SendingPolicy(BaseModel):
    """How a campaign sends; None leaves the server's setting in force."""

    model_config = ConfigDict(extra="ignore")

    auto_send: bool | None = None
    min_quality_to_send: float | None = None
    min_relevance_to_send: float | None = None
    variant_allocation: Allocation | None = None

    @property
    def allocation(self) -> Allocation:
        """How each send's draft is picked: fixed (an A/B split) unless the campaign says."""
        return self.variant_allocation or "fixed"


class CampaignSpec(BaseModel):
    """Everything a campaign says, wherever it came from."""

    model_config = ConfigDict(extra="ignore")

    name: str
    channel: Channel = Channel.EMAIL
    description: str | None = None
    target_audience: dict[str, Any] = Field(
        default_factory=dict, description="As given: our list keys, the seed's keys, and others."
    )
    min_qualification_score: float = 0.0
    value_proposition: str | None = None
    short_pitch: str | None = None
    call_to_action: str | None = None
    template: str | None = None
    custom_context: str | None = None
    linkedin_format: Literal["connection_note", "message"] | None = None
    sender: SenderProfile | None = None
    language: Language | None = Field(
        default=None, description="Write every message in this language; None: each lead's own."
    )
    translations: dict[Language, CampaignCopy] = Field(
        default_factory=dict, description="The pitch and ask in other languages."
    )
    policy: SendingPolicy = Field(default_factory=SendingPolicy)
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    sequence: SequenceDefinition | None = Field(
        default=None,
        description="The steps after enrolment: a preset name or a list of steps; None sends "
        "one message per lead.",
    )
    segments: list[Any] = Field(
        default_factory=list,
        description="Segments as written (name, share, match or rules, angle); agent/planning "
        "reads them and names what is wrong with each.",
    )
    segment_split: Literal["partial", "full"] = Field(
        default="partial",
        description="partial: shares may leave part of the week to unsegmented leads; full: "
        "the segments' shares make up the whole week.",
    )
    scoring: dict[str, Any] = Field(
        default_factory=dict,
        description="Priority score settings as written: weights, half_life_days, hiring_for.",
    )
    mailboxes: list[Any] = Field(
        default_factory=list,
        description="Sending mailboxes as written (address, daily_cap, warmup, window, days, "
        "country); agent/planning/cadence_config.py reads them and names what is wrong with "
        "each. Empty: the sender mailbox with the server's daily cap.",
    )
    max_contacts_per_account: int = Field(
        default=3,
        ge=1,
        le=50,
        description="Contacts at one company (email domain) the weekly plan takes at most.",
    )
    stop_account_on_positive_reply: bool = Field(
        default=True,
        description="When one contact at a company replies with interest, stop the campaign's "
        "sequences for the company's other contacts (a person takes the account over).",
    )

    @field_validator("sequence", mode="before")
    @classmethod
    def _read_sequence(cls, value: object) -> SequenceDefinition | None:
        return parse_sequence(value)

    @classmethod
    def of_campaign(cls, campaign: Campaign) -> CampaignSpec:
        """Return the spec of a pipeline Campaign (from a campaign file or the command line)."""
        return cls(
            name=campaign.name,
            channel=campaign.channel,
            target_audience=campaign.target.model_dump(),
            **{key: getattr(campaign, key) for key in PIPELINE_FIELDS},
        )

    @property
    def pitch(self) -> str | None:
        """The value proposition, or None when it is unset or blank."""
        text = (self.value_proposition or "").strip()
        return self.value_proposition if text else None

    def target(self) -> TargetAudience:
        """Return who the campaign is for, as the pipeline scores relevance."""
        return target_from(self.target_audience)

    def shown(self) -> Campaign:
        """Return the campaign with the pipeline's defaults filled in, for people to read; its
        value proposition may be empty (use `pipeline_campaign` to run it)."""
        values = {
            key: getattr(self, key) for key in PIPELINE_FIELDS if getattr(self, key) is not None
        }
        values["value_proposition"] = self.pitch or ""
        return Campaign(name=self.name, channel=self.channel, target=self.target(), **values)

    def pipeline_campaign(self) -> Campaign:
        """Return the Campaign the pipeline runs; raise CampaignNeedsPitch without a pitch."""
        if self.pitch is None:
            raise CampaignNeedsPitch(
                f"campaign {self.name!r} needs a value proposition: set value_proposition so "
                "the writer knows what you offer"
            )
        values = {
            key: getattr(self, key) for key in PIPELINE_FIELDS if getattr(self, key) is not None
        }
        return Campaign(name=self.name, channel=self.channel, target=self.target(), **values)

    def with_changes(self, changes: dict[str, Any]) -> CampaignSpec:
        """Return the spec with these fields changed (policy fields by name; None in a policy
        field restores the server's setting; a None pitch leaves the pitch as it was)."""
        data = self.model_dump()
        data["sequence"] = self.sequence  # kept as a definition, not its dumped fields
        policy = data["policy"]
        for key, value in changes.items():
            if key in POLICY_FIELDS:
                policy[key] = value
            elif key == "value_proposition" and value is None:
                continue
            elif key == "sequence":
                data[key] = parse_sequence(value)
            elif key == "translations":
                # Per language: a change to the German copy keeps the French one.
                data[key] = {**data[key], **value} if value else {}
            elif key in ("prompt_versions", "target_audience", "scoring"):
                data[key] = value or {}
            elif key in ("segments", "mailboxes"):
                data[key] = value or []
            elif key in ("max_contacts_per_account", "stop_account_on_positive_reply") and (
                value is None
            ):
                continue
            elif key == "segment_split":
                data[key] = value or "partial"
            elif key == "min_qualification_score" and value is None:
                continue
            elif key in type(self).model_fields:
                data[key] = value
        return type(self).model_validate(data)
