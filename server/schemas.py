"""Request and response bodies of the REST API (JSON shapes follow seed 000 where it has them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.campaigns.spec import TARGET_ALIASES, TARGET_LIST_KEYS, string_list
from agent.sequences.definition import parse_sequence
from graphs.lead import CampaignCopy, Channel, Language, SenderProfile
from graphs.review_log import ReviewAction
from storage.models import MAX_ROW_ID

MAX_ID = MAX_ROW_ID
"""Larger ids cannot name a row (and would overflow a query)."""
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id.")]
Limit = Annotated[int, Query(ge=1, le=500)]
"""How many rows a list endpoint returns at most."""
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
"""How many rows a list endpoint skips."""
ListedId = Annotated[int, Field(ge=1, le=MAX_ID)]

CampaignStatus = Literal["draft", "active", "paused", "completed", "cancelled"]


class CampaignCopyIn(BaseModel):
    """A campaign's pitch and ask in one more language."""

    model_config = ConfigDict(extra="forbid")

    value_proposition: str = Field(min_length=1, max_length=5000)
    short_pitch: str | None = Field(default=None, max_length=300)
    call_to_action: str | None = Field(default=None, min_length=1, max_length=300)


class CampaignFields(BaseModel):
    """What a campaign says: audience, pitch, guidance and its sending policy."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=5000)
    target_audience: dict[str, Any] | None = Field(
        default=None,
        description="Who to reach: titles, keywords, industries, exclude_keywords (lists of "
        "strings). Seed-style keys are read too: contact_title, industry; other keys (e.g. "
        "company_size) are kept for your own records.",
    )
    min_qualification_score: float | None = Field(default=None, ge=0, le=100)
    value_proposition: str | None = Field(default=None, min_length=1, max_length=5000)
    short_pitch: str | None = Field(default=None, max_length=300)
    call_to_action: str | None = Field(default=None, min_length=1, max_length=300)
    template: str | None = Field(default=None, max_length=5000)
    custom_context: str | None = Field(default=None, max_length=5000)
    linkedin_format: Literal["connection_note", "message"] | None = None
    sender: SenderProfile | None = None
    language: Language | None = Field(
        default=None,
        description="Write every message of the campaign in this language (en, es, fr, de); "
        "null: each lead's own language (the lead's language field, else what their profile "
        "and company pages are written in), else English.",
    )
    translations: dict[Language, CampaignCopyIn] | None = Field(
        default=None,
        description='The pitch and ask in other languages, e.g. {"de": {"value_proposition": '
        '"...", "short_pitch": "...", "call_to_action": "..."}}: a lead written to in German '
        "gets these words; a language without a translation gets the campaign's own. An update "
        "replaces the languages it names and keeps the others; null or {} removes them all.",
    )
    auto_send: bool | None = Field(
        default=None, description="Send without a human when quality and relevance clear the bar."
    )
    min_quality_to_send: float | None = Field(default=None, ge=0, le=1)
    min_relevance_to_send: float | None = Field(default=None, ge=0, le=1)
    variant_allocation: Literal["best", "fixed", "bandit"] | None = Field(
        default=None,
        description="Which draft each send uses: the critic's best, a fixed split across the "
        "passing drafts (default, an A/B test), or a bandit (Thompson sampling on reply rates).",
    )
    prompt_versions: dict[str, str] | None = Field(
        default=None,
        max_length=20,
        description='Pin prompt versions, e.g. {"generate": "v2"}: each name must be a prompt '
        "a run loads (analyze, generate, call_script, follow_up_soft_nudge, "
        "follow_up_new_angle, follow_up_direct_cta, follow_up_breakup) and each version one "
        "of its files in prompts/; anything else is refused (422) naming the available "
        "prompts or versions. The pins apply to every step of the campaign's sequence.",
    )
    sequence: str | list[dict[str, Any]] | None = Field(
        default=None,
        max_length=50,
        description="Follow-ups after the first message: a preset (3-step, 5-step, 7-step, "
        "soft_nudge, direct_cta) or a list of steps, each {channel: email|sms|"
        "linkedin_connect|linkedin_message|call, kind: first_touch|soft_nudge|new_angle|"
        "direct_cta|breakup, delay_business_days, window: 'HH:MM-HH:MM'}. A step that cannot "
        "run is refused (422) naming the step and field.",
    )

    segments: list[dict[str, Any]] | None = Field(
        default=None,
        max_length=50,
        description="Segments, first match wins: each {name, share (0-1 of the week's first "
        "touches), match: {field: values} or rules: [{...}, ...], angle: {tone, emphasis, "
        "sequence}}. Rule fields: title, seniority, industry, company, company_size, country, "
        "language, keywords (in researched facts), trigger (funding, hiring, product_launch, "
        "leadership_change, acquisition, expansion, partnership, post), within_days, "
        "column.NAME, exclude. A segment that cannot be read is refused (422) naming the "
        "segment, rule and field. null or [] removes them.",
    )
    segment_split: Literal["partial", "full"] | None = Field(
        default=None,
        description="partial (default): shares may leave part of the week to unsegmented "
        "leads; full: the shares make up the whole week (scaled to 1, with a warning).",
    )
    scoring: dict[str, Any] | None = Field(
        default=None,
        description='Priority score settings: weights (points per part, e.g. {"funding": '
        "0.4}), half_life_days (a trigger this old counts half; 60), hiring_for (words that "
        "make hiring 'for the problem').",
    )

    mailboxes: list[dict[str, Any]] | None = Field(
        default=None,
        max_length=50,
        description="Sending mailboxes for the weekly plan: each {address, daily_cap (emails a "
        "day), warmup: {start, step, every: day|week, since: YYYY-MM-DD}, window: "
        "'HH:MM-HH:MM', days: [mon, ...], country: ISO code for holidays}. A mailbox that "
        "cannot be read (a cap of 0, an unknown field) is refused (422) naming the mailbox and "
        "field. null or [] leaves the sender mailbox with the server's daily cap.",
    )
    max_contacts_per_account: int | None = Field(
        default=None,
        ge=1,
        le=50,
        description="Contacts at one company (email domain) the weekly plan takes at most (3).",
    )
    stop_account_on_positive_reply: bool | None = Field(
        default=None,
        description="When one contact at a company replies with interest, stop the campaign's "
        "sequences for its other contacts (true unless set false).",
    )

    @field_validator("sequence")
    @classmethod
    def _sequence_runs(cls, value: Any) -> Any:
        parse_sequence(value)  # SequenceError is a ValueError: a 422 naming the step and field
        return value

    @field_validator("target_audience")
    @classmethod
    def _known_lists(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        for key, item in (value or {}).items():
            if key in TARGET_LIST_KEYS or key in TARGET_ALIASES:
                string_list(item, f"target_audience.{key}")
        return value


class CampaignCreate(CampaignFields):
    """POST /campaigns (also /campaigns/create)."""

    name: str = Field(min_length=1, max_length=200)
    channel: Channel


class CampaignUpdate(CampaignFields):
    """PATCH/PUT /campaigns/{id}: only the fields sent change."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    status: CampaignStatus | None = None


class CampaignOut(BaseModel):
    """A campaign as the API returns it."""

    id: int
    name: str
    description: str | None
    channel: str
    status: str
    target_audience: dict[str, Any]
    min_qualification_score: float
    value_proposition: str | None
    short_pitch: str | None
    call_to_action: str
    template: str | None
    custom_context: str | None
    linkedin_format: str
    sender: SenderProfile
    language: Language | None = Field(
        default=None, description="The language every message is written in; null: each lead's."
    )
    translations: dict[Language, CampaignCopy] = Field(
        default_factory=dict, description="The pitch and ask in other languages."
    )
    auto_send: bool
    min_quality_to_send: float | None
    min_relevance_to_send: float | None
    variant_allocation: str
    sequence: str | list[dict[str, Any]] | None = None
    segments: list[Any] = Field(default_factory=list)
    segment_split: str = "partial"
    scoring: dict[str, Any] = Field(default_factory=dict)
    mailboxes: list[Any] = Field(default_factory=list)
    max_contacts_per_account: int = 3
    stop_account_on_positive_reply: bool = True
    prompt_versions: dict[str, str]
    total_messages: int
    messages_sent: int
    total_cost_usd: float
    created_at: dt.datetime
    updated_at: dt.datetime


class CampaignList(BaseModel):
    """A page of campaigns."""

    items: list[CampaignOut]
    limit: int
    offset: int


class GenerateRequest(BaseModel):
    """POST /campaigns/{id}/generate-messages."""

    model_config = ConfigDict(extra="forbid")

    lead_ids: list[ListedId] | None = Field(
        default=None,
        max_length=10_000,
        description="Leads to write to; default: every lead at or above the campaign's "
        "min_qualification_score that has no message in this campaign yet.",
    )
    template: str | None = Field(default=None, max_length=5000)
    custom_context: str | None = Field(default=None, max_length=5000)


class RunOut(BaseModel):
    """A batch run: progress while it runs, the outcome once it ends."""

    id: str
    campaign_id: int
    status: str
    total: int
    processed: int
    approved: int
    sent: int
    queued: int
    rejected: int
    model_calls: int = Field(
        description="Model calls the processed leads made (a lead counted once, however "
        "often a worker was handed it)."
    )
    model_calls_per_lead: float | None = Field(
        description="model_calls / processed; null until a lead is processed."
    )
    lead_ids: list[int]
    started_at: dt.datetime
    finished_at: dt.datetime | None
    error: str | None = Field(
        default=None,
        description="Why the run failed (status 'failed'), e.g. a pinned prompt version that "
        "cannot be loaded; null otherwise.",
    )
    status_url: str
    events_url: str
    messages_url: str


class VariantOut(BaseModel):
    """One draft of a message."""

    variant_number: int
    tone: str
    subject: str | None
    body: str
    quality_score: float | None = None
    passed: bool | None = None
    issues: list[str] = Field(default_factory=list)


class MessageOut(BaseModel):
    """A message: its drafts, the chosen one, and where it stands."""

    id: int
    campaign_id: int
    lead_id: int
    run_id: str
    variants: list[VariantOut]
    selected_variant: int | None = Field(description="Index into variants.")
    selected_tone: str | None
    status: str
    reason: str
    quality_score: float | None
    relevance_score: float | None
    generation_latency_ms: float | None
    generation_cost_usd: float
    version: int
    provider_message_id: str | None
    scheduled_for: dt.datetime | None
    sent_at: dt.datetime | None
    delivery_error: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class MessageVariants(BaseModel):
    """GET /messages/{id}/variants: a message's drafts and the chosen one (the seed's shape)."""

    message_id: int
    variants: list[VariantOut]
    selected_variant: int | None = Field(description="Index into variants.")
    selected_tone: str | None
    status: str


class MessageList(BaseModel):
    """A page of messages."""

    items: list[MessageOut]
    total: int
    limit: int
    offset: int


class GenerateResult(BaseModel):
    """A finished run in the shape earlier clients read (generate-messages?wait=true)."""

    success: bool
    campaign_id: int
    run_id: str
    status: str
    error: str | None = Field(
        default=None, description="Why the run failed when success is false; null otherwise."
    )
    messages_generated: int
    total_cost_usd: float
    average_latency_ms: float
    messages: list[MessageOut]


class StatusUpdate(BaseModel):
    """PUT /messages/{id}/status: what a delivery system reports about a message."""

    model_config = ConfigDict(extra="forbid")

    status: Literal[
        "sent", "delivered", "opened", "clicked", "replied", "bounced", "failed", "unsubscribed"
    ]
    channel_data: dict[str, Any] = Field(
        default_factory=dict, description='e.g. {"email_id": "msg_123", "provider": "sendgrid"}'
    )


class ReviewRequest(ReviewAction):
    """POST /messages/{id}/review: a reviewer's decision on a queued message."""

    model_config = ConfigDict(extra="forbid")

    expected_version: int | None = Field(
        default=None, description="The version you looked at; a changed message is refused."
    )
    reviewer: str = Field(default="api", min_length=1, max_length=200)


class ReviewOut(BaseModel):
    """What a review action did."""

    message: MessageOut
    feedback: str | None = Field(
        description="Why the action was not applied as asked (e.g. the critic refused an edit)."
    )
