"""Build the configured email provider: dry-run outbox (default), SendGrid or SMTP."""

from __future__ import annotations

from pathlib import Path

from agent.providers import ProviderConfigError
from agent.settings import Settings
from tools.delivery.dry_run_outbox import DryRunOutbox
from tools.delivery.providers import EmailProvider
from tools.delivery.sendgrid_provider import SendGridProvider
from tools.delivery.smtp_provider import SmtpProvider


def build_email_provider(settings: Settings) -> EmailProvider:
    """Return the provider settings ask for; raise ProviderConfigError naming what is missing.

    Real mail (SendGrid, SMTP) also needs an https OUTREACH_PUBLIC_BASE_URL for its unsubscribe
    links; Settings refuses one without it, and so does this, for settings built unchecked."""
    problem = settings.real_mail_problem()
    if problem is not None:
        raise ProviderConfigError(problem)
    if settings.email_provider == "sendgrid":
        if settings.sendgrid_api_key is None:
            raise ProviderConfigError(
                "OUTREACH_EMAIL_PROVIDER=sendgrid needs OUTREACH_SENDGRID_API_KEY"
            )
        return SendGridProvider(
            settings.sendgrid_api_key.get_secret_value(),
            host=settings.sendgrid_host,
            activity_api=settings.sendgrid_activity_api,
        )
    if settings.email_provider == "smtp":
        if not settings.smtp_host:
            raise ProviderConfigError("OUTREACH_EMAIL_PROVIDER=smtp needs OUTREACH_SMTP_HOST")
        return SmtpProvider(
            settings.smtp_host,
            settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
        )
    return DryRunOutbox(Path(settings.data_dir) / "outbox.jsonl")
