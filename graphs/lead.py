"""Who we write to, and the campaign we write for."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Channel(StrEnum):
    """Where a message goes."""

    EMAIL = "email"
    LINKEDIN = "linkedin"
    SMS = "sms"


class Lead(BaseModel):
    """A person to reach, with what the lead file told us about them."""

    model_config = ConfigDict(frozen=True)

    name: str
    company: str
    email: str | None = None
    title: str | None = None
    phone: str | None = None
    profile_url: str | None = None
    company_url: str | None = None
    linkedin_url: str | None = None
    industry: str | None = None
    source: str | None = Field(default=None, description="Where the lead came from (file:row).")
    extra: dict[str, str] = Field(default_factory=dict)

    @property
    def first_name(self) -> str:
        """Return the first word of the name."""
        return self.name.split()[0] if self.name.split() else self.name


class SenderProfile(BaseModel):
    """Who signs the messages; its words count as grounded."""

    name: str = "Alex Rivera"
    title: str | None = None
    company: str = "Brightpath"
    signature: str | None = None
    postal_address: str | None = None
    email: str | None = Field(default=None, description="The mailbox messages go from.")


class TargetAudience(BaseModel):
    """Who the campaign is for; drives the relevance score."""

    titles: list[str] = Field(default_factory=list, description="Title keywords, e.g. 'CTO'.")
    keywords: list[str] = Field(
        default_factory=list, description="Topics that signal fit, e.g. 'CI', 'flaky tests'."
    )
    industries: list[str] = Field(default_factory=list)
    exclude_keywords: list[str] = Field(
        default_factory=list, description="Signals of a poor fit, e.g. 'bakery'."
    )


class Campaign(BaseModel):
    """What we sell, to whom, on which channel, with what extra guidance."""

    name: str = "default"
    channel: Channel = Channel.EMAIL
    value_proposition: str
    short_pitch: str | None = Field(
        default=None, description="One-line pitch for short channels (SMS, LinkedIn notes)."
    )
    custom_context: str | None = None
    template: str | None = Field(
        default=None, description="Optional opening the writer must follow; may use {{variables}}."
    )
    call_to_action: str = "Worth a 15-minute call next week?"
    linkedin_format: str = Field(default="connection_note", pattern="^(connection_note|message)$")
    sender: SenderProfile = Field(default_factory=SenderProfile)
    target: TargetAudience = Field(default_factory=TargetAudience)
