"""Build the configured SMS provider: the dry-run outbox (default) or Twilio."""

from __future__ import annotations

from pathlib import Path

from agent.providers import ProviderConfigError
from agent.settings import Settings
from tools.delivery.sms import DryRunSms, SmsProvider
from tools.delivery.twilio_sms import TwilioSms

SMS_OUTBOX = "sms_outbox.jsonl"
STATUS_CALLBACK_PATH = "/api/v1/webhooks/twilio/status"
"""Where Twilio posts delivery updates (server/routes/twilio_webhooks.py, under /api/v1)."""


def build_sms_provider(settings: Settings) -> SmsProvider:
    """Return the provider settings ask for; raise ProviderConfigError naming what is missing.

    dry-run writes each text to `sms_outbox.jsonl` in the data directory; twilio needs the
    account SID, auth token and the number (or Messaging Service SID) texts go from.
    """
    if settings.sms_provider != "twilio":
        return DryRunSms(Path(settings.data_dir) / SMS_OUTBOX)
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
    needed = (
        ("OUTREACH_TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
        ("OUTREACH_TWILIO_AUTH_TOKEN", token),
        ("OUTREACH_TWILIO_FROM_NUMBER", settings.twilio_from_number),
    )
    missing = [name for name, value in needed if not (value or "").strip()]
    if missing:
        raise ProviderConfigError(f"OUTREACH_SMS_PROVIDER=twilio needs {' and '.join(missing)}")
    assert settings.twilio_account_sid and settings.twilio_from_number
    return TwilioSms(
        settings.twilio_account_sid.strip(),
        token,
        settings.twilio_from_number.strip(),
        base_url=settings.twilio_base_url or None,
    )


def status_callback_url(settings: Settings) -> str:
    """Return the URL Twilio posts a text's delivery updates to (the public address)."""
    return settings.public_base_url.rstrip("/") + STATUS_CALLBACK_PATH
