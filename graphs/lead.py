"""Who we write to, and the campaign we write for."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_validator,
    model_serializer,
)

NAME_LIMIT = 200
"""Characters in a name, company, title or industry (the database's column width)."""
URL_LIMIT = 2048
"""Characters in a URL (what browsers and CDNs reliably carry)."""
CUSTOM_FIELD_LIMIT = 5000
"""Characters in one custom field's value (notes, say): a long note, not a document."""
CUSTOM_FIELDS_LIMIT = 100
"""Custom fields with a value, per lead."""
FIELD_LIMITS: dict[str, int] = {
    "name": NAME_LIMIT,
    "first_name": NAME_LIMIT,
    "last_name": NAME_LIMIT,
    "company": NAME_LIMIT,
    "title": NAME_LIMIT,
    "industry": NAME_LIMIT,
    "email": 254,  # the longest address SMTP carries (RFC 5321 path limit)
    "phone": 40,
    "profile_url": URL_LIMIT,
    "company_url": URL_LIMIT,
    "linkedin_url": URL_LIMIT,
    "source": 300,
    "custom field name": NAME_LIMIT,
    "custom field": CUSTOM_FIELD_LIMIT,
}
"""How long each lead field may be, in characters. A lead file row or an API lead over one is
refused by row and field; the model refuses it too, whatever built it."""

_Name = Annotated[str, StringConstraints(max_length=NAME_LIMIT)]
_Url = Annotated[str, StringConstraints(max_length=URL_LIMIT)]
_Custom = Annotated[str, StringConstraints(max_length=CUSTOM_FIELD_LIMIT)]


Language = Literal["en", "es", "fr", "de"]
"""The languages the product writes and checks in (ISO 639-1)."""
LANGUAGES: tuple[Language, ...] = ("en", "es", "fr", "de")


class Channel(StrEnum):
    """Where a message goes."""

    EMAIL = "email"
    LINKEDIN = "linkedin"
    SMS = "sms"


class Lead(BaseModel):
    """A person to reach, with what the lead file told us about them."""

    model_config = ConfigDict(frozen=True)

    name: _Name
    company: _Name
    email: str | None = Field(default=None, max_length=FIELD_LIMITS["email"])
    title: _Name | None = None
    phone: str | None = Field(default=None, max_length=FIELD_LIMITS["phone"])
    profile_url: _Url | None = None
    company_url: _Url | None = None
    linkedin_url: _Url | None = None
    industry: _Name | None = None
    source: str | None = Field(
        default=None,
        max_length=FIELD_LIMITS["source"],
        description="Where the lead came from (file:row).",
    )
    extra: dict[_Name, _Custom] = Field(default_factory=dict, max_length=CUSTOM_FIELDS_LIMIT)
    language: Language | None = Field(
        default=None,
        description="The language to write to this lead in (en, es, fr, de); None: inferred "
        "from the lead's profile and company site, else the campaign's.",
    )

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
    booking_url: _Url | None = Field(
        default=None,
        description="A booking page (Calendly, HubSpot Meetings...) offered to a meeting request.",
    )


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


class CampaignCopy(BaseModel):
    """The campaign's own words in one more language, for leads written to in it."""

    model_config = ConfigDict(extra="forbid")

    value_proposition: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    short_pitch: str | None = None
    call_to_action: str | None = None

    @field_validator("short_pitch", "call_to_action")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        """A blank short pitch or ask is none: the campaign's own stands in for it."""
        return value.strip() or None if value is not None else None


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
    language: Language | None = Field(
        default=None,
        description="Write every message of the campaign in this language; None: each lead's "
        "own language where known, else English.",
    )
    translations: dict[Language, CampaignCopy] = Field(
        default_factory=dict,
        description="The pitch and ask in other languages. A lead written to in a language the "
        "campaign has no copy for gets the campaign's own words.",
    )
    emphasis: str | None = Field(
        default=None,
        description="The value proposition to lead with for this lead: its segment's angle "
        "(set per lead once it is placed; graphs/segment_angle.py). The campaign's own words, "
        "as its pitch is.",
    )

    @model_serializer(mode="wrap")
    def _without_emphasis_when_none(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave `emphasis` out when the lead has none, so such campaigns read as before."""
        data = handler(self)
        if isinstance(data, dict) and data.get("emphasis") is None:
            data.pop("emphasis", None)
        return data

    def in_language(self, language: Language) -> Campaign:
        """Return the campaign as a message in language uses it: its pitch, short pitch and ask
        from the translation where the campaign has one, its own words otherwise."""
        copy = self.translations.get(language)
        if copy is None:
            return self
        return self.model_copy(
            update={
                "value_proposition": copy.value_proposition,
                # The campaign's own short pitch would be pasted untranslated: without one,
                # a message in the language says its value proposition.
                "short_pitch": copy.short_pitch,
                "call_to_action": copy.call_to_action or self.call_to_action,
            }
        )

    def writes_in(self, language: Language) -> bool:
        """Whether the campaign has words in language: its own are in its language (English
        unless it names one), and each translation adds one."""
        return language == (self.language or "en") or language in self.translations
