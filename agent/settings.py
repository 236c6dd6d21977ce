"""One settings object: OUTREACH_* environment variables, OPENAI_* aliases, optional TOML file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, PrivateAttr, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from agent.redis_urls import limits_url_of_broker
from agent.unsubscribe_reach import unreachable_unsubscribe_base

CONFIG_FILE_ENV = "OUTREACH_CONFIG_FILE"
DEFAULT_CONFIG_FILE = Path("outreach.toml")

# USD per million tokens (input, output). Edit or extend with OUTREACH_LLM_PRICES for your
# provider; unknown models are costed at zero and reported as such.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}


DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8001"
REAL_MAIL_PROVIDERS = ("sendgrid", "smtp")
"""Email providers whose mail leaves this machine (dry-run only writes an outbox file)."""


class Settings(BaseSettings):
    """Everything configurable, read once at start-up."""

    # An empty variable counts as unset: a compose file passes `${VAR:-}` through as "".
    model_config = SettingsConfigDict(
        env_prefix="OUTREACH_",
        env_file=".env",
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,
    )

    llm_provider: Literal["auto", "offline", "openai"] = Field(
        default="auto",
        description="'offline' (no model), 'openai' (any OpenAI-compatible endpoint), or 'auto': "
        "openai when an API key or base URL is configured, else offline.",
    )
    llm_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OUTREACH_LLM_BASE_URL", "OPENAI_BASE_URL", "llm_base_url"),
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OUTREACH_LLM_API_KEY", "OPENAI_API_KEY", "llm_api_key"),
    )
    llm_model: str = "gpt-4o-mini"
    llm_temperature: float | None = Field(
        default=None, description="Used when a prompt file sets no temperature."
    )
    llm_timeout_s: float = 60.0
    llm_max_retries: int = Field(default=3, description="Retries on 429/5xx/timeouts.")
    llm_structured_output: Literal["json_schema", "json_object", "none"] = "json_schema"
    llm_requests_per_second: float = Field(default=2.0, description="Global model call rate.")
    llm_fallback: Literal["offline", "none"] = "offline"
    claim_judge: bool = Field(
        default=False,
        description="On the openai provider, also ask the model whether the facts support the "
        "sentences about the lead that the critic's exact checks cannot decide (one call per "
        "lead, only when there are such sentences). It never lifts a refused number or date.",
    )
    llm_prices: dict[str, tuple[float, float]] = Field(default_factory=lambda: dict(DEFAULT_PRICES))
    chat_history_tokens: int = Field(
        default=24_000,
        ge=1_000,
        description="How much of an `outreach chat` conversation (approximate tokens, newest "
        "first) the model is shown each turn; older turns stay stored but are not resent.",
    )

    data_dir: Path = Path(".outreach")
    database_url: str | None = Field(
        default=None,
        description="e.g. postgresql+asyncpg://localhost/outreach; default: SQLite in data_dir.",
    )
    campaign_defaults: Path | None = Field(
        default=None,
        description="A campaign YAML/JSON whose sender, value proposition and call to action "
        "new API campaigns start from (`outreach serve --campaign-defaults`).",
    )
    concurrency: int = Field(default=4, ge=1, le=256, description="Leads in flight per run.")
    broker_url: str | None = Field(
        default=None,
        description="Celery broker for distributed runs (redis://host:6379/0 or "
        "amqp://guest:guest@host:5672//): `outreach run --distributed` and the API put leads "
        "on it, `outreach worker` processes take them. Unset: everything runs in-process.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis holding the rate limits every worker shares (model calls, mailbox "
        "sends, research hosts), e.g. redis://host:6379/1. Unset: the broker's Redis when the "
        "broker is Redis, else limits are per process.",
    )
    _redis_from_broker: bool = PrivateAttr(default=False)
    worker_concurrency: int = Field(
        default=64, ge=1, le=512, description="Leads one `outreach worker` works on at once."
    )
    broker_queue: str = Field(
        default="outreach-leads",
        min_length=1,
        description="The broker queue leads go on: one per deployment sharing a broker.",
    )
    broker_visibility_timeout_s: float = Field(
        default=900,
        gt=0,
        description="Redis broker only: a lead a worker took but did not finish within this "
        "many seconds (the worker died) is handed to another worker.",
    )
    max_parallel_runs: int = Field(
        default=2, ge=1, le=64, description="API batch runs working at once; others wait."
    )
    max_attempts: int = Field(default=3, ge=1, le=10)
    auto_send: bool = False
    min_quality_to_send: float = Field(default=0.8, ge=0, le=1)
    min_relevance_to_send: float = Field(default=0.7, ge=0, le=1)
    relevance_floor: float = Field(default=0.3, ge=0, le=1)
    email_min_words: int = 50
    email_max_words: int = 200
    fetch_timeout_s: float = 10.0
    fetch_max_bytes: int = 2_000_000
    fetch_max_redirects: int = 5
    allow_private_networks: bool = Field(
        default=False,
        description="Let research reach loopback/private/link-local addresses (SSRF guard off).",
    )
    allowed_networks: tuple[str, ...] = Field(
        default=(), description='CIDRs research may reach though private, e.g. ["10.1.2.0/24"].'
    )
    news_search_feeds: tuple[str, ...] = Field(
        default=(),
        description="News-search feed URLs with {company}, e.g. a news site's RSS search URL.",
    )
    enrichment_provider: Literal["none", "peopledatalabs"] = Field(
        default="none", description="Paid person enrichment API; each lookup costs a credit."
    )
    enrichment_api_key: SecretStr | None = None
    enrichment_base_url: str | None = None
    cache_ttl_s: float = Field(
        default=86_400, ge=0, description="How long fetched pages are reused; 0 turns it off."
    )
    render_js: bool = Field(
        default=True, description="Render JavaScript app-shell pages in Chromium (Playwright)."
    )
    resolve: dict[str, str] = Field(
        default_factory=dict,
        description="Send research for a host to another address, like curl --resolve: "
        '{"acme.example": "127.0.0.1:8080"} (staging and test sites).',
    )
    respect_robots: bool = True
    per_host_concurrency: int = Field(default=2, ge=1, le=32)
    per_host_delay_s: float = Field(default=0.0, ge=0)

    # Delivery: where approved messages go, and how fast (the API's send queue).
    email_provider: Literal["dry-run", "sendgrid", "smtp"] = Field(
        default="dry-run", description="dry-run writes an outbox file; nothing leaves the machine."
    )
    sendgrid_api_key: SecretStr | None = None
    sendgrid_host: str = Field(
        default="https://api.sendgrid.com", description="SendGrid API host (a fake in tests)."
    )
    sendgrid_webhook_public_key: str | None = Field(
        default=None,
        description="The Event Webhook's verification key (base64, from SendGrid's settings); "
        "without it every event webhook request is refused.",
    )
    sendgrid_webhook_max_age_s: float = Field(
        default=600,
        ge=0,
        description="Refuse signed webhook requests whose timestamp is further than this from "
        "the server's clock (replay protection; SendGrid documents no window). 0 turns it off: "
        "replays change nothing anyway, since events apply once.",
    )
    sendgrid_activity_api: bool = Field(
        default=False,
        description="The account has SendGrid's Email Activity API (a paid add-on): a send cut "
        "off while SendGrid was being called is looked up there and finished, instead of held "
        "for a person.",
    )
    delivery_reconcile_after_s: float = Field(
        default=600,
        gt=0,
        description="A send cut off mid-call is taken as not sent only when the provider has "
        "no record of it this long after the attempt (its logs can lag a few minutes).",
    )
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    sender_email: str | None = Field(
        default=None, description="The mailbox messages go from, unless the campaign names one."
    )
    public_base_url: str = Field(
        default=DEFAULT_PUBLIC_BASE_URL,
        description="Where recipients reach this server: unsubscribe links point here. With "
        "sendgrid or smtp it must be an https address the internet reaches (RFC 8058 one-click "
        "unsubscribe); the loopback default serves the dry-run outbox.",
    )
    unsubscribe_secret: SecretStr | None = Field(
        default=None,
        description="Signs unsubscribe links; default: a random secret kept in the data dir.",
    )
    console_secret: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="Signs web console sessions; default: a random secret kept in the data dir.",
    )
    console_session_hours: float = Field(
        default=12, gt=0, le=24 * 30, description="How long a web console sign-in lasts."
    )
    send_daily_cap: int = Field(default=50, ge=1, description="Emails per mailbox per day.")
    send_min_gap_s: float = Field(default=120, ge=0, description="Seconds between two sends.")
    send_mailbox_cap: int | None = Field(
        default=None,
        ge=1,
        description="At most this many sends per mailbox in any send_mailbox_window_s, however "
        "many workers send (shared through OUTREACH_REDIS_URL when set).",
    )
    send_mailbox_window_s: float = Field(
        default=60, gt=0, description="The window send_mailbox_cap counts sends in (seconds)."
    )
    send_domain_gap_s: float = Field(
        default=600, ge=0, description="Seconds between two sends to the same recipient domain."
    )
    send_window: str = Field(
        default="09:00-17:00", description="Local hours (recipient's timezone) sends may go."
    )
    send_weekdays_only: bool = True
    default_timezone: str = Field(
        default="UTC", description="Recipient timezone when the lead has none (IANA name)."
    )
    dispatch_interval_s: float = Field(
        default=30, ge=0, description="How often the server sends what is due; 0 turns it off."
    )
    sequence_tick_s: float = Field(
        default=30,
        ge=0,
        description="How often `outreach serve` (and `outreach worker`) looks for due sequence "
        "steps; 0 turns the scheduler off inside the server.",
    )
    sequence_claim_batch: int = Field(
        default=50, ge=1, le=1000, description="Due steps one scheduler claims per tick."
    )
    sequence_claim_lease_s: float = Field(
        default=600,
        gt=0,
        description="How long a claimed sequence step, or a message being sent, is one "
        "scheduler's; a killed scheduler's are taken up again after it.",
    )
    research_freshness_days: int = Field(
        default=30,
        ge=0,
        description="A new_angle step researches the lead again when its facts are older.",
    )
    default_country: str = Field(
        default="US",
        description="Country (ISO 3166 code) whose public holidays a lead's business days skip "
        "when the lead names none.",
    )
    sms_provider: Literal["dry-run", "twilio"] = Field(
        default="dry-run",
        description="'dry-run' writes SMS to the outbox file; 'twilio' sends them.",
    )
    sms_daily_cap: int = Field(
        default=100, ge=1, description="Texts per sending number per day (sequence SMS steps)."
    )
    sms_min_gap_s: float = Field(
        default=30, ge=0, description="Seconds between two texts from one sending number."
    )
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = Field(
        default=None, description="The E.164 number SMS go from (or a Messaging Service SID)."
    )
    twilio_base_url: str | None = Field(
        default=None,
        description="Twilio's API address; set only to point at a test double.",
    )
    hubspot_access_token: SecretStr | None = Field(
        default=None,
        description="A HubSpot private app's access token: set it to sync leads, messages and "
        "replies to HubSpot (off when unset; a failed sync never blocks sending).",
    )
    hubspot_base_url: str | None = Field(
        default=None,
        description="HubSpot's API address; set only to point at a test double.",
    )
    crm_sync_interval_s: float = Field(
        default=900,
        ge=0,
        description="How often `outreach worker` syncs to HubSpot when a token is set (0: only "
        "`outreach crm sync`).",
    )
    availability_file: Path | None = Field(
        default=None,
        description="The sender's calendar as an ICS file (free/busy or events): meeting "
        "requests get two or three free slots from it inside the working hours.",
    )
    working_hours: str = Field(
        default="09:00-17:00",
        pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$",
        description="The sender's working hours (HH:MM-HH:MM, in sender_timezone) for slots.",
    )
    sender_timezone: str | None = Field(
        default=None,
        description="The sender's IANA timezone for meeting slots (default: default_timezone).",
    )
    meeting_minutes: int = Field(
        default=30, ge=10, le=240, description="A proposed meeting's length."
    )

    @model_validator(mode="after")
    def _limits_shared_through_a_redis_broker(self) -> Settings:
        """A Redis broker also holds the shared limits unless another Redis is named: one
        setting fewer, and workers never keep their limits each on its own by oversight."""
        if self.redis_url is None and self.broker_url:
            self.redis_url = limits_url_of_broker(self.broker_url)
            self._redis_from_broker = self.redis_url is not None
        return self

    @property
    def redis_from_broker(self) -> bool:
        """Whether the shared limits' Redis is the broker's (OUTREACH_REDIS_URL unset)."""
        return self._redis_from_broker

    @model_validator(mode="after")
    def _real_mail_has_a_working_unsubscribe_link(self) -> Settings:
        problem = self.real_mail_problem()
        if problem is not None:
            # Not a ValueError: pydantic would print every setting, secrets included, with it.
            from agent.providers import ProviderConfigError

            raise ProviderConfigError(problem)
        return self

    def real_mail_problem(self) -> str | None:
        """Why these settings may not send real mail, or None (always None for dry-run)."""
        if self.email_provider not in REAL_MAIL_PROVIDERS:
            return None
        url = self.public_base_url
        why = unreachable_unsubscribe_base(url)
        if why is None:
            return None
        shown = f"{url}, the default" if url == DEFAULT_PUBLIC_BASE_URL else repr(url)
        return (
            f"OUTREACH_EMAIL_PROVIDER={self.email_provider} sends real mail, but "
            f"OUTREACH_PUBLIC_BASE_URL is {shown}: it {why}. Every email's one-click unsubscribe "
            "link (RFC 8058 List-Unsubscribe) points there, so it must be the https address "
            "recipients reach this server at, e.g. OUTREACH_PUBLIC_BASE_URL="
            "https://outreach.example.com; or keep OUTREACH_EMAIL_PROVIDER=dry-run, where "
            "nothing leaves this machine"
        )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = Path(os.environ.get(CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE))
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file)
        return init_settings, env_settings, dotenv_settings, toml, file_secret_settings

    @property
    def database(self) -> str:
        """The database to use: `database_url`, or the SQLite file in the data directory."""
        from storage.database import default_database_url  # keeps settings light to import

        return self.database_url or default_database_url(self.data_dir)

    @property
    def provider(self) -> Literal["offline", "openai"]:
        """Return the provider that will actually run."""
        if self.llm_provider != "auto":
            return self.llm_provider
        return "openai" if (self.llm_api_key or self.llm_base_url) else "offline"
