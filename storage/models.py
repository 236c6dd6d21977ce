"""The database schema: SQLAlchemy 2.x models shared by SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# JSONB on PostgreSQL (indexable, compact), plain JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")


def _now() -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


MAX_ROW_ID = 2**31 - 1
"""Integer primary keys are 32-bit (PostgreSQL `integer`): a larger number names no row."""


class Base(DeclarativeBase):
    """Base of every model."""


class CampaignRow(Base):
    """A campaign: what is sold, to whom, on which channel, and its running totals."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    channel: Mapped[str] = mapped_column(String(20))
    target_audience: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    min_qualification_score: Mapped[float] = mapped_column(Float, default=0.0)
    value_proposition: Mapped[str] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    total_messages: Mapped[int] = mapped_column(Integer, default=0)
    messages_sent: Mapped[int] = mapped_column(Integer, default=0)
    total_cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[dt.datetime] = _now()
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class LeadRow(Base):
    """A person to reach; one row per normalized email address."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    email_normalized: Mapped[str | None] = mapped_column(String(320), unique=True)
    company: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    profile_url: Mapped[str | None] = mapped_column(Text)
    company_url: Mapped[str | None] = mapped_column(Text)
    linkedin_url: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    """The language to write to the lead in (en, es, fr, de), as the lead file or API gave it;
    None: inferred at each run from the lead's pages, else the campaign's."""
    extra: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    source: Mapped[str | None] = mapped_column(String(300))
    qualification_score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="new")
    created_at: Mapped[dt.datetime] = _now()
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class FactRow(Base):
    """A fact research found about a lead, with its source."""

    __tablename__ = "facts"

    lead_id: Mapped[int] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    fact_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text)
    tool: Mapped[str] = mapped_column(String(80))
    published: Mapped[dt.date | None] = mapped_column(Date)
    retrieved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attributes: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class AnalysisRow(Base):
    """The analyst's view of a lead in one run."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    relevance_score: Mapped[float] = mapped_column(Float)
    data: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = _now()


CURRENT_MESSAGE = "superseded_by IS NULL"
"""The rows the one-message-per-lead-and-step index covers (not the superseded history)."""


class MessageRow(Base):
    """The drafts for one lead in one campaign, the chosen one, and where it stands.

    A lead has one current message per campaign and sequence step: a re-run rewrites it in
    place while nobody has acted on it, and the unique index refuses a second one.
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("run_id", "lead_id"),
        Index(
            "uq_messages_current_lead_step",
            "campaign_id",
            "lead_id",
            "sequence_step",
            unique=True,
            sqlite_where=text(CURRENT_MESSAGE),
            postgresql_where=text(CURRENT_MESSAGE),
        ),
        Index("ix_messages_campaign_status", "campaign_id", "status"),
        Index("ix_messages_mailbox_sent_at", "mailbox", "sent_at"),
        Index("ix_messages_domain_sent_at", "recipient_domain", "sent_at"),
        # A lead's first send in a campaign, looked up per lead (campaign metrics).
        Index("ix_messages_campaign_lead_sent", "campaign_id", "lead_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    sequence_step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Which message of the campaign's sequence this is: 0, the first (follow-ups: 1, 2, ...)."""
    superseded_by: Mapped[int | None] = mapped_column(Integer)
    """Set on a duplicate kept only as history: the id of the lead's current message."""
    source_row: Mapped[str | None] = mapped_column(String(300))
    """The input row (file:row) this message came from, to resume a run without email keys."""
    thread_id: Mapped[str | None] = mapped_column(String(400), unique=True)
    """The LangGraph checkpoint thread of this lead's run; a queued message waits there."""
    variants: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    selected_variant: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    quality_score: Mapped[float | None] = mapped_column(Float)
    relevance_score: Mapped[float | None] = mapped_column(Float)
    generation: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    """latency_ms, provider, models, prompts (id, version, sha256), calls."""
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped on every change, so a reviewer acting on a stale copy is refused."""
    reviews: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    """Review actions in order (approve, edit with original and edited text, reject, ...)."""
    created_at: Mapped[dt.datetime] = _now()
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    scheduled_for: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """When an approved message may go at the earliest (throttling, send window, retries)."""
    mailbox: Mapped[str | None] = mapped_column(String(320))
    """The sender address it went from: the daily cap and gap are counted per mailbox."""
    recipient_domain: Mapped[str | None] = mapped_column(String(255))
    email_message_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    """The Message-ID header it was sent with; a reply's In-Reply-To points at it."""
    delivery_error: Mapped[str | None] = mapped_column(Text)
    sending_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """Set while a sender is composing and sending it: another sender leaves it alone until
    then (a sender that died leaves it to the send ledger after that)."""


class DeliveryRow(Base):
    """The send ledger: a key is written before the provider is called, so nothing goes twice."""

    __tablename__ = "deliveries"

    idempotency_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The message's place in its campaign's sequence: one send per recipient and step."""
    recipient: Mapped[str] = mapped_column(String(320))
    owner: Mapped[str] = mapped_column(String(400))
    """The lead (source|name) sending under this key; another lead with the address is refused."""
    status: Mapped[str] = mapped_column(String(20))
    """pending (provider being called), sent, failed, uncertain (died while pending), or held
    (uncertain, and the provider's log could not tell in time: a person decides)."""
    provider: Mapped[str | None] = mapped_column(String(40))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    tone: Mapped[str | None] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    attempted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """When the current attempt began: a send cut off mid-call is looked up from then on."""
    created_at: Mapped[dt.datetime] = _now()
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class EngagementCounters:
    """What happened to sent messages, counted (shared by the per-message and rollup rows)."""

    sent: Mapped[int] = mapped_column(Integer, default=0)
    delivered: Mapped[int] = mapped_column(Integer, default=0)
    opened: Mapped[int] = mapped_column(Integer, default=0)
    clicked: Mapped[int] = mapped_column(Integer, default=0)
    replied: Mapped[int] = mapped_column(Integer, default=0)
    bounced: Mapped[int] = mapped_column(Integer, default=0)
    unsubscribed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    complained: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class VariantStatRow(EngagementCounters, Base):
    """Engagement counters for one variant of one message."""

    __tablename__ = "variant_stats"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    tone: Mapped[str] = mapped_column(String(20), primary_key=True)


class CampaignToneStatRow(EngagementCounters, Base):
    """Per-campaign, per-tone totals kept up to date on write, so analytics reads a few rows."""

    __tablename__ = "campaign_tone_stats"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    tone: Mapped[str] = mapped_column(String(20), primary_key=True)


class EventRow(Base):
    """Something that happened (append-only): a send, a webhook event, a review action."""

    __tablename__ = "events"
    # A campaign's events of one type (its replies) without reading all of its events.
    __table_args__ = (Index("ix_events_campaign_type", "campaign_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    """A provider's event id, so a replayed webhook is recorded once."""
    payload: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    occurred_at: Mapped[dt.datetime] = _now()


class SuppressionRow(Base):
    """An address that must never be contacted (stored as a hash)."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reason: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = _now()


class ApiKeyRow(Base):
    """An API key for the REST API; only its SHA-256 is stored, never the key itself."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    """The key's first characters, so people can tell their keys apart."""
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = _now()
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    """A batch run: its progress and outcome."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    queued: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    approved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Leads whose message cleared the bar and waits for the campaign's sender."""
    model_calls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Model calls the run's counted leads made (each lead's once, however often counted)."""
    options: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    started_at: Mapped[dt.datetime] = _now()
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    """Why a failed run failed (e.g. a pinned prompt that cannot be loaded); None otherwise."""


class CountedLeadRow(Base):
    """A lead a run has counted in its progress (stored, kept or erased), once.

    Workers may be handed a lead twice (a broker redelivering it, a run queued again); the
    primary key lets only the first count it, and says the lead is done.
    """

    __tablename__ = "run_counted_leads"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[str] = mapped_column(String(400), primary_key=True)
    decision: Mapped[str] = mapped_column(String(20))
